"""Exchange pages: outbox, inbox with verification results and refusals, late quarters,
package detail and download, build/send/receive/re-verify, and the joint analysis page.

The web node (US) gets real node keys in its home; a partner MX node (own keys, own database)
builds and signs real packages. Expected figures are summed here from the tables the partner
signed, not read back from the code under test.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.exchange.keys import PRIVATE_KEY_FILE, NodeKeys, create_node_keys
from alianza.exchange.models import Event, Observation, Package, Partner, Refusal
from alianza.exchange.package import build_package, canonical_zip
from alianza.exchange.partners import set_partner_url, trust_partner
from alianza.exchange.sdmx import Observation as Obs
from tests.conftest import DATA
from tests.exchange.conftest import COVERAGE, Node, sample_tables
from tests.web.conftest import csrf_of, log_in

QUARTER = "2019-Q1"


@dataclass
class Nodes:
    client: TestClient
    database: Database
    us: NodeKeys
    mx: NodeKeys
    mx_home: Path


@pytest.fixture
def nodes(client: TestClient, web_db: Database, tmp_path: Path) -> Nodes:
    home = client.app.state.settings.home  # type: ignore[attr-defined]
    us = create_node_keys(home, name="US node (test)", country="US")
    mx = create_node_keys(tmp_path / "mx", name="Nodo MX (test)", country="MX")
    with web_db.transaction() as session:
        trust_partner(
            session, mx.identity, own_fingerprint=us.identity.fingerprint, actor=NodeSelf("test")
        )
    return Nodes(client, web_db, us, mx, tmp_path / "mx")


def mx_package(keys: NodeKeys, tables: dict[str, list[Obs]], version: int = 1) -> bytes:
    return build_package(
        keys,
        quarter=QUARTER,
        tables=tables,
        coverage=COVERAGE,
        version=version,
        extracted_at=datetime(2019, 4, 3, tzinfo=UTC),
    )


def tampered(data: bytes) -> bytes:
    """The same package with one figure changed in a table (the manifest no longer matches)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    lines = files["data/totals.csv"].decode().splitlines()
    cells = lines[1].split(",")
    cells[-2] = str(float(cells[-2] or 0) + 1)
    lines[1] = ",".join(cells)
    files["data/totals.csv"] = ("\n".join(lines) + "\n").encode()
    return canonical_zip(files)


def upload(client: TestClient, data: bytes, name: str = "mx.zip") -> int:
    csrf = csrf_of(client, "/exchange")
    response = client.post(
        "/exchange/receive", files={"file": (name, data)}, data={"csrf_token": csrf}
    )
    return response.status_code


def counts(database: Database) -> tuple[int, ...]:
    with database.reader() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Package, Observation, Event, Refusal)
        )


def section(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}".*?</table>', html, re.S)
    assert match, f"no #{element_id}"
    return match.group(0)


def test_inbox_shows_a_verified_and_a_refused_package(nodes: Nodes) -> None:
    client = nodes.client
    log_in(client, "analyst")
    data = mx_package(nodes.mx, sample_tables("MX", QUARTER))
    assert upload(client, data) == 303
    before = counts(nodes.database)
    assert upload(client, tampered(data), "tampered.zip") == 409
    after = counts(nodes.database)
    assert after[:3] == before[:3]  # no package, observation or event written
    assert after[3] == before[3] + 1  # the refusal is logged

    page = client.get("/exchange").text
    inbox = section(page, "inbox")
    assert "MX 2019-Q1" in inbox
    assert "Nodo MX (test)" in inbox
    assert nodes.mx.identity.fingerprint[:8] in inbox
    assert "verified" in inbox
    refused = section(page, "refused")
    assert "checksum-mismatch" in refused
    assert "data/totals.csv" in refused
    assert hashlib.sha256(tampered(data)).hexdigest()[:12] in refused
    assert "Nodo MX (test)" in refused
    assert "2019-Q1" in refused


