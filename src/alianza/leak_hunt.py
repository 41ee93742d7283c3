"""The leak hunt: nothing of one node's national records may appear on the other node.

Unmistakable *sentinel* records are planted on each node (a national-only seizure with a
unique quantity and free text; a national record of each kind the cooperation registry keeps
for one government: a liaison post, a technology deployment, a training event, a study of its
own (listed in the threat-assessment draft), a meeting of its own officials; a draft status
paragraph; a declared shipment of risk targeting, its importer and mass; a port alert whose
nominal details are not shared, and a directory entry whose name is not); then, logged in
as every account of both nodes (and anonymously), the crawler fetches every page linked from
the pages it sees (from the navigation down), the pages with query forms (threat assessment and
analysis periods, scorecard dates, export formats), every GET route of ``/api/openapi.json``
with plausible parameters (ids, numbers and references taken from the lists it already
fetched), and every download (DOCX, XLSX, HTML, CSV, TSV, ZIP, JSON; ZIP files, DOCX and XLSX
included, are opened and each member scanned). Each response of node A is searched for node
B's sentinels; then every text and number column of each node's database is searched for the
other node's sentinels.

Run it against two running nodes (``scripts/leak_hunt.py``; see docs/leak-hunt.md). Exit
status 1 on any finding.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import httpx2 as httpx

from alianza.catalogue import declare, in_language
from alianza.db import Database
from alianza.operations.problems import message_language

# What the leak hunt says (catalogue entries: its report and errors in the user's language,
# ``ALIANZA_LANGUAGE`` else the locale, as the command line)
SEIZURE_NOT_LOADED = declare(
    "leak-hunt.seizure-not-loaded", "the {country} sentinel seizure was not loaded: {report}"
)
SHIPMENT_NOT_LOADED = declare(
    "leak-hunt.shipment-not-loaded", "the {country} sentinel shipment was not loaded: {report}"
)
NO_CSRF = declare("leak-hunt.no-csrf", "{base}/login: no CSRF token in the login form")
NO_LOGIN = declare("leak-hunt.no-login", "{base}: {user} could not log in")
HEADER = declare("leak-hunt.header", "node user fetched downloads MiB statuses")
TABLES_SCANNED = declare(
    "leak-hunt.tables-scanned",
    "{node} database: {count} tables scanned for the partner's sentinels",
)
FINDINGS = declare("leak-hunt.findings", "findings: {n}")
LEAK = declare("leak-hunt.leak", "  LEAK on the {node} node: {sentinel} in {where}")
FETCHED = declare("leak-hunt.fetched", "{node} {user}: {fetched} fetched")
DESCRIPTION = declare(
    "leak-hunt.description", "Leak hunt between a running US node and a running MX node."
)
HELP_US = declare("leak-hunt.help.us", "URL of the US node")
HELP_MX = declare("leak-hunt.help.mx", "URL of the MX node")
HELP_US_DB = declare(
    "leak-hunt.help.us-db", "database URL of the US node (scanned, sentinels planted)"
)
HELP_MX_DB = declare(
    "leak-hunt.help.mx-db", "database URL of the MX node (scanned, sentinels planted)"
)
HELP_PASSWORD = declare("leak-hunt.help.password", "password of the accounts")
HELP_US_USERS = declare(
    "leak-hunt.help.us-users", "comma-separated US accounts (default: the demo's)"
)
HELP_MX_USERS = declare(
    "leak-hunt.help.mx-users", "comma-separated MX accounts (default: the demo's)"
)
HELP_QUARTER = declare(
    "leak-hunt.help.quarter",
    "a quarter of the joint analysis to fetch, with its downloads (repeatable; "
    "default: {quarters})",
)
HELP_PLANT = declare("leak-hunt.help.plant", "plant the sentinels first (needs --us-db, --mx-db)")
PLANT_NEEDS = declare("leak-hunt.plant-needs", "--plant needs --us-db and --mx-db")


@dataclass(frozen=True)
class Sentinels:
    """The unmistakable records planted on one country's node."""

    country: str
    tag: str  # SENTINEL-MX-7f3a

    @property
    def seizure_text(self) -> str:
        return f"{self.tag}-SEIZURE"

    @property
    def coop_text(self) -> str:
        return f"{self.tag}-COOP"

    def coop_kind_text(self, kind: str) -> str:
        """The sentinel of one kind of national cooperation record: ``SENTINEL-MX-7f3a-TECH``."""
        return f"{self.tag}-{kind}"

    @property
    def draft_text(self) -> str:
        return f"{self.tag}-DRAFT"

    @property
    def shipment_text(self) -> str:
        """The reference of a declared shipment (risk targeting: the node's own, never sent)."""
        return f"{self.tag}-SHIPMENT"

    @property
    def quantity(self) -> float:
        return 7777.123 if self.country == "MX" else 6666.321

    def texts(self) -> list[str]:
        """What a response must never contain on the other node: the tag covers every
        free text; the quantity as written and as pages format it."""
        q = self.quantity
        return [self.tag, f"{q:.3f}", f"{q:,.3f}", f"{q:.2f}", f"{q:,.2f}"]


