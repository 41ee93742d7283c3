"""The leak hunt (issue 14, item 5) between two real nodes served on loopback: sentinels are
planted on each, each node's package for the quarter (the sentinels' quarter) is pushed to the
other over HTTP, each node's reporting-cycle messages are delivered to the other over HTTP (the
planted draft status paragraph is not among them: a government's texts travel only when it
submits them), and the crawler, logged in as every account of both nodes, finds none of one
node's sentinels anywhere on the other, nor in the other's database. A negative control plants
a MX sentinel on the US node and the crawler must find it."""

from __future__ import annotations

import io
import re
import socket
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from alianza.actors import NodeSelf
from alianza.cooperation.models import Deliverable, LiaisonPost
from alianza.cooperation.threat_assessment import draft_threat_assessment
from alianza.demo.nodes import (
    ACCOUNTS,
    Node,
    Served,
    create_accounts,
    exchange_quarter,
    load_mx_sources,
    prepare_node,
    serve_node,
    trust_each_other,
)
from alianza.exchange.partners import set_partner_url
from alianza.leak_hunt import (
    LEAK_HUNT_CYCLE,
    PARTNER,
    SENTINELS,
    _plant_shipment,
    _scan_bytes,
    hunt,
    plant,
)
from alianza.liaison.alerts import publish_directory, send_alert
from alianza.liaison.directory import ensure_pair
from alianza.liaison.models import Alert, PartnerEntry
from alianza.liaison.transport import HttpTransport, deliver_outbox
from alianza.pme.cycle_outbox import all_messages
from alianza.pme.cycle_transport import envelope_of, send_cycle_messages
from alianza.pme.cycles import cycle_view
from alianza.pme.service import SEED_REPORT, import_report_file
from alianza.seizures.service import import_file
from tests.conftest import DATA

PASSWORD = "leak-hunt-password-1"
QUARTER = "2019-Q2"  # CBP's FY2019 test file and the MX sample both cover it
SENTINEL_DAY = date(2019, 5, 15)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[Node, Served]]]:
    root = tmp_path_factory.mktemp("two-nodes")
    us = prepare_node(root / "us", "US")
    mx = prepare_node(root / "mx", "MX")
    for node in (us, mx):
        import_report_file(node.database, SEED_REPORT, actor=NodeSelf("test"))
        create_accounts(node, PASSWORD)
        plant(node.database, node.country, root / "scratch", day=SENTINEL_DAY)
    import_file(
        us.database,
        DATA / "exchange" / "cbp-nationwide-fy2019.csv",
        "cbp-nationwide",
        actor=NodeSelf("test"),
    )
    load_mx_sources(mx, first=date(2019, 4, 1), last=date(2019, 6, 30), events=300)
    trust_each_other(us, mx)
    served = {
        "US": serve_node(us, host="127.0.0.1", port=free_port()),
        "MX": serve_node(mx, host="127.0.0.1", port=free_port()),
    }
    try:
        for server in served.values():
            server.wait_started()
        # each node's package, built after the sentinels were planted, pushed over HTTP
        for sender, receiver in ((us, mx), (mx, us)):
            done = exchange_quarter(sender, receiver, QUARTER, url=served[receiver.country].url)
            assert (done.status, done.acknowledged) == ("stored", True)
            assert done.observations > 0
        # each node's cycle messages delivered to the other over HTTP, as `pme cycle send`
        # does: the planted draft status paragraph must not travel (it was never submitted)
        for sender, receiver in ((us, mx), (mx, us)):
            with sender.database.transaction() as session:
                set_partner_url(
                    session,
                    receiver.keys.identity.name,
                    served[receiver.country].url,
                    actor=NodeSelf("test"),
                )
            report = send_cycle_messages(sender.database, sender.keys, attempts=1)
            assert report.error is None, report.error
            with sender.database.reader() as session:
                rows = all_messages(session)
                sent = [envelope_of(sender.keys, row) for row in rows]
            draft = SENTINELS[sender.country].draft_text.encode()
            assert [row.kind for row in rows] == ["open"], [row.kind for row in rows]
            assert all(row.delivered_at is not None for row in rows)
            assert not [body for body in sent if draft in body]
            with receiver.database.reader() as session:
                assert (
                    cycle_view(session, f"{LEAK_HUNT_CYCLE}-{sender.country.lower()}").texts == ()
                )
        # each node's port messages (its sentinel alert, its published directory) delivered
        # to the other over HTTP: the alert and the directory travel, the names stay
        for sender, receiver in ((us, mx), (mx, us)):
            deliver_ports(sender, receiver, served[receiver.country].url)
        yield {"US": (us, served["US"]), "MX": (mx, served["MX"])}
    finally:
        for server in served.values():
            server.stop()
        us.dispose()
        mx.dispose()