def test_refused_unknown_signer_says_so(nodes: Nodes, tmp_path: Path) -> None:
    intruder = create_node_keys(tmp_path / "intruder", name="Nodo MX (test)", country="MX")
    log_in(nodes.client, "analyst")
    response = nodes.client.post(
        "/exchange/receive",
        files={"file": ("x.zip", mx_package(intruder, sample_tables("MX", QUARTER)))},
        data={"csrf_token": csrf_of(nodes.client, "/exchange")},
    )
    assert response.status_code == 409
    assert "unknown-signer" in response.text
    assert "not a trusted partner" in response.text
    with nodes.database.reader() as session:
        assert session.scalar(select(func.count()).select_from(Package)) == 0


def test_package_detail_summarises_the_content_and_downloads_it(nodes: Nodes) -> None:
    tables = sample_tables("MX", QUARTER, seed=7)
    data = mx_package(nodes.mx, tables)
    log_in(nodes.client, "analyst")
    assert upload(nodes.client, data) == 303
    with nodes.database.reader() as session:
        package_id = session.scalars(select(Package.id)).one()
    page = nodes.client.get(f"/exchange/packages/{package_id}").text
    observations = section(page, "observations")
    for name, rows in tables.items():
        assert re.search(rf"{len(rows)}</td>", observations), name
    totals = section(page, "drug-totals")
    for drug, label in (("HEROIN", "Heroin"), ("COCAINE", "Cocaine")):
        seizures = sum(
            o.value or 0 for o in tables["totals"] if o.drug == drug and o.measure == "SEIZURES"
        )
        kg = sum(
            o.value or 0 for o in tables["totals"] if o.drug == drug and o.measure == "AMOUNT_KG"
        )
        row = re.search(
            rf"{label}</td><td class=\"num\">([^<]+)</td><td class=\"num\">([^<]+)<", totals
        )
        assert row, label
        assert row.group(1) == f"{seizures:,.0f}"
        assert row.group(2) == f"{kg:,.1f}"
    assert re.search(
        r"Other drugs</td><td class=\"num\">[^<]+</td><td class=\"num\">not reported", totals
    )
    download = nodes.client.get(f"/exchange/packages/{package_id}/download")
    assert download.status_code == 200
    assert download.content == data
    assert "attachment" in download.headers["content-disposition"]