SENTINELS = {"US": Sentinels("US", "SENTINEL-US-3c9e"), "MX": Sentinels("MX", "SENTINEL-MX-7f3a")}
PARTNER = {"US": "MX", "MX": "US"}
LEAK_HUNT_CYCLE = "leak-hunt"


def plant(
    database: Database, country: str, folder: Path, *, day: date = date(2025, 11, 15)
) -> None:
    """Plant ``country``'s sentinels into its node's database (``folder``: scratch space for
    the one-row import file; ``day``: the seizure's date, best inside a quarter that is
    exchanged). Planting twice changes nothing."""
    import csv

    from sqlalchemy import select

    from alianza.actors import NodeSelf
    from alianza.cooperation.models import LiaisonPost
    from alianza.cooperation.registry import add_liaison_post
    from alianza.pme.cycles import CycleNotFound, Government, cycle_view, enter_status, open_cycle
    from alianza.seizures.service import import_file
    from alianza.seizures.template import template_columns

    marks = SENTINELS[country]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"sentinel-{country.lower()}.csv"
    row = dict.fromkeys(template_columns(), "")
    row |= {
        "source_system": f"{country}-LEAK-HUNT",
        "source_record_id": marks.seizure_text,
        "reporting_country": country,
        "reporting_agency": "CBP-OFO" if country == "US" else "ANAM",
        "event_date": day.isoformat(),
        "location_type": "POE_LAND_VEHICLE",
        "port_code": "2504",
        "direction": "NORTHBOUND",
        "transport_mode": "ROAD",
        "conveyance": "POV",
        "concealment": "OTHER",
        "concealment_other": marks.seizure_text,
        "detection": "CANINE",
        "record_status": "VALIDATED",
        "releasability": "NATIONAL_ONLY",
        "drug": "COCAINE_HCL",
        "form": "POWDER",
        "quantity": f"{marks.quantity:.3f}",
        "unit": "KG",
    }
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=template_columns())
        writer.writeheader()
        writer.writerow(row)
    outcome = import_file(database, path, "canonical", actor=NodeSelf("leak-hunt"))
    if outcome.report.loaded + outcome.report.unchanged != 1:
        raise RuntimeError(SEIZURE_NOT_LOADED.said(country=country, report=str(outcome.report)))
    _plant_shipment(database, marks, folder, day)
    with database.transaction() as session:
        held = session.scalars(select(LiaisonPost).where(LiaisonPost.office == marks.coop_text))
        if held.first() is None:
            add_liaison_post(
                session,
                country=country,
                office=marks.coop_text,
                city="Tijuana" if country == "MX" else "San Diego",
                agency="ANAM" if country == "MX" else "CBP",
                role="customs-liaison",
                officer=f"{marks.tag} officer",
                appointed_on=date(2025, 11, 1),
                source=f"{marks.tag} (national only)",
                actor=NodeSelf("leak-hunt"),
            )
            _plant_cooperation(session, marks)
            _plant_ports(session, marks)
        key = f"{LEAK_HUNT_CYCLE}-{country.lower()}"
        try:
            cycle_view(session, key)
        except CycleNotFound:
            open_cycle(
                session,
                key,
                as_of=date(2025, 12, 31),
                label_en=f"Leak hunt {country}",
                label_es=f"Búsqueda de fugas {country}",
                actor=NodeSelf("leak-hunt"),
            )
            enter_status(
                session,
                key,
                "10.1",
                government=Government(country),
                language="en" if country == "US" else "es",
                text=f"{marks.draft_text}: a draft status paragraph, never to leave this node.",
                actor=NodeSelf("leak-hunt"),
            )