def deliver_ports(sender: Node, receiver: Node, url: str) -> None:
    """Publish the sender's directory (names not shared) and deliver its port outbox."""
    now = datetime.now(UTC)
    with sender.database.transaction() as session:
        publish_directory(session, sender.country, actor=NodeSelf("test"), now=now)
    transport = HttpTransport(sender.keys, {receiver.country: url})
    report = deliver_outbox(sender.database, transport, now=now)
    # the alert and the directory (published here, and perhaps by the node's own loop too)
    assert report.delivered >= 2, report
    assert (report.failed, report.errors) == (0, []), report
    with receiver.database.reader() as session:
        alerts = session.scalars(select(Alert).where(Alert.from_country == sender.country)).all()
        entries = session.scalars(
            select(PartnerEntry).where(PartnerEntry.country == sender.country)
        ).all()
    assert [a.details for a in alerts] == [{"location": "lane 3 (leak hunt)"}]
    assert [a.nominal for a in alerts] == [{}]  # not shared
    assert [e.name for e in entries] == [None], entries


def test_leak_hunt_finds_nothing_then_finds_a_planted_leak(
    nodes: dict[str, tuple[Node, Served]], tmp_path: Path
) -> None:
    urls = {country: served.url for country, (_node, served) in nodes.items()}
    users = {country: [account[0] for account in ACCOUNTS[country]] for country in nodes}
    databases = {
        country: node.settings.effective_database_url for country, (node, _s) in nodes.items()
    }
    report = hunt(urls, users, PASSWORD, databases, today=date(2026, 1, 1), quarters=[QUARTER])
    assert report.findings == [], report.text()
    # not vacuous: every account logged in and fetched pages, API routes and downloads...
    assert len(report.roles) == 2 * (1 + 5)
    for role in report.roles:
        assert role.fetched >= 60, report.text()
        if role.user != "(anonymous)":
            assert role.statuses[200] >= 60, report.text()
            assert role.downloads >= 15, report.text()  # the analysis in 5 formats too
    assert report.fetched >= 1000
    for role in report.roles:
        if role.user in ("analyst-us", "analista-mx"):  # the downloads that matter most
            assert role.paths[f"/analysis/download?quarter={QUARTER}&format=docx"] == 200
            assert role.paths[f"/analysis/download?quarter={QUARTER}&format=xlsx"] == 200
            download = re.compile(r"/exchange/packages/\d+/download")
            packages = [p for p in role.paths if download.fullmatch(p)]
            assert len(packages) == 2, role.paths  # the node's own and the partner's
            assert all(role.paths[p] == 200 for p in packages)
    # each node's sentinel shipment was shown on its node (so its page was scanned too)
    for role in report.roles:
        if role.user in ("analyst-us", "analista-mx", "admin", "admin-mx"):
            own = SENTINELS[role.node].shipment_text
            assert role.paths[f"/risk/shipments/{own}"] == 200, role.user
    assert report.tables == {"US": report.tables["US"], "MX": report.tables["MX"]}
    assert min(report.tables.values()) >= 40
    # ...and each node's own sentinels were seen on that node (the planting and the scan work)
    for country in ("US", "MX"):
        seen = set().union(*(r.own_seen for r in report.roles if r.node == country))
        assert SENTINELS[country].tag in seen, report.text()
    # each node's threat-assessment drafts were fetched, and hold its own national study
    # (the planted sentinel of a deliverable of its own government) but never the other's
    for country, (node, _served) in nodes.items():
        drafts = [
            p for r in report.roles if r.node == country for p, status in r.paths.items()
            if p.startswith("/coop/threat-assessment?") and status == 200
        ]  # fmt: skip
        assert len(set(drafts)) == 4, drafts  # two periods, two languages
        with node.database.reader() as session:
            draft = draft_threat_assessment(session, date(2019, 1, 1), date(2026, 1, 1))
        assert SENTINELS[country].coop_kind_text("STUDY") in draft
        assert SENTINELS[PARTNER[country]].tag not in draft
    # the received package holds the partner's bilateral records (so something did travel)
    us_node = nodes["US"][0]
    with us_node.database.reader() as session:
        from alianza.exchange.service import partner_tables

        assert partner_tables(session, "MX", QUARTER)

    # negative control: a MX sentinel on the US node (a page, the API and the database)
    mx_tag = SENTINELS["MX"].tag
    with us_node.database.transaction() as session:
        session.add(
            LiaisonPost(
                country="US",
                office=f"{mx_tag}-COOP",
                city="San Diego",
                agency="CBP",
                role="customs-liaison",
                appointed_on=date(2019, 5, 1),
                precision="exact",
                source="negative control",
                recorded_by="test",
                recorded_at=datetime.now(UTC),
            )
        )
        session.add(  # a Mexican study, as an older database of the US node held it
            Deliverable(
                key="negative-control-study",
                title=f"{mx_tag}-STUDY",
                owner="MX",
                country="MX",
                precision="exact",
                source="negative control",
                recorded_by="test",
                recorded_at=datetime.now(UTC),
            )
        )
    _plant_shipment(us_node.database, SENTINELS["MX"], tmp_path, SENTINEL_DAY)
    with us_node.database.transaction() as session:  # an alert naming a MX sentinel
        send_alert(
            session, ensure_pair(session, "2504", actor=NodeSelf("test")), from_country="US",
            template="security-incident", details={"location": "negative control"},
            nominal={"name": f"{mx_tag}-NOMINAL"}, actor=NodeSelf("test"), now=datetime.now(UTC),
        )  # fmt: skip
    planted = hunt(
        {"US": urls["US"]}, {"US": ["admin"]}, PASSWORD, {"US": databases["US"]},
        today=date(2026, 1, 1),
    )  # fmt: skip
    places = {finding.where.split(" ")[-1] for finding in planted.findings}
    assert "coop_liaison_post.office" in places, planted.text()
    assert "/api/v1/coop/liaison-post" in places, planted.text()
    assert "/coop" in places, planted.text()
    assert "coop_deliverable.title" in places, planted.text()
    assert any(p.startswith("/coop/threat-assessment?") for p in places), planted.text()
    assert "risk_shipment.reference" in places, planted.text()
    assert "risk_shipment.importer" in places, planted.text()
    assert "ports_alert.nominal" in places, planted.text()
    assert "/ports/alerts" in places, planted.text()
    assert "risk_shipment.net_mass_kg" in places, planted.text()  # the quantity, as a number
    mx_marks = (mx_tag, f"{SENTINELS['MX'].quantity}")
    assert all(f.node == "US" and f.sentinel.startswith(mx_marks) for f in planted.findings)


