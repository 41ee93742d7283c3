"""Ports pages in-process: a refused send keeps what was typed; unknown ports are 404; the
stream answers with Server-Sent Events and only the user's side's alerts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

from fastapi.testclient import TestClient

from alianza.db import Database
from alianza.ports.alerts import escalate_due, receive
from alianza.ports.directory import add_contact, ensure_pair
from tests.web.conftest import csrf_of, log_in


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
    assert "needs vehicle" in response.text
    assert 'value="7"' in response.text
    assert "texto que no se pierde" in response.text
    assert 'value="XYZ987"' in response.text
    unknown = client.post(
        "/ports/alerts",
        data={"csrf_token": csrf, "port": "9999", "template": "security-incident"},
    )
    assert unknown.status_code == 422
    assert "no US–Mexico port with code &#39;9999&#39;" in unknown.text


def test_stream_sends_the_sides_own_alerts(client: TestClient) -> None:
    log_in(client, "liaison")  # MX
    csrf = csrf_of(client, "/ports/alerts")
    sent = client.post(
        "/ports/alerts",
        data={
            "csrf_token": csrf,
            "port": "2504",
            "template": "security-incident",
            "field_location": "garita",
        },
    )
    assert sent.status_code == 303
    stream = client.get("/ports/alerts/stream?after=0&window=0")
    assert stream.headers["content-type"].startswith("text/event-stream")
    assert stream.text.startswith("retry: 2000")
    assert stream.text.count("event: alert") == 1
    assert '"from":"MX"' in stream.text
    client.post("/logout", data={"csrf_token": csrf_of(client, "/ports/alerts")})
    log_in(client, "analyst")  # US: sees alerts its side sent or received; this one was MX→US
    assert client.get("/ports/alerts/stream?after=0&window=0").text.count("event: alert") == 1


def test_analysis_of_an_unknown_port_is_404(client: TestClient) -> None:
    log_in(client, "viewer")
    assert client.get("/ports/9999/analysis").status_code == 404
    page = client.get("/ports/2504/analysis")
    assert page.status_code == 200
    assert "No BTS crossings held for this port" in page.text


START = datetime(2026, 7, 1, 18, 0, tzinfo=UTC)


def received_alert(database: Database, contacts: dict[str, str]) -> str:
    """An alert from the US node delivered to this (MX) node, whose 2504 directory lists the
    given accounts (role → username) round the clock, in escalation order."""
    with database.transaction() as session:
        pair = ensure_pair(session, "2504", actor="admin")
        for position, (role, username) in enumerate(contacts.items(), start=1):
            add_contact(session, pair, country="MX", position=position, role=role,
                        name=f"Oficial {username}", shift=(time(0), time(0)),
                        channels=[("radio", "4")], actor="admin", username=username)  # fmt: skip
        alert_id = str(uuid.uuid4())
        receive(
            session,
            {"kind": "alert", "message_id": alert_id, "alert": {
                "id": alert_id, "us_port_code": "2504", "from_country": "US",
                "template": "security-incident", "details": {"location": "lane 3"},
                "free_text": "", "created_at": START.isoformat(), "created_by": "us-officer",
            }},
            now=START,
        )  # fmt: skip
    return alert_id


def test_an_escalation_reaches_the_next_contact_marked_for_them(
    client: TestClient, web_db: Database
) -> None:
    alert_id = received_alert(web_db, {"duty-officer": "coordinador", "supervisor": "liaison"})
    log_in(client, "liaison")  # MX, the supervisor of 2504: not addressed yet
    page = client.get("/ports/alerts").text
    assert 'Dirigida a <span class="addressee">Oficial coordinador (duty-officer)' in page
    assert "escalated-to-you" not in page
    with web_db.transaction() as session:
        moved = escalate_due(
            session, node_country="MX", now=START + timedelta(minutes=6), after=timedelta(minutes=5)
        )
    assert [(a.id, c.username) for a, c in moved] == [(alert_id, "liaison")]
    page = client.get("/ports/alerts").text
    assert 'Dirigida a <span class="addressee">Oficial liaison (supervisor)' in page
    assert '<span class="badge escalated-to-you">Escalada a usted</span>' in page
    frames = client.get("/ports/alerts/stream?after=0&window=0").text
    assert frames.count("event: alert") == 2  # delivered, escalated
    assert '"kind":"escalated"' in frames
    assert '"addressed_to":{"role":"supervisor","name":"Oficial liaison","username":"liaison"}' in (
        frames
    )
    client.post("/logout", data={"csrf_token": csrf_of(client, "/ports/alerts")})
    log_in(client, "coordinador")  # MX, the duty officer passed over: no marker
    page = client.get("/ports/alerts").text
    assert "Oficial liaison (supervisor)" in page
    assert "escalated-to-you" not in page
