"""Ports pages in-process: a refused send keeps what was typed; unknown ports are 404; the
stream answers with Server-Sent Events and only the user's side's alerts."""

from __future__ import annotations

import csv
import re
import uuid
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.liaison.alerts import escalate_due, receive, send_alert
from alianza.liaison.directory import add_contact, ensure_pair
from alianza.liaison.models import Contact
from alianza.ports.service import import_crossings_file, import_waits_file
from alianza.ports.study import study_crossing
from alianza.settings import load_settings
from alianza.web.app import create_app
from tests.conftest import DATA
from tests.web.conftest import add_users, csrf_of, log_in


def test_a_refused_alert_is_explained_and_the_form_kept(client: TestClient) -> None:
    log_in(client, "liaison")
    csrf = csrf_of(client, "/ports/alerts")
    response = client.post(
        "/ports/alerts",
        data={
            "csrf_token": csrf,
            "port": "2504",
            "template": "port-runner",
            "field_lane": "7",  # the vehicle is missing
            "free_text": "texto que no se pierde",
            "nominal_plate": "XYZ987",
        },
    )
    assert response.status_code == 422
    # said in the user's language (the liaison officer reads Spanish), from the catalogue
    assert "la plantilla &#39;port-runner&#39; requiere vehicle" in response.text
    assert 'value="7"' in response.text
    assert "texto que no se pierde" in response.text
    assert 'value="XYZ987"' in response.text
    unknown = client.post(
        "/ports/alerts",
        data={"csrf_token": csrf, "port": "9999", "template": "security-incident"},
    )
    assert unknown.status_code == 422
    assert "ningún puerto México–Estados Unidos con la clave &#39;9999&#39;" in unknown.text


def test_stream_sends_the_sides_own_alerts(client: TestClient, mx_client: TestClient) -> None:
    log_in(mx_client, "enlace")  # MX, on the MX node
    csrf = csrf_of(mx_client, "/ports/alerts")
    sent = mx_client.post(
        "/ports/alerts",
        data={
            "csrf_token": csrf,
            "port": "2504",
            "template": "security-incident",
            "field_location": "garita",
        },
    )
    assert sent.status_code == 303
    stream = mx_client.get("/ports/alerts/stream?after=0&window=0")
    assert stream.headers["content-type"].startswith("text/event-stream")
    assert stream.text.startswith("retry: 2000")
    assert stream.text.count("event: alert") == 1
    assert '"from":"MX"' in stream.text
    log_in(client, "admin")  # US: sees the alerts its side sent or received; this was MX→US
    assert client.get("/ports/alerts/stream?after=0&window=0").text.count("event: alert") == 1


def test_analysis_of_an_unknown_port_is_404(client: TestClient) -> None:
    log_in(client, "viewer")
    assert client.get("/ports/9999/analysis").status_code == 404
    page = client.get("/ports/2504/analysis")
    assert page.status_code == 200
    assert "No BTS crossings held for this port" in page.text


START = datetime(2026, 7, 1, 18, 0, tzinfo=UTC)


def received_alert(database: Database, contacts: dict[str, str], **sent: str) -> str:
    """An alert from the US node delivered to this (MX) node, whose 2504 directory lists the
    given accounts (role → username) round the clock, in escalation order; ``sent``: more of
    the alert as the US node sent it (``due_at``, ``priority``)."""
    with database.transaction() as session:
        pair = ensure_pair(session, "2504", actor=NodeSelf("admin"))
        for position, (role, username) in enumerate(contacts.items(), start=1):
            add_contact(
                session,
                pair,
                country="MX",
                position=position,
                role=role,
                name=f"Oficial {username}",
                shift=(time(0), time(0)),
                channels=[("radio", "4")],
                actor=NodeSelf("admin"),
                username=username,
            )
        alert_id = str(uuid.uuid4())
        receive(
            session,
            {"kind": "alert", "message_id": alert_id, "alert": {
                "id": alert_id, "us_port_code": "2504", "from_country": "US",
                "template": "security-incident", "details": {"location": "lane 3"},
                "free_text": "", "created_at": START.isoformat(), "created_by": "us-officer",
                **sent,
            }},
            now=START,
        )  # fmt: skip
    return alert_id


