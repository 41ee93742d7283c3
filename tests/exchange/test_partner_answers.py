"""Red team (sec22): what answers at the partner's address is checked before it is used. A 200
that is not the node's receipt (a proxy's maintenance page, a truncated or forged receipt) made
the send fail with an unhandled error: a 500 on the package page's Send button, a traceback in
``alianza exchange send``. Now it counts as not delivered (retried; then "could not reach the
partner's node"), and a receipt that does not hold acknowledges nothing."""

from __future__ import annotations

from typing import Any

import httpx2 as httpx
import pytest

from alianza.catalogue import in_language, message_of
from alianza.exchange import transport
from alianza.exchange.service import record_acknowledgement
from alianza.exchange.transport import SendFailed, send_package
from tests.exchange.conftest import Node


def answering(monkeypatch: pytest.MonkeyPatch, response: httpx.Response) -> list[int]:
    calls: list[int] = []

    def post(*_args: Any, **_kwargs: Any) -> httpx.Response:
        calls.append(1)
        return response

    monkeypatch.setattr(transport.httpx, "post", post)
    return calls


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, text="<html>maintenance</html>"),
        httpx.Response(200, json=["stored"]),
        httpx.Response(200, json={"status": "stored"}),
        httpx.Response(200, json={"status": "stored", "receipt": "signed"}),
    ],
)
def test_a_200_that_is_not_a_receipt_is_not_a_delivery(
    monkeypatch: pytest.MonkeyPatch, response: httpx.Response
) -> None:
    calls = answering(monkeypatch, response)
    with pytest.raises(SendFailed) as failed:
        send_package(b"PK", "https://partner.example", attempts=2, sleep=lambda _: None)
    assert failed.value.kind == "unreachable"
    assert len(calls) == 2  # retried, as a node that did not answer
    said = message_of(failed.value)
    assert said.endswith("(last: no receipt)")
    assert in_language(said, "es").endswith("sin acuse de recibo)")


@pytest.mark.parametrize(
    "receipt",
    [
        {"sha256": "0" * 64},
        {"sha256": "0" * 64, "status": "stored", "received_at": "x", "receiver": "y"},
        {"sha256": "0" * 64, "status": "stored", "received_at": "x", "receiver": "?",
         "signature": "%%% not base64"},
    ],
)  # fmt: skip
def test_a_receipt_that_does_not_hold_acknowledges_nothing(
    us_node: Node, mx_node: Node, receipt: dict[str, str]
) -> None:
    if receipt.get("receiver") == "?":
        receipt = {**receipt, "receiver": mx_node.keys.identity.fingerprint}
    assert record_acknowledgement(us_node.database, receipt, sent="0" * 64) is False


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, text="<html>maintenance</html>"),
        httpx.Response(200, json={"status": "ok"}),
        httpx.Response(200, json={"outcome": "x" * 500}),
    ],
)
def test_a_cycle_message_answered_without_an_outcome_stays_queued(
    monkeypatch: pytest.MonkeyPatch, us_node: Node, mx_node: Node, response: httpx.Response
) -> None:
    """The same for cycle messages: pushed right after a step on the web (the step's page then
    answered 500) and by the delivery loop; the outcome went into a 20-character column."""
    from alianza.actors import NodeSelf
    from alianza.exchange.partners import set_partner_url
    from alianza.pme import cycle_outbox, cycle_transport
    from alianza.pme.cycle_outbox import all_messages

    with us_node.database.transaction() as session:
        set_partner_url(
            session, mx_node.keys.identity.name, "https://mx.example", actor=NodeSelf("test")
        )
        cycle_outbox.queue(session, "lock", {"plan": "p", "cycle": "c", "by": "ana"})
    calls: list[int] = []

    def post(*_args: Any, **_kwargs: Any) -> httpx.Response:
        calls.append(1)
        return response

    monkeypatch.setattr(cycle_transport.httpx, "post", post)
    report = cycle_transport.send_cycle_messages(
        us_node.database, us_node.keys, attempts=2, sleep=lambda _: None
    )
    assert report.delivered == 0
    assert report.error is not None
    assert "could not reach the partner's node" in report.error
    assert len(calls) == 2
    with us_node.database.reader() as session:
        [row] = all_messages(session)
    assert row.delivered_at is None
    assert row.outcome is None


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, text="<html>maintenance</html>"),
        httpx.Response(200, json={"status": "ok"}),
    ],
)
def test_alert_messages_answered_without_a_count_are_not_delivered(
    monkeypatch: pytest.MonkeyPatch, us_node: Node, response: httpx.Response
) -> None:
    """Port alerts: a 200 at the partner's address that is not its answer (``applied``,
    ``duplicates``) marked the batch delivered, and the alerts never arrived."""
    from alianza.catalogue import in_language, message_of
    from alianza.liaison import transport as alert_transport

    monkeypatch.setattr(alert_transport.httpx, "post", lambda *_a, **_k: response)
    sender = alert_transport.HttpTransport(us_node.keys, {"MX": "https://mx.example"})
    with pytest.raises(alert_transport.TransportUnavailable) as failed:
        sender.send_many("MX", [{"kind": "ack", "message_id": "m-1", "alert_id": "a-1"}])
    assert "without its answer" in str(failed.value)
    assert in_language(message_of(failed.value), "es").startswith("el nodo socio respondió")


def test_the_receipt_of_another_package_does_not_acknowledge_the_one_sent(
    monkeypatch: pytest.MonkeyPatch, us_node: Node, mx_node: Node
) -> None:
    """Review of sec22: a 200 carrying the partner's signed receipt of an earlier package (a
    replayed or cached answer) was taken as the receipt of the package just sent: the send
    said "receipt verified" for a package the partner never received."""
    from sqlalchemy import select

    from alianza.actors import NodeSelf
    from alianza.exchange.models import Event, Package
    from alianza.exchange.service import build_and_record, make_receipt, send_stored
    from tests.exchange.conftest import COVERAGE, sample_tables

    first, second = (
        build_and_record(us_node.database, us_node.keys, quarter=quarter, coverage=COVERAGE,
                         tables=sample_tables("US", quarter), actor=NodeSelf("test"))[1]
        for quarter in ("2019-Q1", "2019-Q2")
    )  # fmt: skip
    with us_node.database.reader() as session:
        first_package = session.get(Package, first.package_id)
        assert first_package is not None
        sha_first = first_package.sha256

    def acknowledged_packages() -> list[int | None]:
        with us_node.database.reader() as session:
            found = select(Event.package_id).where(Event.kind == "acknowledged")
            return list(session.scalars(found))

    old_receipt = make_receipt(mx_node.keys, sha_first, "stored")
    answering(monkeypatch, httpx.Response(200, json={"status": "stored", "receipt": old_receipt}))
    _status, acknowledged = send_stored(us_node.database, second.package_id, "https://mx.example")
    assert acknowledged is False
    assert acknowledged_packages() == []
    # the receipt of the package sent acknowledges it
    answering(monkeypatch, httpx.Response(200, json={"status": "stored", "receipt": old_receipt}))
    assert send_stored(us_node.database, first.package_id, "https://mx.example")[1] is True
    assert acknowledged_packages() == [first.package_id]
