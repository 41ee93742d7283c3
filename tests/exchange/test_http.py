"""Two nodes on loopback, each serving its web app, push packages to each other over HTTP."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
import uvicorn

from alianza.actors import NodeSelf
from alianza.catalogue import in_language, message_of
from alianza.exchange.sdmx import Observation as Obs
from alianza.exchange.service import (
    build_and_record,
    exchange_status,
    partner_tables,
    record_acknowledgement,
    record_sent,
)
from alianza.exchange.transport import SendFailed, send_package
from alianza.settings import load_settings
from alianza.web import create_app
from tests.exchange.conftest import COVERAGE, Node, sample_tables
from tests.web.test_browser import free_port


@contextmanager
def serving(node: Node) -> Iterator[str]:
    settings = load_settings(home=node.home, env="test")
    # the served node's own cycle-message loop waits an hour: these tests send by hand and
    # count what each send delivered (the loop is tested in test_cycle_delivery_loop.py)
    settings = dataclasses.replace(settings, cycle_send_seconds=3600.0)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, node.database), host="127.0.0.1", port=port, log_level="error"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_two_nodes_exchange_a_quarter_both_ways(us_node: Node, mx_node: Node) -> None:
    with serving(us_node) as us_url, serving(mx_node) as mx_url:
        for sender, url, receiver in [(us_node, mx_url, mx_node), (mx_node, us_url, us_node)]:
            country = sender.keys.identity.country
            tables = sample_tables(country, "2019-Q1", seed=len(country))
            data, _ = build_and_record(
                sender.database,
                sender.keys,
                quarter="2019-Q1",
                tables=tables,
                coverage=COVERAGE,
                actor=NodeSelf("test"),
            )
            delivery = send_package(data, url)
            assert delivery.status == "stored"
            sha256 = hashlib.sha256(data).hexdigest()
            record_sent(sender.database, sha256, url)
            assert record_acknowledgement(sender.database, delivery.receipt, sent=sha256)
            again = send_package(data, url)  # idempotent
            assert again.status == "duplicate"
            with receiver.database.reader() as session:
                received = partner_tables(session, country, "2019-Q1")
            assert received == {k: sorted(v, key=Obs.key) for k, v in tables.items()}
    with us_node.database.reader() as session:
        states = {
            (s.direction, s.country, s.quarter): s
            for s in exchange_status(session, today=date(2019, 6, 1))
        }
    outbound = states[("outbound", "US", "2019-Q1")]
    assert outbound.built is not None
    assert outbound.sent is not None
    assert outbound.acknowledged is not None
    inbound = states[("inbound", "MX", "2019-Q1")]
    assert inbound.received is not None
    assert inbound.due == date(2019, 5, 15)


def test_send_refused_package_says_why_and_unreachable_partner_retries(
    us_node: Node, mx_node: Node
) -> None:
    data, _ = build_and_record(
        us_node.database,
        us_node.keys,
        quarter="2019-Q2",
        tables=sample_tables("US", "2019-Q2"),
        coverage=COVERAGE,
        actor=NodeSelf("test"),
    )
    tampered = bytearray(data)
    tampered[len(data) // 2] ^= 0xFF
    with serving(mx_node) as mx_url, pytest.raises(SendFailed) as refused:
        send_package(bytes(tampered), mx_url)
    # the status class and the stable code only: no remote text, address or port (issue 15)
    assert re.fullmatch(
        r"the partner's node refused the package \(HTTP 4xx, [a-z-]+\)", str(refused.value)
    )
    waits: list[float] = []
    port = free_port()
    with pytest.raises(SendFailed) as unreachable:
        send_package(data, f"http://127.0.0.1:{port}", attempts=4, backoff=0.1, sleep=waits.append)
    assert str(unreachable.value) == (
        "could not reach the partner's node after 4 attempts (last: no answer)"
    )
    assert in_language(message_of(unreachable.value), "es") == (
        "no se pudo contactar el nodo del socio tras 4 intentos (último: sin respuesta)"
    )
    assert waits == [0.1, 0.2, 0.4]


@pytest.mark.parametrize(
    "url",
    ["http://partner.example", "ftp://127.0.0.1", "https://user:pw@partner.example", "https://"],
)
def test_send_refuses_plain_http_to_a_remote_host(url: str) -> None:
    from alianza.exchange.partners import BadPartnerUrl

    with pytest.raises(BadPartnerUrl):
        send_package(b"anything", url, attempts=1)


def test_exchange_status_marks_late_and_missing_quarters(us_node: Node, mx_node: Node) -> None:
    from alianza.exchange.service import receive

    for quarter in ("2019-Q1", "2019-Q3"):
        data, _ = build_and_record(
            us_node.database,
            us_node.keys,
            quarter=quarter,
            tables=sample_tables("US", quarter),
            coverage=COVERAGE,
            actor=NodeSelf("test"),
        )
        receive(mx_node.database, data, actor=NodeSelf("test"))
    with mx_node.database.reader() as session:
        states = {
            s.quarter: s.state
            for s in exchange_status(session, today=date(2020, 1, 10))
            if s.direction == "inbound"
        }
    # received today (2026) for 2019 quarters: late; Q2 never arrived; Q4 not yet due
    assert states == {
        "2019-Q1": "late",
        "2019-Q2": "missing",
        "2019-Q3": "late",
        "2019-Q4": "not-due",
    }
