"""The alerts page in the words its users read (issue 23): who acknowledged an alert by their
display name on both sides, not by an account's user name; the notice after a send says where
that alert is now, not "queued" after it was carried and acknowledged; times in the pages' one
date style ("1 jul 2026 11:00 PDT", not "2026-07-01 11:00 PDT")."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from alianza.accounts.models import User
from alianza.db import Database
from alianza.liaison.models import Alert, OutboxMessage
from tests.web.conftest import csrf_of, log_in
from tests.web.test_ports_pages import alert_from_us


def test_an_acknowledgement_is_shown_and_sent_with_the_display_name(
    mx_client: TestClient, web_db: Database
) -> None:
    alert_id = alert_from_us(web_db, "2504")
    log_in(mx_client, "enlace")  # the MX liaison officer, on the MX node
    with web_db.transaction() as session:
        session.execute(
            update(User).where(User.username == "enlace").values(display_name="Enlace Tijuana")
        )
    csrf = csrf_of(mx_client, "/ports/alerts")
    done = mx_client.post(
        f"/ports/alerts/{alert_id}/ack",
        headers={"X-CSRF-Token": csrf, "Accept": "application/json"},
    )
    assert done.status_code == 200
    page = mx_client.get("/ports/alerts").text
    card = page.split(f'id="alert-{alert_id}"', 1)[1].split("</li>", 1)[0]
    state = re.search(r'<span class="ack-state">(.*?)</span>\s*</p>', card, re.S)
    assert state
    assert "Enlace Tijuana" in state.group(1)
    assert not re.search(r"\benlace\b", state.group(1))
    # times in the pages' one date style: sent 1 July 2026 18:00 UTC = 11:00 in Tijuana (PDT)
    assert "enviada 1 jul 2026 11:00 PDT" in card
    with web_db.reader() as session:
        (ack,) = [
            m.payload for m in session.scalars(select(OutboxMessage)) if m.payload["kind"] == "ack"
        ]
        assert ack["acknowledged_by"] == "Enlace Tijuana"  # what the US side will show
        assert session.get(Alert, alert_id).acknowledged_by == "Enlace Tijuana"  # type: ignore[union-attr]


def test_the_notice_after_a_send_follows_the_alert(client: TestClient, web_db: Database) -> None:
    log_in(client, "liaison")  # reads in Spanish
    csrf = csrf_of(client, "/ports/alerts")
    sent = client.post(
        "/ports/alerts",
        data={"csrf_token": csrf, "port": "2504", "template": "security-incident",
              "field_location": "garita 3"},
    )  # fmt: skip
    assert sent.status_code == 303
    where = sent.headers["location"]
    alert_id = where.split("sent=", 1)[1]

    def notice() -> str:
        page = client.get(where).text
        found = re.search(r'id="sent-notice">(.*?)</p>', page, re.S)
        assert found, page
        return found.group(1)

    assert notice().startswith("Alerta en cola")
    now = datetime(2026, 11, 28, 20, 2, tzinfo=UTC)
    with web_db.transaction() as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.message_id == alert_id)
            .values(delivered_at=now)
        )
    assert notice() == "Alerta enviada y entregada al nodo socio; aún sin acuse."
    with web_db.transaction() as session:
        alert = session.get(Alert, alert_id)
        assert alert is not None
        alert.acknowledged_at, alert.acknowledged_by = now, "Oficial de guardia ANAM"
    assert notice() == (
        "Alerta enviada, entregada al nodo socio y con acuse de Oficial de guardia ANAM."
    )
