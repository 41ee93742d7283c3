"""Red team (sec22): a signed alert of the partner node is data to check, not to trust. An
alert whose template, severity or priority this node does not know, or that lacks its
template's fields, was applied, and then the alerts page of every liaison officer of the
receiving node answered 500 (one message took the page down until a database fix)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from alianza.actors import NodeSelf
from alianza.catalogue import in_language
from alianza.db import Database
from alianza.exchange.keys import NodeKeys, create_node_keys
from alianza.exchange.partners import trust_partner
from alianza.liaison.models import Alert
from alianza.liaison.signing import (
    SIGNATURE_HEADER,
    SIGNER_HEADER,
    MessagesRefused,
    receive_batch,
    sign_batch,
)
from tests.web.conftest import log_in

NOW = datetime.now(UTC)


def alert(**changed: Any) -> dict[str, Any]:
    alert_id = str(uuid.uuid4())
    body = {
        "id": alert_id,
        "us_port_code": "2504",
        "from_country": "MX",
        "template": "security-incident",
        "details": {"location": "carril 3"},
        "free_text": "",
        "created_at": NOW.isoformat(),
        "created_by": "enlace",
        "nominal": {},
        **changed,
    }
    return {"kind": "alert", "message_id": alert_id, "alert": body}


def deliver(database: Database, keys: NodeKeys, message: dict[str, Any]) -> int:
    body, headers = sign_batch(keys, "US", [message])
    return receive_batch(
        database,
        body,
        signer=headers[SIGNER_HEADER],
        signature=headers[SIGNATURE_HEADER],
        own_country="US",
        now=NOW,
    ).applied


@pytest.fixture
def partner(web_db: Database, tmp_path: Path) -> NodeKeys:
    mx = create_node_keys(tmp_path / "mx", name="Nodo MX (test)", country="MX")
    with web_db.transaction() as session:
        trust_partner(session, mx.identity, own_fingerprint="", actor=NodeSelf("test"))
    return mx


@pytest.mark.parametrize(
    ("changed", "said"),
    [
        ({"template": "bogus"}, "unknown template 'bogus'"),
        ({"severity": "apocalyptic"}, "severity must be one of"),
        ({"priority": "now"}, "priority must be one of"),
        ({"details": {}}, "template 'security-incident' needs location"),
        ({"details": {"location": 7}}, "template 'security-incident' needs location"),
    ],
)
def test_a_partner_alert_this_node_cannot_show_is_refused(
    client: TestClient, web_db: Database, partner: NodeKeys, changed: dict[str, Any], said: str
) -> None:
    with pytest.raises(MessagesRefused) as refused:
        deliver(web_db, partner, alert(**changed))
    assert refused.value.code == "refused"
    assert said in refused.value.message
    with web_db.reader() as session:
        assert session.scalar(select(func.count()).select_from(Alert)) == 0
    assert deliver(web_db, partner, alert()) == 1  # a well-formed one still arrives
    log_in(client, "liaison")
    page = client.get("/ports/alerts")
    assert page.status_code == 200
    assert "carril 3" in page.text


def test_the_refusal_of_a_partner_alert_is_a_catalogue_message(
    web_db: Database, partner: NodeKeys
) -> None:
    from alianza.catalogue import message_of
    from alianza.liaison.alerts import AlertRefused, receive_many

    with web_db.transaction() as session, pytest.raises(AlertRefused) as refused:
        receive_many(session, [alert(template="bogus")], now=NOW, sender="MX")
    assert in_language(message_of(refused.value), "es").startswith("plantilla desconocida")