def _plant_cooperation(session: Any, marks: Sentinels) -> None:
    """The node's national cooperation records of every other kind, each with its sentinel
    (a technology deployment, a training event, its own deliverable, a meeting of its own
    officials of a binational mechanism)."""
    from alianza.actors import NodeSelf
    from alianza.cooperation import registry

    actor, country = NodeSelf("leak-hunt"), marks.country
    source = f"{marks.tag} (national only)"
    registry.add_technology(
        session, kind="x-ray", country=country, place=marks.coop_kind_text("TECH"),
        deployed_on=date(2025, 11, 2), source=source, actor=actor,
    )  # fmt: skip
    registry.add_training(
        session, subject="large-x-ray-and-ion-scanners", country=country,
        agency=marks.coop_kind_text("TRAINING"), people=7, held_on=date(2025, 11, 3),
        source=source, actor=actor,
    )  # fmt: skip
    registry.add_deliverable(
        session, key=f"leak-hunt-study-{country.lower()}", title=marks.coop_kind_text("STUDY"),
        owner=country, country=country, due_on=date(2025, 12, 31), source=source, actor=actor,
    )  # fmt: skip
    key = "leak-hunt-hlcg"  # binational: each node records its own copy, the same on both
    if session.scalars(_mechanism_query(key)).first() is None:
        registry.add_mechanism(
            session, key=key, kind="hlcg", name="High Level Contact Group (leak hunt)",
            source="leak hunt", actor=actor,
        )  # fmt: skip
    registry.add_meeting(
        session, mechanism_key=key, held_on=date(2025, 11, 4),
        place=marks.coop_kind_text("MEETING"), topics=["threat-assessment-update"],
        participants=[{"country": country, "level": "federal"}], source=source, actor=actor,
    )  # fmt: skip


def _plant_shipment(database: Database, marks: Sentinels, folder: Path, day: date) -> None:
    """A declared shipment (risk targeting's records are the node's own: never exchanged),
    with the sentinel as its reference and importer and the sentinel quantity as its mass."""
    import csv

    from sqlalchemy import select

    from alianza.actors import NodeSelf
    from alianza.risk.models import Shipment
    from alianza.risk.store import import_shipments

    with database.reader() as session:
        query = select(Shipment.id).where(Shipment.reference == marks.shipment_text)
        if session.scalars(query).first() is not None:
            return
    row = {
        "reference": marks.shipment_text,
        "declared_on": day.isoformat(),
        "port": "otay-mesa",
        "mode": "truck",
        "declarant": "BRK-LEAK",
        "importer": f"{marks.tag}-IMPORTER",
        "shipper": "SHP-LEAK",
        "consignee": "CNS-LEAK",
        "carrier": "CAR-LEAK",
        "hs6": "070200",
        "departure": "MX",
        "origin": "MX",
        "route": "MX-US",
        "conveyance_id": "TRK-LEAK",
        "net_mass_kg": f"{marks.quantity:.3f}",
        "value": "1000",
        "packages": "10",
    }
    path = folder / f"sentinel-shipment-{marks.country.lower()}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    report = import_shipments(database, path, profile="alianza", actor=NodeSelf("leak-hunt"))
    if report.loaded + report.unchanged != 1:
        raise RuntimeError(SHIPMENT_NOT_LOADED.said(country=marks.country, report=str(report)))


def _plant_ports(session: Any, marks: Sentinels) -> None:
    """A port alert from this node's side whose nominal details are not shared (the alert
    travels to the partner; the names stay), and a directory entry whose name is not shared
    (the directory travels; the name stays)."""
    from datetime import UTC, datetime, time

    from alianza.actors import NodeSelf
    from alianza.liaison.alerts import send_alert
    from alianza.liaison.directory import add_contact, ensure_pair

    actor, country = NodeSelf("leak-hunt"), marks.country
    pair = ensure_pair(session, "2504", actor=actor)
    send_alert(
        session, pair, from_country=country, template="security-incident",
        details={"location": "lane 3 (leak hunt)"}, free_text="leak hunt: an alert that travels",
        nominal={"name": marks.coop_kind_text("NOMINAL")}, share_nominal=False, actor=actor,
        now=datetime.now(UTC),
    )  # fmt: skip
    add_contact(
        session, pair, country=country, position=9, role="duty-officer",
        name=marks.coop_kind_text("CONTACT"), shift=(time(0), time(0)),
        channels=[("radio", "channel 9 (leak hunt)")], actor=actor,
    )  # fmt: skip


