"""Issue 22: the alerts API (send, acknowledge, list) with API tokens, documented in OpenAPI;
the page shows each alert's state and its times in the port's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from alianza.accounts.service import issue_token
from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.liaison.models import Alert
from tests.web.conftest import csrf_of, log_in
from tests.web.test_ports_pages import received_alert

START_OF_TEST = datetime(2026, 7, 1, 18, 5, tzinfo=UTC)


def token(database: Database, username: str) -> dict[str, str]:
    with database.transaction() as session:
        value = issue_token(session, username, "script", actor=NodeSelf("test"))
    return {"Authorization": f"Bearer {value}"}


def test_an_alert_is_sent_listed_and_acknowledged_with_a_token(
    client: TestClient, mx_client: TestClient, web_db: Database
) -> None:
    us_client, client = client, mx_client  # the MX liaison officer works on the MX node
    as_mx = Database(web_db.url, country="MX")  # tokens are issued on the account's own node
    headers = token(as_mx, "enlace")
    as_mx.dispose()
    sent = client.post(
        "/api/v1/ports/alerts",
        headers=headers,
        json={
            "port": "2504",
            "template": "port-runner",
            "details": {"lane": "2", "vehicle": "sedán gris"},
            "severity": "critical",
            "priority": "urgent",
            "request": True,
            "expires_minutes": 90,
        },
    )
    assert sent.status_code == 201, sent.text
    alert_id = sent.json()["alert"]
    incoming = received_alert(web_db, {"duty-officer": "enlace"})
    done = client.post(f"/api/v1/ports/alerts/{incoming}/ack", headers=headers, json={})
    assert (done.status_code, done.json()["now"]) == (200, True)
    rows = {
        r["id"]: r for r in client.get("/api/v1/ports/alerts", headers=headers).json()["alerts"]
    }
    mine = rows[alert_id]
    assert (mine["state"], mine["severity"], mine["priority"]) == ("queued", "critical", "urgent")
    assert mine["text"] == "Port runner heading north from lane 2: sedán gris"  # sent by MX
    assert mine["due_at"] is not None
    assert mine["expires_at"] is not None
    assert rows[incoming]["state"] == "acknowledged"
    refused = client.post(
        "/api/v1/ports/alerts", headers=headers, json={"port": "2504", "template": "nope"}
    )
    assert refused.status_code == 422
    viewer = token(web_db, "viewer")  # no ports.alert (a US viewer, on the US node)
    assert (
        us_client.post(
            "/api/v1/ports/alerts",
            headers=viewer,
            json={"port": "2504", "template": "security-incident"},
        ).status_code
        == 403
    )


def test_the_alerts_api_and_its_token_are_in_openapi(client: TestClient) -> None:
    document = client.get("/api/openapi.json").json()
    assert {"get", "post"} <= set(document["paths"]["/api/v1/ports/alerts"])
    assert "post" in document["paths"]["/api/v1/ports/alerts/{alert_id}/ack"]
    scheme = document["components"]["securitySchemes"]["apiToken"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    post = document["paths"]["/api/v1/ports/alerts"]["post"]
    assert {"apiToken": []} in post["security"]


def test_the_page_shows_the_state_and_port_times_with_their_zone(
    mx_client: TestClient, web_db: Database
) -> None:
    client = mx_client  # the MX node, where the US node's alert arrived
    received_alert(web_db, {"duty-officer": "enlace"})  # sent 18:00 UTC = 11:00 in San Ysidro
    log_in(client, "enlace")
    page = client.get("/ports/alerts").text
    assert "1 jul 2026 11:00 PDT" in page  # the pages' date style, in the port's zone
    assert "18:00 UTC" not in page
    assert 'data-state="delivered"' in page


def test_the_ports_page_shows_the_partners_published_directory(
    mx_client: TestClient, web_db: Database
) -> None:
    client = mx_client  # the MX node shows the US node's directory
    from alianza.liaison.alerts import receive

    with web_db.transaction() as session:  # as the signed batch from the US node applies it
        receive(
            session,
            {"kind": "directory", "message_id": "d1", "directory": {
                "country": "US", "published_at": "2026-07-01T18:00:00+00:00",
                "pairs": {"2504": [{"position": 1, "role": "supervisor", "name": None,
                                    "shift": ["06:00", "18:00"], "zone": "America/Los_Angeles",
                                    "channels": [{"kind": "radio", "address": "ch 9"}]}]},
            }},
            now=START_OF_TEST,
            sender="US",
        )  # fmt: skip
    log_in(client, "enlace")
    page = client.get("/ports").text
    assert 'class="responsive partner-directory"' in page
    assert "radio: ch 9" in page
    assert "06:00–18:00 America/Los_Angeles" in page


def test_a_late_acknowledgement_asks_for_the_reason_on_the_page_and_in_the_api(
    mx_client: TestClient, web_db: Database
) -> None:
    """A request past its due time is acknowledged with the reason for the delay, on the page
    (EN and ES) and through the API, as with `alianza ports alert ack --reason`; without one
    nothing is recorded."""
    client = mx_client
    # An urgent request from the US node, due 8 h after it was sent (July 2026): overdue now.
    due = datetime(2026, 7, 2, 2, 0, tzinfo=UTC)
    late = received_alert(
        web_db, {"duty-officer": "enlace"}, due_at=due.isoformat(), priority="urgent"
    )
    log_in(client, "enlace")  # a Spanish-speaking liaison officer of the MX node
    page = client.get("/ports/alerts").text
    card = page[page.index(f'id="alert-{late}"') :]
    card = card[: card.index("</li>")]
    assert "Motivo del retraso (pasado el plazo de respuesta)" in card
    assert 'name="reason"' in card
    assert "required" in card.split('name="reason"')[1].split(">")[0]
    csrf = csrf_of(client, "/ports/alerts")

    refused = client.post(f"/ports/alerts/{late}/ack", data={"csrf_token": csrf})
    assert refused.status_code == 422
    assert "No se acusó recibo:" in refused.text
    assert "indique el motivo del retraso" in refused.text
    assert "2026-07-01 19:00 PDT" in refused.text  # the due time, in the port's zone
    client.cookies.set("lang", "en")
    in_english = client.post(f"/ports/alerts/{late}/ack", data={"csrf_token": csrf, "reason": "  "})
    assert in_english.status_code == 422
    assert "Not acknowledged:" in in_english.text
    assert "give the reason for the delay" in in_english.text
    assert "Reason for the delay (past the answer&#39;s due time)" in in_english.text
    script = client.post(  # the page's script: the message comes back as JSON
        f"/ports/alerts/{late}/ack",
        data={"csrf_token": csrf},
        headers={"Accept": "application/json"},
    )
    assert (script.status_code, script.json()["error"]["code"]) == (422, "invalid-input")
    assert "give the reason for the delay" in script.json()["error"]["message"]
    client.cookies.set("lang", "es")  # the script shows it at the card: in the page's language
    script = client.post(
        f"/ports/alerts/{late}/ack",
        data={"csrf_token": csrf},
        headers={"Accept": "application/json"},
    )
    assert "indique el motivo del retraso" in script.json()["error"]["message"]

    as_mx = Database(web_db.url, country="MX")
    headers = token(as_mx, "enlace")
    as_mx.dispose()
    api = client.post(f"/api/v1/ports/alerts/{late}/ack", headers=headers, json={})
    assert (api.status_code, api.json()["error"]["code"]) == (422, "invalid-input")
    assert "give the reason for the delay" in api.json()["error"]["message"]
    with web_db.reader() as session:
        held = session.get(Alert, late)
        assert held is not None
        assert (held.acknowledged_at, held.delay_reason) == (None, None)  # nothing recorded

    done = client.post(
        f"/ports/alerts/{late}/ack",
        data={"csrf_token": csrf, "reason": "radio caído en la garita"},
    )
    assert done.status_code == 303
    with web_db.reader() as session:
        held = session.get(Alert, late)
        assert held is not None
        assert held.acknowledged_at is not None
        assert held.delay_reason == "radio caído en la garita"
        assert held.breached_at is not None
        assert held.breached_at.replace(tzinfo=UTC) == due


def test_the_api_records_the_reason_of_a_late_acknowledgement(
    mx_client: TestClient, web_db: Database
) -> None:
    late = received_alert(
        web_db,
        {"duty-officer": "enlace"},
        due_at=(START_OF_TEST + timedelta(hours=8)).isoformat(),
        priority="urgent",
    )
    on_time = received_alert(web_db, {})  # not a request: no clock, no reason asked
    as_mx = Database(web_db.url, country="MX")
    headers = token(as_mx, "enlace")
    as_mx.dispose()
    client = mx_client
    assert client.post(f"/api/v1/ports/alerts/{on_time}/ack", headers=headers).status_code == 200
    done = client.post(
        f"/api/v1/ports/alerts/{late}/ack", headers=headers, json={"reason": "lanes flooded"}
    )
    assert (done.status_code, done.json()["now"]) == (200, True)
    rows = {
        r["id"]: r for r in client.get("/api/v1/ports/alerts", headers=headers).json()["alerts"]
    }
    assert rows[late]["delay_reason"] == "lanes flooded"
    assert rows[late]["breached_at"] == (START_OF_TEST + timedelta(hours=8)).isoformat()
