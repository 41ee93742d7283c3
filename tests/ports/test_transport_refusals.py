"""Why alert messages stay queued (alianza.liaison.transport): the English as before, and in
Spanish where a person reads it (`alianza ports deliver`; issue 18). The partner's answers are
stood in for; tests/ports/test_signing.py sends to a real node."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from alianza.catalogue import in_language, message_of
from alianza.db import Database
from alianza.exchange.keys import create_node_keys
from alianza.liaison import transport
from alianza.liaison.models import OutboxMessage
from alianza.liaison.transport import (
    HttpTransport,
    LoopbackTransport,
    PartnerRefused,
    TransportUnavailable,
    deliver_outbox,
)

NOW = datetime(2026, 11, 28, 20, 12, tzinfo=UTC)
PAYLOADS = [{"kind": "poll", "message_id": "m1"}]


def both(error: BaseException) -> tuple[str, str]:
    return str(error), in_language(message_of(error), "es")


def answered(monkeypatch: pytest.MonkeyPatch, answer: httpx.Response | Exception) -> None:
    def post(url: str, **_: Any) -> httpx.Response:
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(transport.httpx, "post", post)


def test_an_http_batch_that_stays_queued_says_why_in_both_languages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = create_node_keys(tmp_path, name="US node", country="US")
    carrier = HttpTransport(keys, {"MX": "https://mx.example"})
    with pytest.raises(TransportUnavailable) as no_url:
        carrier.send_many("CA", PAYLOADS)
    assert both(no_url.value) == (
        "no partner URL for CA (ALIANZA_PORTS_PARTNER_URL)",
        "no hay URL del socio para CA (ALIANZA_PORTS_PARTNER_URL)",
    )
    answered(monkeypatch, httpx.ConnectError("connection refused at 10.0.0.7:8443"))
    with pytest.raises(TransportUnavailable) as unreachable:
        carrier.send_many("MX", PAYLOADS)
    assert both(unreachable.value) == (
        "could not reach the partner's node",
        "no se pudo contactar el nodo del socio",
    )
    answered(monkeypatch, httpx.Response(503, text="down for maintenance"))
    with pytest.raises(TransportUnavailable) as failed:
        carrier.send_many("MX", PAYLOADS)
    assert both(failed.value) == (
        "the partner's node failed (HTTP 5xx)",
        "el nodo del socio falló (HTTP 5xx)",
    )
    answered(monkeypatch, httpx.Response(403, json={"error": {"code": "unknown-signer"}}))
    with pytest.raises(PartnerRefused) as refused:
        carrier.send_many("MX", PAYLOADS)
    assert both(refused.value) == (
        "the partner's node refused the messages (HTTP 4xx, unknown-signer)",
        "el nodo del socio rechazó los mensajes (HTTP 4xx, unknown-signer)",
    )


def test_the_delivery_report_keeps_the_reason_to_say_it_in_spanish(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'us.db'}", country="US")
    database.migrate()
    with database.transaction() as session:
        session.add(
            OutboxMessage(message_id="m1", destination="MX", payload=PAYLOADS[0],
                          created_at=NOW, attempts=0, next_attempt_at=NOW)
        )  # fmt: skip
    offline = LoopbackTransport({}, lambda: NOW, available=False)
    report = deliver_outbox(database, offline, now=NOW)
    assert (report.delivered, report.failed) == (0, 1)
    assert [(e, in_language(e, "es")) for e in report.errors] == [
        ("node MX unreachable", "el nodo MX no está disponible")
    ]
    with database.reader() as session:
        held = session.get(OutboxMessage, 1)
        assert held is not None
        assert (held.attempts, held.last_error) == (1, "node MX unreachable")
    database.dispose()