def _mechanism_query(key: str) -> Any:
    from sqlalchemy import select

    from alianza.cooperation.models import Mechanism

    return select(Mechanism.id).where(Mechanism.key == key)


# ----------------------------------------------------------------------------------------
# Crawling


@dataclass(frozen=True)
class Finding:
    node: str  # the node where the sentinel was found
    where: str  # user and URL (or table.column)
    sentinel: str


@dataclass
class RoleResult:
    node: str
    user: str
    fetched: int = 0
    bytes: int = 0
    downloads: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    paths: dict[str, int] = field(default_factory=dict)  # each URL fetched → its status
    own_seen: set[str] = field(default_factory=set)  # own sentinels seen (positive control)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        elif (
            tag == "form"
            and (values.get("method") or "get").lower() == "get"
            and values.get("action")
        ):
            self.links.append(values["action"] or "")


SKIP = ("/logout", "/lang/", "/static/", "/ports/alerts/stream", "/api/v1/exchange/packages")


DEFAULT_QUARTERS = ("2025-Q4", "2025-Q3", "2024-Q4")  # the demo's exchanged quarter and before


def seed_paths(today: date, quarters: Iterable[str] = DEFAULT_QUARTERS) -> list[str]:
    """Pages a user reaches through forms (periods, dates, formats) besides the links."""
    first, last = "2019-01-01", today.isoformat()
    paths = ["/", "/pme", "/pme/assessment", "/pme/assessment?as_of=1999-08-31", "/pme/cycles"]
    paths += [f"/pme/export?format={f}&lang={lang}" for f in ("tsv", "md", "html", "json")
              for lang in ("en", "es")]  # fmt: skip
    paths += [
        f"/seizures?by={by}&measure={m}" for by in OVERVIEW for m in ("seizures", "amount_kg")
    ]
    paths += ["/seizures?country=MX", "/seizures?country=US", "/seizures/map",
              "/seizures/map?country=MX", "/seizures/imports", "/seizures/quarantine",
              "/seizures/import", "/exchange"]  # fmt: skip
    for quarter in quarters:
        paths.append(f"/analysis?quarter={quarter}")
        paths += [f"/analysis/download?quarter={quarter}&format={f}"
                  for f in ("html", "md", "csv", "xlsx", "docx")]  # fmt: skip
    paths += ["/coop", "/coop?as_of=1999-08-31", f"/coop?as_of={last}"]
    periods = ((first, last), ("2025-10-01", "2025-12-31"))
    paths += [f"/coop/threat-assessment?first={a}&last={b}&language={lang}"
              for a, b in periods for lang in ("en", "es")]  # fmt: skip
    paths += ["/ports", "/ports/alerts", "/ports/2504/analysis", "/risk", "/risk/rules",
              "/audit", "/admin/users"]  # fmt: skip
    return paths


OVERVIEW = ("quarter", "fiscal_year", "drug", "drug_group", "country", "location", "concealment",
            "transport_mode")  # fmt: skip
# plausible values of API parameters that no list gives (the rest come from fetched JSON)
API_DEFAULTS: dict[str, list[str]] = {
    "lang": ["en", "es"],
    "plan": [],
    "as_of": ["1999-08-31", "2025-12-31"],
    "by": ["quarter,drug_group", "country,fiscal_year", "concealment", "transport_mode"],
    "kind": ["mechanism", "meeting", "liaison-post", "deliverable", "technology", "training"],
    "number": ["10.1", "10.4.1"],
    "address": ["10.1/status/1", "10.2/status/5"],
    "from": ["2019-01-01"],
    "to": ["2026-12-31"],
    "period": ["week", "month"],
    "head": ["general", "critical"],
}


def _pattern(path: str) -> str:
    """Pages that differ only by an id count as one pattern (a crawl bound)."""
    return re.sub(r"[0-9a-f]{8,}|\d+", "N", urlsplit(path).path)