def test_an_escalation_reaches_the_next_contact_marked_for_them(
    mx_client: TestClient, web_db: Database
) -> None:
    client = mx_client  # the MX node
    alert_id = received_alert(web_db, {"duty-officer": "oficial", "supervisor": "enlace"})
    log_in(client, "enlace")  # MX, the supervisor of 2504: not addressed yet
    page = client.get("/ports/alerts").text
    assert 'Dirigida a <span class="addressee">Oficial oficial (oficial de guardia)' in page
    assert "escalated-to-you" not in page
    with web_db.transaction() as session:
        moved = escalate_due(
            session, node_country="MX", now=START + timedelta(minutes=6), after=timedelta(minutes=5)
        )
    assert [(a.id, c.username) for a, c in moved] == [(alert_id, "enlace")]
    page = client.get("/ports/alerts").text
    assert 'Dirigida a <span class="addressee">Oficial enlace (supervisor)' in page
    assert '<span class="badge escalated-to-you">Escalada a usted</span>' in page
    frames = client.get("/ports/alerts/stream?after=0&window=0").text
    assert frames.count("event: alert") == 2  # delivered, escalated
    assert '"kind":"escalated"' in frames
    assert '"addressed_to":{"role":"supervisor","name":"Oficial enlace","username":"enlace"}' in (
        frames
    )
    client.post("/logout", data={"csrf_token": csrf_of(client, "/ports/alerts")})
    log_in(client, "oficial")  # MX, the duty officer passed over: no marker
    page = client.get("/ports/alerts").text
    assert "Oficial enlace (supervisor)" in page
    assert "escalated-to-you" not in page


def add_mx_officer(session: Session, port: str) -> Contact:
    """The Mexican duty officer ``oficial`` (account ``oficial``), round the clock, at the MX
    side of ``port``'s pair."""
    return add_contact(
        session,
        ensure_pair(session, port, actor=NodeSelf("admin")),
        country="MX",
        position=1,
        role="duty-officer",
        name="Oficial",
        shift=(time(0), time(0)),
        channels=[("radio", "4")],
        actor=NodeSelf("admin"),
        username="oficial",
    )


def alert_from_us(database: Database, port: str) -> str:
    alert_id = str(uuid.uuid4())
    with database.transaction() as session:
        receive(
            session,
            {"kind": "alert", "message_id": alert_id, "alert": {
                "id": alert_id, "us_port_code": port, "from_country": "US",
                "template": "security-incident", "details": {"location": "lane 1"},
                "free_text": "", "created_at": START.isoformat(), "created_by": "us-officer",
            }},
            now=START,
        )  # fmt: skip
    return alert_id


# user → the alerts it sees: "mx-2504" and "mx-2402" came from the US to this MX node,
# "to-us-2402" was sent by MX. The directory lists oficial (MX) at 2504 only. The Mexican
# accounts sign in on the MX node (mx_client), the others on the US node.
SEES = {
    "enlace": {"mx-2504", "mx-2402", "to-us-2402"},  # liaison officer: all of MX's
    "oficial": {"mx-2504"},  # MX official: the port pair of their directory entry
    "admin": {"mx-2504", "mx-2402", "to-us-2402"},  # administrator (US): all of the US's
    "analyst": set(),  # US officials with no directory entry
    "viewer": set(),
}


