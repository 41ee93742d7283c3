"""The demo's two nodes: a US node and a MX node, each with its own home (keys, database,
exports), accounts and data, trusted as partners, exchanging a quarter's package.

Each node holds only its own government's records and accounts: the US node CBP's public files
and US accounts, the MX node Mexico's sources (today a GENERATED sample, clearly labelled) and
Mexican accounts. What a node knows of its partner comes from the signed packages it received.
``alianza demo`` builds the full pair; the leak-hunt test builds a smaller one with the same
functions.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from alianza.accounts.permissions import Country, Role
from alianza.accounts.service import create_user
from alianza.accounts.session_key import create_session_key
from alianza.actors import NodeSelf
from alianza.db import Database, open_database
from alianza.demo import messages as words
from alianza.exchange.keys import NodeKeys, create_node_keys
from alianza.settings import Settings, load_settings

if TYPE_CHECKING:
    import uvicorn

NODE_NAMES = {"US": "US node (demo)", "MX": "Nodo MX (demo)"}
# Development-only accounts, each on its own government's node (username, role, agency, name,
# language).
ACCOUNTS: dict[str, list[tuple[str, Role, str, str, str]]] = {
    "US": [
        ("admin", Role.ADMIN, "ONDCP", "Demo Administrator", "en"),
        ("coordinator-us", Role.COORDINATOR, "ONDCP", "U.S. Coordinator", "en"),
        ("analyst-us", Role.ANALYST, "CBP", "CBP Analyst", "en"),
        ("liaison-us", Role.LIAISON, "CBP", "Port Liaison (San Ysidro)", "en"),
        ("viewer", Role.VIEWER, "DOS", "Read-only Viewer", "en"),
    ],
    "MX": [
        ("admin-mx", Role.ADMIN, "SRE", "Administración del nodo MX", "es"),
        ("coordinador-mx", Role.COORDINATOR, "SRE", "Coordinador de México", "es"),
        ("analista-mx", Role.ANALYST, "FGR", "Analista de la FGR", "es"),
        ("enlace-mx", Role.LIAISON, "ANAM", "Enlace de Tijuana", "es"),
        ("lector-mx", Role.VIEWER, "SRE", "Lector (solo lectura)", "es"),
    ],
}
MX_SAMPLE_FILE = "mx-generated-sample.csv"


@dataclass
class Node:
    """One node of the demo: its government, home, settings, database and key pair."""

    country: str
    home: Path
    settings: Settings
    database: Database
    keys: NodeKeys

    def dispose(self) -> None:
        self.database.dispose()


def prepare_node(home: Path, country: str, *, env: str = "development") -> Node:
    """A fresh node home: its key pair first (the node's country comes from its keys), then
    its migrated embedded database."""
    home.mkdir(parents=True, exist_ok=True)
    keys = create_node_keys(home, name=NODE_NAMES[country], country=country)
    settings = load_settings(home=home.resolve(), database_url=None, env=env)
    create_session_key(settings.session_key_file)  # the node's own, as `alianza node init`
    return Node(country, home, settings, open_database(settings), keys)


def create_accounts(node: Node, password: str) -> list[tuple[str, Role, str]]:
    """The node's own government's demo accounts; (username, role, agency) each."""
    created = []
    with node.database.transaction() as session:
        for username, role, agency, name, language in ACCOUNTS[node.country]:
            create_user(
                session,
                username=username,
                password=password,
                role=role,
                country=Country(node.country),
                agency=agency,
                display_name=name,
                language=language,
                actor=NodeSelf("demo"),
            )
            created.append((username, role, agency))
    return created


@dataclass(frozen=True)
class SourceLoad:
    label: str
    path: Path
    rows: int
    loaded: int


def load_mx_sources(
    node: Node,
    *,
    first: date = date(2024, 1, 1),
    last: date = date(2025, 12, 31),
    events: int = 4000,
) -> list[SourceLoad]:
    """Mexico's seizure sources, loaded into the MX node only (never into the US node): the
    real MUCD monthly files as published (packaged with Alianza) and the GENERATED sample.
    Each import stores its source's provenance, and each label here is that provenance."""
    from alianza.seizures.mucd import PACKAGED_MUCD, PROFILE, import_mucd
    from alianza.seizures.profile import load_profile
    from alianza.seizures.sample import PROVENANCE, write_mx_sample
    from alianza.seizures.service import import_file

    assert node.country == "MX", "Mexican records belong on the MX node"
    loads = []
    mucd_provenance = load_profile(PROFILE).provenance  # stored with each import
    for name, outcome in import_mucd(node.database, PACKAGED_MUCD, actor=NodeSelf("demo")).items():
        report = outcome.report
        loads.append(SourceLoad(mucd_provenance, PACKAGED_MUCD / name, report.rows, report.loaded))
    sample = node.home / MX_SAMPLE_FILE
    rows = write_mx_sample(sample, first=first, last=last, events=events)
    outcome = import_file(
        node.database, sample, "canonical", actor=NodeSelf("demo"), provenance=PROVENANCE
    )
    loads.append(SourceLoad(PROVENANCE, sample, rows, outcome.report.loaded))
    return loads


def trust_each_other(us: Node, mx: Node) -> None:
    """Each node trusts the other's public key (in production: exchanged files, checked by
    telephone)."""
    from alianza.exchange.partners import trust_partner

    for node, partner in ((us, mx), (mx, us)):
        with node.database.transaction() as session:
            trust_partner(
                session,
                partner.keys.identity,
                own_fingerprint=node.keys.identity.fingerprint,
                actor=NodeSelf("demo"),
            )


@dataclass(frozen=True)
class Exchanged:
    country: str
    quarter: str
    observations: int
    size: int
    status: str  # stored | duplicate (as the partner said)
    acknowledged: bool
    via: str  # the file written, or the URL posted to


def exchange_quarter(
    sender: Node,
    receiver: Node,
    quarter: str,
    *,
    url: str | None = None,
) -> Exchanged:
    """Build the sender's package for ``quarter`` from its own records, keep a copy in its
    ``exchange/`` folder and deliver it: POSTed to the receiver's endpoint at ``url`` (the
    partner signs a receipt), or else received from the file (the file transport)."""
    from alianza.exchange.cube import quarter_tables
    from alianza.exchange.service import (
        build_and_record,
        make_receipt,
        receive,
        record_acknowledgement,
        record_sent,
    )

    with sender.database.reader() as session:
        tables, coverage = quarter_tables(session, country=sender.country, quarter=quarter)
    data, _ = build_and_record(
        sender.database, sender.keys, quarter=quarter, tables=tables, coverage=coverage,
        actor=NodeSelf("demo"),
    )  # fmt: skip
    sha256 = hashlib.sha256(data).hexdigest()
    outbox = sender.home / "exchange"
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{sender.country.lower()}-{quarter}.zip"
    path.write_bytes(data)
    if url is not None:
        from alianza.exchange.transport import send_package

        delivery = send_package(data, url)
        status, receipt, via = delivery.status, delivery.receipt, url
    else:
        result, _country, _quarter = receive(receiver.database, data, actor=NodeSelf("demo"))
        status, via = result.status, f"file {path}"
        receipt = make_receipt(receiver.keys, sha256, result.status)
    record_sent(sender.database, sha256, via)
    acknowledged = record_acknowledgement(sender.database, receipt, sent=sha256)
    observations = sum(len(rows) for rows in tables.values())
    return Exchanged(sender.country, quarter, observations, len(data), status, acknowledged, via)


@dataclass
class Served:
    """A node served by uvicorn in a background thread."""

    server: uvicorn.Server
    thread: threading.Thread
    url: str

    def wait_started(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(words.NODE_DID_NOT_START.said(url=self.url))
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def serve_node(
    node: Node,
    *,
    host: str,
    port: int,
    partner_url: str | None = None,
    log_level: str = "warning",
    configure: Callable[[Settings], Settings] | None = None,
) -> Served:
    """Serve ``node`` on ``host:port`` in a background thread (its port alerts go to
    ``partner_url``)."""
    import uvicorn

    from alianza.web import create_app
    from alianza.web.listen import listen_options

    settings = node.settings
    if partner_url is not None:
        settings = dataclasses.replace(settings, ports_partner_url=partner_url)
    if configure is not None:
        settings = configure(settings)
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, node.database),
            port=port,
            **listen_options(settings, host),  # loopback only: the demo has no TLS
            log_level=log_level,
            timeout_graceful_shutdown=5,  # open alert streams do not hold the stop up
        )
    )
    thread = threading.Thread(target=server.run, name=f"{node.country.lower()}-node", daemon=True)
    thread.start()
    return Served(server, thread, f"http://{host}:{port}")