def _scan_bytes(data: bytes, needles: Iterable[str], depth: int = 0) -> Iterator[str]:
    """The needles found in ``data``; ZIP files (packages, DOCX, XLSX) are opened, and a find
    inside one names its member (``7,777.123 (in annex.docx/word/document.xml)``)."""
    for needle in needles:
        if needle.encode() in data:
            yield needle
    if depth < 3 and data[:2] == b"PK":
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            return
        for name in archive.namelist():
            for found in _scan_bytes(archive.read(name), needles, depth + 1):
                needle, _, inner = found.partition(" (in ")
                member = f"{name}/{inner[:-1]}" if inner else name
                yield f"{needle} (in {member})"


def _collect(value: Any, pool: dict[str, list[str]]) -> None:
    """Scalar values of JSON keys, to fill path parameters of the same name."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (str, int)) and not isinstance(item, bool):
                values = pool.setdefault(key, [])
                text = str(item)
                plain = len(text) < 100 and ("/" not in text or key == "address")
                if plain and text not in values and len(values) < 3:
                    values.append(text)
            else:
                _collect(item, pool)
    elif isinstance(value, list):
        for item in value[:50]:
            _collect(item, pool)


class Crawler:
    """One account (or nobody) on one node."""

    def __init__(
        self,
        node: str,
        base_url: str,
        user: str | None,
        password: str,
        *,
        max_per_pattern: int = 4,
        max_fetches: int = 800,
        timeout: float = 120.0,
    ) -> None:
        self.node = node
        self.base = base_url.rstrip("/")
        self.user = user
        self.password = password
        self.max_per_pattern = max_per_pattern
        self.max_fetches = max_fetches
        self.client = httpx.Client(base_url=self.base, timeout=timeout, follow_redirects=True)
        self.result = RoleResult(node, user or "(anonymous)")
        self.findings: list[Finding] = []
        self.seen: set[str] = set()
        self.patterns: Counter[str] = Counter()
        self.pool: dict[str, list[str]] = {}
        self.queue: list[str] = []
        self.foreign = SENTINELS[PARTNER[node]].texts()
        self.own = SENTINELS[node].texts()

    def login(self) -> None:
        if self.user is None:
            return
        page = self.client.get("/login")
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        if match is None:
            raise RuntimeError(NO_CSRF.said(base=self.base))
        response = self.client.post(
            "/login",
            data={"username": self.user, "password": self.password, "next": "/",
                  "csrf_token": match.group(1)},
        )  # fmt: skip
        if "/login" in str(response.url.path) or response.status_code >= 400:
            raise RuntimeError(NO_LOGIN.said(base=self.base, user=self.user))

    def fetch(self, path: str, *, seed: bool = False) -> httpx.Response | None:
        if path in self.seen or any(path.startswith(s) for s in SKIP):
            return None
        if len(self.seen) >= self.max_fetches:
            return None
        pattern = _pattern(path)
        download = "/download" in path or "/report." in path  # every package, every file
        if not (seed or download) and self.patterns[pattern] >= self.max_per_pattern:
            return None
        self.seen.add(path)
        self.patterns[pattern] += 1
        response = self.client.get(path)
        data = response.content
        self.result.fetched += 1
        self.result.bytes += len(data)
        self.result.statuses[response.status_code] += 1
        self.result.paths[path] = response.status_code
        kind = response.headers.get("content-type", "")
        if "attachment" in response.headers.get("content-disposition", "") or not any(
            t in kind for t in ("html", "json")
        ):
            self.result.downloads += 1
        for found in _scan_bytes(data, self.foreign):
            self.findings.append(Finding(self.node, f"{self.result.user} GET {path}", found))
        for found in _scan_bytes(data, self.own):
            self.result.own_seen.add(found.split(" (in ")[0])
        if "json" in kind:
            with contextlib.suppress(ValueError):
                _collect(response.json(), self.pool)
        elif "html" in kind:
            self._follow(path, response.text)
        return response

    def _follow(self, here: str, html: str) -> None:
        parser = _Links()
        parser.feed(html)
        for link in parser.links:
            absolute = urljoin(self.base + here, link)
            parts = urlsplit(absolute)
            if f"{parts.scheme}://{parts.netloc}" != self.base or not parts.path:
                continue
            query = urlencode(parse_qsl(parts.query))
            self.queue.append(parts.path + (f"?{query}" if query else ""))

    def crawl(self, today: date, quarters: Iterable[str] = DEFAULT_QUARTERS) -> None:
        self.login()
        # the node's own sentinel shipment by reference (asking for the partner's would only
        # find the reference echoed back in the "not found" answer)
        own_shipment = f"/risk/shipments/{SENTINELS[self.node].shipment_text}"
        for path in [*seed_paths(today, quarters), own_shipment]:
            self.fetch(path, seed=True)
            self._drain()
        self._api()
        self._drain()

    def _drain(self) -> None:
        while self.queue:
            self.fetch(self.queue.pop(0))

    def _api(self) -> None:
        response = self.fetch("/api/openapi.json", seed=True)
        if response is None or response.status_code != 200:
            return
        spec = response.json()
        routes = [
            (path, operation.get("parameters", []))
            for path, operations in spec.get("paths", {}).items()
            for method, operation in operations.items()
            if method == "get"
        ]
        # routes without path parameters first: their lists fill the pool for the others
        routes.sort(key=lambda route: "{" in route[0])
        for path, parameters in routes:
            for url in self._instances(path, parameters):
                self.fetch(url, seed=True)

    def _values(self, name: str, kind: str | None) -> list[str]:
        """Plausible values: the defaults, else values of the same name (or, for ``…_id``,
        of ``id``) in the JSON fetched so far, of the parameter's type."""
        if name in API_DEFAULTS:
            extra = self.pool.get(name, []) if name in ("number", "address") else []
            return API_DEFAULTS[name] + extra[:2]
        values = self.pool.get(name, [])
        if name.endswith("_id"):
            values = values + self.pool.get("id", [])
        if kind == "integer":
            values = [v for v in values if v.isdigit()]
        return values[:3]

    def _instances(self, path: str, parameters: list[dict[str, Any]]) -> list[str]:
        urls = [path]
        for parameter in parameters:
            name, where = parameter["name"], parameter["in"]
            values = self._values(name, parameter.get("schema", {}).get("type"))
            if where == "path":
                if not values:
                    return []  # nothing to ask about: no such records on this node
                urls = [u.replace("{" + name + "}", v) for u in urls for v in values]
            elif where == "query" and values:
                required = parameter.get("required", False)
                joined = []
                for url in urls:
                    glue = "&" if "?" in url else "?"
                    joined += [f"{url}{glue}{urlencode({name: v})}" for v in values[:2]]
                    if not required:
                        joined.append(url)
                urls = joined[:12]
        return urls