def test_each_user_sees_the_alerts_of_their_ports_in_page_stream_and_api(
    client: TestClient, mx_client: TestClient, web_db: Database
) -> None:
    ids = {"mx-2504": alert_from_us(web_db, "2504"), "mx-2402": alert_from_us(web_db, "2402")}
    with web_db.transaction() as session:
        add_mx_officer(session, "2504")
        ids["to-us-2402"] = send_alert(
            session, ensure_pair(session, "2402", actor=NodeSelf("admin")), from_country="MX",
            template="security-incident", details={"location": "garita"}, actor=NodeSelf("enlace"),
            now=START,
        ).id  # fmt: skip
    names = {alert_id: name for name, alert_id in ids.items()}
    us_client = client
    for username, expected in SEES.items():
        client = mx_client if username in ("enlace", "oficial") else us_client
        log_in(client, username)
        page = client.get("/ports/alerts").text
        on_page = {name for alert_id, name in names.items() if f'id="alert-{alert_id}"' in page}
        frames = client.get("/ports/alerts/stream?after=0&window=0").text
        streamed = {name for alert_id, name in names.items() if alert_id in frames}
        listed = client.get("/api/v1/ports/alerts").json()["alerts"]
        in_api = {names[row["id"]] for row in listed}
        assert (username, on_page, streamed, in_api) == (username, expected, expected, expected)
        client.post("/logout", data={"csrf_token": csrf_of(client, "/ports/alerts")})


def test_an_official_acknowledges_only_the_alerts_of_their_ports(
    client: TestClient, mx_client: TestClient, web_db: Database
) -> None:
    theirs, other = alert_from_us(web_db, "2504"), alert_from_us(web_db, "2402")
    with web_db.transaction() as session:
        add_mx_officer(session, "2504")
    log_in(mx_client, "oficial")  # on the MX node
    csrf = csrf_of(mx_client, "/ports/alerts")
    headers = {"X-CSRF-Token": csrf, "Accept": "application/json"}
    assert mx_client.post(f"/ports/alerts/{other}/ack", headers=headers).status_code == 403
    done = mx_client.post(f"/ports/alerts/{theirs}/ack", headers=headers)
    assert (done.status_code, done.json()["now"]) == (200, True)
    log_in(client, "viewer")  # US, no directory entry: the workflow never reaches the alert
    csrf = csrf_of(client, "/ports/alerts")
    refused = client.post(f"/ports/alerts/{other}/ack", headers={"X-CSRF-Token": csrf})
    assert refused.status_code == 403


def test_each_node_in_a_process_shows_the_crossing_model_of_its_own_waits(
    client: TestClient,
    web_db: Database,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Two apps in one process (tests, or one server embedding two nodes), each on its own
    database holding the same crossing with as many wait cells but other minutes: each page
    shows the model of its own waits. (The crossing study was kept in a dict of the module,
    keyed by crossing, year and the number of cells: the second app got the first's model.)"""
    waits = DATA / "ports" / "san_ysidro_historical_hourly_avg_by_month_dow.csv"
    doubled = tmp_path / "doubled.csv"
    with waits.open(newline="") as source, doubled.open("w", newline="") as target:
        reader = csv.DictReader(source)
        assert reader.fieldnames is not None
        writer = csv.DictWriter(target, reader.fieldnames)
        writer.writeheader()
        for row in reader:
            writer.writerow(
                {k: v if k.startswith("bwt_") else str(2 * int(v)) for k, v in row.items()}
            )
    other = Database(f"sqlite:///{tmp_path / 'other.db'}", country="US")
    other.migrate()
    add_users(other)
    volumes = DATA / "ports" / "bts-san-ysidro-vehicles-1996-2008.csv"
    for database, wait_file in ((web_db, waits), (other, doubled)):
        import_crossings_file(database, volumes, actor=NodeSelf("test"))
        import_waits_file(database, wait_file, crossing="250401", actor=NodeSelf("test"))
    settings = load_settings(home=tmp_path_factory.mktemp("other-home"), env="test")
    notes = []
    with TestClient(create_app(settings, other), follow_redirects=False) as other_client:
        for each in (client, other_client):
            log_in(each, "viewer")
            page = each.get("/ports/2504/analysis?year=2008")
            assert page.status_code == 200
            note = re.search(r"A queue per hour of the week[^<]*", page.text)
            assert note, "no crossing model on the page"
            notes.append(note.group(0))
    # the same volumes, waits twice as long: the model of each node is its own
    assert notes[0] != notes[1]
    with other.reader() as session:
        expected = study_crossing(session, "250401", reference_year=2008)
    said = f"error {expected.validation.model_mae:,.1f} min"  # twice the first node's
    assert said in notes[1], (said, notes[1])
    other.dispose()