def test_build_appears_in_the_outbox_and_late_quarters_are_listed(nodes: Nodes) -> None:
    log_in(nodes.client, "analyst")
    csrf = csrf_of(nodes.client, "/exchange")
    response = nodes.client.post("/exchange/build", data={"quarter": "2019-q1", "csrf_token": csrf})
    assert response.status_code == 303
    assert response.headers["location"].endswith("?done=built")
    detail = nodes.client.get(response.headers["location"]).text
    assert "Package built, signed" in detail
    assert "US 2019-Q1" in detail
    page = nodes.client.get("/exchange").text
    outbox = section(page, "outbox")
    assert "US 2019-Q1" in outbox
    assert "built, not sent" in outbox
    late = section(page, "late-quarters")
    # nothing acknowledged for 2019-Q1 and nothing at all since: every quarter up to the last
    # one ended is missing, shown as one run
    today = date.today()
    year, quarter = (today.year, (today.month - 1) // 3)
    last_ended = f"{year - 1}-Q4" if quarter == 0 else f"{year}-Q{quarter}"
    count = (int(last_ended[:4]) - 2019) * 4 + int(last_ended[-1])
    us_row = re.search(r"<tr><td[^>]*>US</td>.*?</tr>", late, re.S)
    assert us_row
    assert f"{count}</span> 2019-Q1–{last_ended}" in us_row.group(0)
    bad = nodes.client.post("/exchange/build", data={"quarter": "2019-Q5", "csrf_token": csrf})
    assert bad.status_code == 409
    assert "2019-Q5" in bad.text


def test_send_pushes_to_the_partner_and_logs_the_receipt(nodes: Nodes, tmp_path: Path) -> None:
    from tests.exchange.test_http import serving

    mx_database = Database(f"sqlite:///{tmp_path / 'mx.db'}", country="MX")
    mx_database.migrate()
    mx_node = Node(nodes.mx_home, mx_database, nodes.mx)  # the keys the web node trusts
    with mx_node.database.transaction() as session:
        trust_partner(
            session,
            nodes.us.identity,
            own_fingerprint=nodes.mx.identity.fingerprint,
            actor=NodeSelf("test"),
        )
    log_in(nodes.client, "analyst")
    csrf = csrf_of(nodes.client, "/exchange")
    built = nodes.client.post("/exchange/build", data={"quarter": QUARTER, "csrf_token": csrf})
    package = built.headers["location"].split("?")[0]
    assert 'id="no-endpoint"' in nodes.client.get(package).text  # no address registered yet
    with serving(mx_node) as url:
        with nodes.database.transaction() as session:
            partner = set_partner_url(session, "Nodo MX (test)", url, actor=NodeSelf("test"))
            form = {"partner": str(partner.id), "csrf_token": csrf}
        page = nodes.client.get(package).text
        assert f'<option value="{partner.id}">Nodo MX (test) (MX) — {url}</option>' in page
        sent = nodes.client.post(f"{package}/send", data=form)
        again = nodes.client.post(f"{package}/send", data=form)
    assert sent.status_code == 303
    assert sent.headers["location"].endswith("sent-stored-acknowledged")
    assert again.headers["location"].endswith("sent-duplicate-acknowledged")
    with mx_node.database.reader() as session:
        received = session.scalars(select(Package).where(Package.direction == "inbound")).one()
        assert (received.country, received.quarter) == ("US", QUARTER)
    page = nodes.client.get("/exchange").text
    outbox = section(page, "outbox")
    assert "acknowledged" in outbox
    assert url in outbox
    refused = nodes.client.post(f"{package}/send", data={"partner": "999", "csrf_token": csrf})
    assert refused.status_code == 409
    assert "not a trusted partner with a registered address" in refused.text
    mx_node.database.dispose()


def test_reverify_passes_then_fails_once_the_partner_is_revoked(nodes: Nodes) -> None:
    log_in(nodes.client, "analyst")
    assert upload(nodes.client, mx_package(nodes.mx, sample_tables("MX", QUARTER))) == 303
    with nodes.database.reader() as session:
        package_id = session.scalars(select(Package.id)).one()
    csrf = csrf_of(nodes.client, "/exchange")
    ok = nodes.client.post(f"/exchange/packages/{package_id}/reverify", data={"csrf_token": csrf})
    assert ok.headers["location"].endswith("reverified-ok")
    with nodes.database.transaction() as session:
        session.scalars(select(Partner)).one().revoked_at = datetime.now(UTC)
    failed = nodes.client.post(
        f"/exchange/packages/{package_id}/reverify", data={"csrf_token": csrf}
    )
    assert failed.headers["location"].endswith("reverified-failed")
    detail = nodes.client.get(failed.headers["location"]).text
    assert "unknown-signer" in detail
    with nodes.database.reader() as session:
        kinds = list(session.scalars(select(Event.detail).where(Event.kind == "reverified")))
    assert [k.split(":")[0] for k in kinds] == ["ok", "unknown-signer"]


def test_viewer_reads_but_cannot_act(nodes: Nodes) -> None:
    log_in(nodes.client, "viewer")
    page = nodes.client.get("/exchange")
    assert page.status_code == 200
    assert 'action="/exchange/build"' not in page.text
    assert 'action="/exchange/receive"' not in page.text
    csrf = csrf_of(nodes.client, "/exchange")
    refused = nodes.client.post("/exchange/build", data={"quarter": QUARTER, "csrf_token": csrf})
    assert refused.status_code == 403
    with nodes.database.reader() as session:
        assert session.scalar(select(func.count()).select_from(Package)) == 0


def test_joint_analysis_page_tables_charts_and_downloads(nodes: Nodes) -> None:
    tables = sample_tables("MX", QUARTER, seed=3)
    log_in(nodes.client, "analyst")
    assert upload(nodes.client, mx_package(nodes.mx, tables)) == 303
    page = nodes.client.get(f"/analysis?quarter={QUARTER}").text
    totals = section(page, "totals")
    marijuana = sum(
        o.value or 0 for o in tables["totals"] if o.drug == "MARIJUANA" and o.measure == "SEIZURES"
    )
    # US side: no seizures in this node, so its cells are empty; MX cells hold the partner's
    assert re.search(rf"Marijuana</th>.*?<td class=\"num\">{marijuana:,.0f}</td>", totals, re.S)
    for chart in (
        "chart-totals",
        "chart-transport",
        "chart-trend-MARIJUANA",
        "chart-trend-FENTANYL",
    ):
        assert re.search(rf'<svg[^>]*role="img"[^>]*aria-labelledby="{chart}-title', page)
    assert f"Marijuana: US 0, MX {marijuana:,.0f}" in page  # the chart's description in words
    assert "style=" not in page  # CSP: no inline style attributes
    # the package's data state no generated source: no "generated sample" sentence (issue 20)
    assert "GENERATED" not in page
    expected = {
        "md": "text/markdown",
        "html": "text/html",
        "csv": "text/csv",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    for name, media in expected.items():
        response = nodes.client.get(f"/analysis/download?quarter={QUARTER}&format={name}")
        assert response.status_code == 200, name
        assert response.headers["content-type"].startswith(media)
        assert f"joint-{QUARTER}.{name}" in response.headers["content-disposition"]
    csv_text = nodes.client.get(f"/analysis/download?quarter={QUARTER}&format=csv").text
    assert f"{marijuana:,.0f}" in csv_text or str(int(marijuana)) in csv_text
    assert nodes.client.get(f"/analysis/download?quarter={QUARTER}&format=pdf").status_code == 404
    assert nodes.client.get("/analysis?quarter=2019-Q9").status_code == 422
    nodes.client.cookies.set("lang", "es")
    spanish = nodes.client.get(f"/analysis?quarter={QUARTER}").text
    assert "Totales por droga y país" in spanish
    assert "Marihuana" in spanish


def test_analysis_own_side_counts_only_bilateral_records(nodes: Nodes, tmp_path: Path) -> None:
    """A national-only seizure of this node never reaches the joint analysis page."""
    from alianza.seizures.service import import_file

    header = (DATA / "seizures" / "canonical-bad-rows-fixed.csv").read_text().splitlines()[0]
    row = (
        "TEST-SYS,{id},US,CBP-OFO,,2019-02-01,POE_LAND_VEHICLE,2504,SAN DIEGO FIELD OFFICE,,,,"
        "NORTHBOUND,ROAD,POV,,SPARE_TIRE,,CANINE,VALIDATED,{releasability},Methamphetamine,,"
        "POWDER,{kg},KG,"
    )
    path = tmp_path / "two.csv"
    path.write_text(
        "\n".join(
            [
                header,
                row.format(id="E1", releasability="BILATERAL", kg=10),
                row.format(id="E2", releasability="NATIONAL_ONLY", kg=777),
            ]
        )
        + "\n"
    )
    outcome = import_file(nodes.database, path, "canonical", actor=NodeSelf("test"))
    assert outcome.report.loaded == 2
    log_in(nodes.client, "coordinador")  # a Mexican user on the US node
    # this node built no package: its records show in the working view only
    page = nodes.client.get(f"/analysis?quarter={QUARTER}&view=records").text
    totals = section(page, "totals")
    meth = re.search(r"Metanfetamina</th>(.*?)</tr>", totals, re.S)
    assert meth, totals
    cells = re.findall(r'<td class="num">([^<]+)</td>', meth.group(1))
    assert cells[:2] == ["1", "10"]  # the bilateral record only; 777 kg stays national
    assert "787" not in totals
    assert "777" not in totals


def test_push_endpoint_logs_a_refusal_with_what_the_package_claims(nodes: Nodes) -> None:
    data = mx_package(nodes.mx, sample_tables("MX", QUARTER))
    response = nodes.client.post("/api/v1/exchange/packages", content=tampered(data))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "checksum-mismatch"
    garbage = nodes.client.post("/api/v1/exchange/packages", content=b"not a zip at all")
    assert garbage.status_code == 422
    with nodes.database.reader() as session:
        rows = session.scalars(select(Refusal).order_by(Refusal.id)).all()
        assert session.scalar(select(func.count()).select_from(Package)) == 0
    # signed by the trusted partner but refused: a row; garbage: only counted (issue 15)
    assert [(r.source, r.code) for r in rows] == [("endpoint", "checksum-mismatch")]
    from alianza.exchange.models import JunkCount

    with nodes.database.reader() as session:
        junk = session.scalars(select(JunkCount)).all()
    assert [(j.code, j.count) for j in junk] == [("malformed", 1)]
    assert (rows[0].claimed_node, rows[0].claimed_country, rows[0].claimed_quarter) == (
        "Nodo MX (test)",
        "MX",
        QUARTER,
    )
    assert rows[0].sha256 == hashlib.sha256(tampered(data)).hexdigest()
    assert rows[0].size == len(tampered(data))


def test_late_groups_are_runs_of_consecutive_quarters() -> None:
    from alianza.exchange.inbox import late_groups
    from alianza.exchange.service import QuarterStatus

    def status(quarter: str, state: str, country: str = "MX") -> QuarterStatus:
        return QuarterStatus(
            country, "inbound", quarter, date(2000, 1, 1), None, None, None, None, 0, state
        )

    states = [
        status("2019-Q1", "late"),
        status("2019-Q2", "on-time"),
        status("2019-Q3", "missing"),
        status("2019-Q4", "missing"),
        status("2020-Q1", "missing"),
        status("2020-Q3", "missing"),
        status("2020-Q4", "not-due"),
        status("2019-Q1", "on-time", "US"),
    ]
    (group,) = late_groups(states)
    assert (group.country, group.direction) == ("MX", "inbound")
    assert group.late == [("2019-Q1", "2019-Q1")]
    assert group.missing == [("2019-Q3", "2020-Q1"), ("2020-Q3", "2020-Q3")]
    assert (group.late_count, group.missing_count) == (1, 4)


def test_spanish_pages_show_every_check_and_refusal_in_spanish(nodes: Nodes) -> None:
    """The exchange library's messages (refusal reasons, re-verification outcomes, the log's
    details) appear in Spanish on Spanish pages; the texts expected are written out here."""
    client = nodes.client
    log_in(client, "analyst")
    client.get("/lang/es")
    data = mx_package(nodes.mx, sample_tables("MX", QUARTER))
    assert upload(client, data) == 303
    csrf = csrf_of(client, "/exchange")
    refused = client.post(
        "/exchange/receive",
        files={"file": ("alterado.zip", tampered(data))},
        data={"csrf_token": csrf},
    )
    assert refused.status_code == 409
    assert "alterado.zip: data/totals.csv no coincide con su SHA-256 [checksum-mismatch]" in (
        refused.text
    )
    with nodes.database.reader() as session:
        package_id = session.scalars(select(Package.id)).one()
    ok = client.post(f"/exchange/packages/{package_id}/reverify", data={"csrf_token": csrf})
    assert ok.headers["location"].endswith("reverified-ok")

    refusals = section(client.get("/exchange").text, "refused")
    assert "suma de control distinta" in refusals
    assert "data/totals.csv no coincide con su SHA-256" in refusals
    assert "does not match" not in refusals

    verified = client.get(f"/exchange/packages/{package_id}").text
    checks = re.search(r'id="checks".*?</ul>', verified, re.S)
    assert checks
    for text in (
        "Firma Ed25519 de una llave de confianza",
        "SHA-256 de cada archivo, sin faltantes ni sobrantes",
        "Descriptor (nodo, país, trimestre, versión)",
        "Estructura de tablas SDMX-CSV",
        "Catálogos",
        "Cada observación del trimestre del paquete",
    ):
        assert text in checks.group(0)
    assert "ok: todas las comprobaciones pasaron" in verified
    assert "every check passed" not in verified
    assert "versión 1, " in verified  # the log's detail of the reception
    assert "version 1, " not in verified

    with nodes.database.transaction() as session:
        session.scalars(select(Partner)).one().revoked_at = datetime.now(UTC)
    failed = client.post(f"/exchange/packages/{package_id}/reverify", data={"csrf_token": csrf})
    page = client.get(failed.headers["location"]).text
    key = nodes.mx.identity.fingerprint[:16]
    assert f"unknown-signer: firmado con la llave {key}…, que no es de un socio de confianza" in (
        page
    )
    assert "not a trusted partner" not in page
    # the exchange log keeps the English text the CLI and earlier versions wrote
    with nodes.database.reader() as session:
        details = list(session.scalars(select(Event.detail).where(Event.kind == "reverified")))
    assert details[-1] == f"unknown-signer: signed by key {key}…, which is not a trusted partner"


def test_rows_logged_before_spanish_messages_are_shown_in_english(nodes: Nodes) -> None:
    with nodes.database.transaction() as session:
        session.add(
            Refusal(
                at=datetime(2026, 1, 5, tzinfo=UTC),
                source="endpoint",
                sha256="0" * 64,
                size=10,
                code="malformed",
                message="not a ZIP file (File is not a zip file)",
            )
        )
    log_in(nodes.client, "coordinador")  # a Mexican user: Spanish by default
    refusals = section(nodes.client.get("/exchange").text, "refused")
    assert "mal formado" in refusals
    assert "not a ZIP file (File is not a zip file)" in refusals


def test_build_errors_are_in_the_page_language(nodes: Nodes) -> None:
    log_in(nodes.client, "analyst")
    nodes.client.get("/lang/es")
    response = nodes.client.post(
        "/exchange/build",
        data={"csrf_token": csrf_of(nodes.client, "/exchange"), "quarter": "2019-Q5"},
    )
    assert response.status_code == 409
    assert "&#39;2019-Q5&#39; no es un trimestre como 2019-Q1" in response.text


def test_unusable_keys_are_said_in_the_page_language(nodes: Nodes) -> None:
    home = nodes.client.app.state.settings.home  # type: ignore[attr-defined]
    private = home / "keys" / PRIVATE_KEY_FILE
    os.chmod(private, 0o644)
    log_in(nodes.client, "analyst")
    nodes.client.get("/lang/es")
    response = nodes.client.post(
        "/exchange/build",
        data={"csrf_token": csrf_of(nodes.client, "/exchange"), "quarter": QUARTER},
    )
    assert response.status_code == 409
    assert (
        f"No se pueden usar las llaves de este nodo: otros usuarios pueden leer {private} "
        "(modo 644); aplíquele chmod 600"
    ) in response.text


def test_joint_analysis_page_shows_counted_units(nodes: Nodes) -> None:
    """Tablets without a mass are shown beside the kilograms, which are marked as partial."""
    tables = sample_tables("MX", QUARTER, seed=3)
    for name in ("totals", "by_location"):
        tables[name] = [
            dataclasses.replace(o, status="D")
            if (o.drug, o.measure) == ("FENTANYL", "AMOUNT_KG") and o.value
            else o
            for o in tables[name]
        ]
    # in the totals and in the breakdowns that add up to them (the receipt checks)
    for name, dims in (
        ("totals", ("_T", "_T", "_T")),
        ("by_location", ("NOGALES", "_T", "_T")),
        ("transport_methods", ("_T", "_T", "ROAD")),
    ):
        tables[name].append(Obs("MX", "FENTANYL", *dims, "UNITS", QUARTER, 15000.0, "A", "TABLET"))
    log_in(nodes.client, "analyst")
    assert upload(nodes.client, mx_package(nodes.mx, tables)) == 303
    totals = section(nodes.client.get(f"/analysis?quarter={QUARTER}").text, "totals")
    fentanyl = re.search(r"Fentanyl</th>(.*?)</tr>", totals, re.S)
    assert fentanyl, totals
    assert "15,000 tablets" in fentanyl.group(1)
    assert re.search(r'<td class="num">[\d,.]+\*</td>', fentanyl.group(1))  # kg partial
    nodes.client.cookies.set("lang", "es")
    spanish = section(nodes.client.get(f"/analysis?quarter={QUARTER}").text, "totals")
    assert "tabletas" in spanish


def test_junk_flood_on_the_endpoint_is_counted_not_logged(nodes: Nodes, tmp_path: Path) -> None:
    """Issue 15, "anonymous log flooding": 200 junk posts made 200 refusal rows and 200 audit
    entries. Junk (not a package, an unknown signer) is now one counter per reason and hour; a
    package signed by the trusted partner but refused still gets its own row."""
    from alianza.audit import AuditEntry
    from alianza.exchange.models import JunkCount

    client = nodes.client
    intruder = create_node_keys(tmp_path / "intruder", name="Intruder", country="MX")
    forged = mx_package(intruder, sample_tables("MX", QUARTER))

    def rows() -> tuple[int, int, int]:
        with nodes.database.reader() as session:
            return tuple(  # type: ignore[return-value]
                session.scalar(select(func.count()).select_from(model)) or 0
                for model in (Refusal, AuditEntry, JunkCount)
            )

    before = rows()
    for number in range(200):
        body = forged if number % 2 else f"junk {number}".encode()
        response = client.post("/api/v1/exchange/packages", content=body)
        assert response.status_code in (403, 422), response.text
    refusals, audit_entries, counters = rows()
    assert (refusals, audit_entries) == before[:2]
    assert counters - before[2] <= 4  # (reason, hour) pairs: malformed, unknown-signer
    with nodes.database.reader() as session:
        assert session.scalar(select(func.sum(JunkCount.count))) == 200

    signed_but_refused = tampered(mx_package(nodes.mx, sample_tables("MX", QUARTER)))
    assert client.post("/api/v1/exchange/packages", content=signed_but_refused).status_code == 422
    assert rows()[0] == refusals + 1

    log_in(client, "analyst")
    page = client.get("/exchange").text
    assert re.search(r'id="junk-count">200 junk submissions', page)
    assert "checksum-mismatch" in section(page, "refused")


def test_send_goes_only_to_registered_partners_and_hides_remote_errors(
    nodes: Nodes, tmp_path: Path
) -> None:
    """Issue 15, "server-side requests anywhere": the form took any url= (an internal port)
    and echoed the remote's error. It now takes a partner id; a free url is ignored, and a
    failure says only "could not reach" or the status class."""
    from tests.web.test_browser import free_port

    log_in(nodes.client, "analyst")
    csrf = csrf_of(nodes.client, "/exchange")
    built = nodes.client.post("/exchange/build", data={"quarter": QUARTER, "csrf_token": csrf})
    package = built.headers["location"].split("?")[0]
    internal = f"http://127.0.0.1:{free_port()}"
    free_url = nodes.client.post(f"{package}/send", data={"url": internal, "csrf_token": csrf})
    assert free_url.status_code == 422  # no partner chosen: nothing sent anywhere
    with nodes.database.transaction() as session:
        partner = set_partner_url(
            session, "Nodo MX (test)", internal, actor=NodeSelf("test")
        )  # nobody listens there
    failed = nodes.client.post(
        f"{package}/send", data={"partner": str(partner.id), "csrf_token": csrf}
    )
    assert failed.status_code == 409
    assert "could not reach the partner&#39;s node" in failed.text
    assert internal not in failed.text.split('id="send-partner"')[0]
    assert "Connect" not in failed.text  # no exception name or text from the transport


def test_package_page_shows_where_the_figures_come_from(nodes: Nodes) -> None:
    """Issue 16: the provenance the partner's package carries (coverage ``sources``, as
    alianza.exchange.cube writes it) is shown on the package page, a generated sample marked
    as such in the reader's language."""
    sources = [
        {
            "source_system": "MX-GENERATED-SAMPLE",
            "provenance": "GENERATED SAMPLE: invented for the test; not real seizures.",
            "files": ["mx-sample.csv (0123456789ab)"],
            "profiles": ["canonical"],
            "imported": "2019-04-02",
            "generated": True,
        },
        {
            "source_system": "MX-MUCD-DASAA",
            "provenance": "México Unido contra la Delincuencia (MUCD), published extracts.",
            "files": ["MUCD_DataDASAACSV.csv (16921b2297a7)"],
            "profiles": ["mx-mucd"],
            "imported": "2019-04-02",
            "generated": False,
        },
    ]
    data = build_package(
        nodes.mx,
        quarter=QUARTER,
        tables=sample_tables("MX", QUARTER),
        coverage={**COVERAGE, "sources": sources},
        version=1,
        extracted_at=datetime(2019, 4, 3, tzinfo=UTC),
    )
    log_in(nodes.client, "analyst")
    assert upload(nodes.client, data) == 303
    with nodes.database.reader() as session:
        package_id = session.scalars(select(Package.id)).one()
    page = nodes.client.get(f"/exchange/packages/{package_id}").text
    shown = re.search(r'id="sources".*?</section>', page, re.S)
    assert shown, "no #sources"
    block = shown.group(0)
    assert "Where these figures come from" in block
    assert "México Unido contra la Delincuencia (MUCD), published extracts." in block
    assert "MUCD_DataDASAACSV.csv (16921b2297a7)" in block
    assert block.count("GENERATED SAMPLE — not real seizures") == 1
    log_in(nodes.client, "liaison")  # a Mexican user reads it in Spanish
    spanish = nodes.client.get(f"/exchange/packages/{package_id}").text
    assert "MUESTRA GENERADA — no son aseguramientos reales" in spanish
    assert "De dónde vienen estas cifras" in spanish


def test_joint_analysis_charts_name_their_axes_and_units_and_the_trend_has_a_table(
    nodes: Nodes,
) -> None:
    """Issue 23: the trend's y axis had no unit, and its figures no table."""
    from tests.web.test_charts import axis_titles, charts

    tables = sample_tables("MX", QUARTER, seed=3)
    log_in(nodes.client, "analyst")
    assert upload(nodes.client, mx_package(nodes.mx, tables)) == 303
    nodes.client.cookies.set("lang", "es")
    page = nodes.client.get(f"/analysis?quarter={QUARTER}").text
    titles = {c.get("id"): axis_titles(c) for c in charts(page)}
    trends = [k for k in titles if k and k.startswith("chart-trend-")]  # one chart per drug
    assert trends
    assert all(titles[k] == ("Trimestre", "Cantidad asegurada (kg)") for k in trends)
    assert titles["chart-totals"] == ("Droga", "Aseguramientos (número)")
    assert titles["chart-transport"] == ("Medio de transporte", "Aseguramientos (número)")
    trend = section(page, "trend_drug")  # the edition's trend: a table per drug
    assert '<th scope="col">País</th>' in trend
    # Mexico's kilograms of each drug this quarter, as sent, to the gram (the edition's
    # precision: three decimals, trailing zeros dropped)
    sent = {o.drug: o.value for o in tables["totals"] if o.measure == "AMOUNT_KG"}
    for drug, kg in sent.items():
        if kg is not None:
            figure = f"{kg:,.3f}".rstrip("0").rstrip(".")
            assert f">{figure}<" in trend, (drug, figure)