# ----------------------------------------------------------------------------------------
# The databases


def scan_database(url: str, node: str) -> tuple[list[Finding], int]:
    """Search every text and number column of ``node``'s database for the other node's
    sentinels; the findings and the number of tables read."""
    from sqlalchemy import MetaData, create_engine, select
    from sqlalchemy.sql.sqltypes import JSON, Float, LargeBinary, Numeric, String

    foreign = SENTINELS[PARTNER[node]]
    texts = foreign.texts()
    engine = create_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    findings: list[Finding] = []
    try:
        with engine.connect() as connection:
            for table in metadata.sorted_tables:
                columns = [
                    c
                    for c in table.columns
                    if isinstance(c.type, (String, JSON, LargeBinary, Float, Numeric))
                ]
                if not columns:
                    continue
                for row in connection.execute(select(*columns)):
                    for column, value in zip(columns, row, strict=True):
                        if value is None:
                            continue
                        if isinstance(value, (int, float)) and not isinstance(value, bool):
                            if abs(float(value) - foreign.quantity) < 1e-6:
                                where = f"{table.name}.{column.name}"
                                findings.append(Finding(node, where, str(value)))
                            continue
                        text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
                        for needle in texts:
                            if needle in text:
                                where = f"{table.name}.{column.name}"
                                findings.append(Finding(node, where, needle))
            tables = len(metadata.sorted_tables)
    finally:
        engine.dispose()
    return findings, tables