def test_scan_opens_zip_files_within_zip_files() -> None:
    """A sentinel inside a DOCX inside a package ZIP is found (and not found when absent)."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as docx:
        docx.writestr("word/document.xml", "<w:t>7,777.123 kg</w:t>")
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("annex.docx", inner.getvalue())
        package.writestr("data.csv", "a,b\n1,2\n")
    found = list(_scan_bytes(outer.getvalue(), SENTINELS["MX"].texts()))
    assert "7,777.123 (in annex.docx/word/document.xml)" in found
    assert list(_scan_bytes(outer.getvalue(), SENTINELS["US"].texts())) == []


def test_the_script_has_its_options() -> None:
    """``scripts/leak_hunt.py --help`` runs (the reviewer's command)."""
    import subprocess
    import sys

    script = Path(__file__).parents[1] / "scripts" / "leak_hunt.py"
    out = subprocess.run(
        [sys.executable, str(script), "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "--us-db" in out
    assert "--plant" in out


def test_the_scripts_planting_opens_each_database_as_its_countrys_node(tmp_path: Path) -> None:
    """``scripts/leak_hunt.py --plant`` names each node's database by URL only; it opens each as
    its country's node (before, it opened them with no country and every sentinel write was
    refused: ``NodeCountryUnknown``, the documented command crashed on the demo's nodes)."""
    from sqlalchemy import select

    from alianza.db import Database
    from alianza.leak_hunt import plant_nodes
    from alianza.seizures.models import Event

    urls = {}
    for country in ("US", "MX"):
        node = prepare_node(tmp_path / country.lower(), country)
        import_report_file(node.database, SEED_REPORT, actor=NodeSelf("test"))
        urls[country] = node.database.url
        node.dispose()
    plant_nodes(urls, tmp_path / "scratch")
    for country, url in urls.items():
        database = Database(url)
        try:
            with database.reader() as session:
                ids = set(session.scalars(select(Event.source_record_id)))
        finally:
            database.dispose()
        assert SENTINELS[country].seizure_text in ids
        assert SENTINELS[PARTNER[country]].seizure_text not in ids