@dataclass
class HuntReport:
    roles: list[RoleResult]
    findings: list[Finding]
    tables: dict[str, int]

    @property
    def fetched(self) -> int:
        return sum(r.fetched for r in self.roles)

    def text(self, language: str | None = None) -> str:
        """The report, in ``language`` (default: the command line's, ``ALIANZA_LANGUAGE``)."""
        said = language or message_language()
        heads = in_language(HEADER.said(), said).split()  # node user fetched downloads MiB …
        w = [max(width, len(head)) for width, head in zip((4, 16, 7, 9, 7), heads, strict=False)]
        lines = [
            f"{heads[0]:<{w[0]}} {heads[1]:<{w[1]}} {heads[2]:>{w[2]}} {heads[3]:>{w[3]}} "
            f"{heads[4]:>{w[4]}}  {heads[5]}"
        ]
        for r in self.roles:
            codes = " ".join(f"{code}×{n}" for code, n in sorted(r.statuses.items()))
            lines.append(
                f"{r.node:<{w[0]}} {r.user:<{w[1]}} {r.fetched:>{w[2]}} {r.downloads:>{w[3]}} "
                f"{r.bytes / 2**20:>{w[4]}.1f}  {codes}"
            )
        for node, count in self.tables.items():
            lines.append(in_language(TABLES_SCANNED.said(node=node, count=count), said))
        lines.append(in_language(FINDINGS.said(n=len(self.findings)), said))
        lines += [
            in_language(LEAK.said(node=f.node, sentinel=repr(f.sentinel), where=f.where), said)
            for f in self.findings
        ]
        return "\n".join(lines)


def hunt(
    urls: dict[str, str],
    users: dict[str, list[str]],
    password: str,
    database_urls: dict[str, str] | None = None,
    *,
    today: date | None = None,
    quarters: Iterable[str] = DEFAULT_QUARTERS,
    progress: Callable[[str], None] | None = None,
) -> HuntReport:
    """Crawl both nodes as each account (and anonymously), then scan the databases."""
    roles: list[RoleResult] = []
    findings: list[Finding] = []
    for node, url in urls.items():
        accounts: list[str | None] = [None, *users[node]]
        for user in accounts:
            crawler = Crawler(node, url, user, password)
            try:
                crawler.crawl(today or date.today(), quarters)
            finally:
                crawler.client.close()
            roles.append(crawler.result)
            findings += crawler.findings
            if progress is not None:
                result = crawler.result
                said = FETCHED.said(node=node, user=str(result.user), fetched=result.fetched)
                progress(in_language(said, message_language()))
    tables: dict[str, int] = {}
    for node, database_url in (database_urls or {}).items():
        found, tables[node] = scan_database(database_url, node)
        findings += found
    return HuntReport(roles, findings, tables)


def plant_nodes(database_urls: dict[str, str], folder: Path) -> None:
    """Plant each country's sentinels into its node's database (``{"US": URL, "MX": URL}``),
    each opened as that country's node: its writes are checked as the node's own."""
    for country, url in database_urls.items():
        database = Database(url, country=country)
        try:
            plant(database, country, folder)
        finally:
            database.dispose()


def main(argv: list[str] | None = None, *, accounts: dict[str, list[str]]) -> int:
    """The command line of ``scripts/leak_hunt.py``; ``accounts``: each country's accounts
    crawled by default (the script passes the demo's: the library does not import the demo)."""
    import argparse

    language = message_language()

    def said(text: Any, **values: object) -> str:
        return in_language(text.said(**values), language)

    parser = argparse.ArgumentParser(description=said(DESCRIPTION))
    parser.add_argument("--us", required=True, help=said(HELP_US))
    parser.add_argument("--mx", required=True, help=said(HELP_MX))
    parser.add_argument("--us-db", help=said(HELP_US_DB))
    parser.add_argument("--mx-db", help=said(HELP_MX_DB))
    parser.add_argument("--password", required=True, help=said(HELP_PASSWORD))
    parser.add_argument("--us-users", help=said(HELP_US_USERS))
    parser.add_argument("--mx-users", help=said(HELP_MX_USERS))
    parser.add_argument(
        "--quarter",
        action="append",
        help=said(HELP_QUARTER, quarters=", ".join(DEFAULT_QUARTERS)),
    )
    parser.add_argument("--plant", action="store_true", help=said(HELP_PLANT))
    args = parser.parse_args(argv)
    databases = {k: v for k, v in (("US", args.us_db), ("MX", args.mx_db)) if v}
    if args.plant:
        import tempfile

        if len(databases) != 2:
            parser.error(said(PLANT_NEEDS))
        with tempfile.TemporaryDirectory() as scratch:
            plant_nodes(databases, Path(scratch))
    users = {
        "US": args.us_users.split(",") if args.us_users else accounts["US"],
        "MX": args.mx_users.split(",") if args.mx_users else accounts["MX"],
    }
    report = hunt(
        {"US": args.us, "MX": args.mx},
        users,
        args.password,
        databases,
        quarters=args.quarter or DEFAULT_QUARTERS,
        progress=print,
    )
    print(report.text())
    return 1 if report.findings else 0
