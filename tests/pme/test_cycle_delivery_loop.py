"""A served node delivers its queued cycle messages by itself (``alianza serve``'s background
loop): two real nodes over HTTP, the partner down when the step is done, then back; the
message arrives with no further user action."""

from __future__ import annotations

import dataclasses
import socket
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import select

from alianza.actors import NodeSelf
from alianza.demo.nodes import prepare_node, serve_node, trust_each_other
from alianza.exchange.partners import set_partner_url
from alianza.pme import cycles
from alianza.pme.cycle_outbox import all_messages
from alianza.pme.engine_models import CycleMessageLogRow
from alianza.pme.service import SEED_REPORT, import_report_file
from alianza.settings import Settings

KEY = "2000-02"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(condition: Callable[[], bool], what: str, limit: float = 120.0) -> None:
    """Poll until ``condition`` holds (a bound against hanging, not a timing assertion)."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.1)


def fast(settings: Settings) -> Settings:
    return dataclasses.replace(settings, cycle_send_seconds=0.2)


def test_queued_cycle_messages_go_when_the_partner_comes_back(tmp_path: Path) -> None:
    us = prepare_node(tmp_path / "us", "US")
    mx = prepare_node(tmp_path / "mx", "MX")
    servers = []
    try:
        for node in (us, mx):
            import_report_file(node.database, SEED_REPORT, actor=NodeSelf("test"))
        trust_each_other(us, mx)
        mx_port = free_port()
        with us.database.transaction() as session:
            set_partner_url(
                session,
                mx.keys.identity.name,
                f"http://127.0.0.1:{mx_port}",
                actor=NodeSelf("test"),
            )
        servers.append(serve_node(us, host="127.0.0.1", port=free_port(), configure=fast))
        servers[0].wait_started()
        with us.database.transaction() as session:  # a step done while the MX node is down
            cycles.open_cycle(
                session, KEY, as_of=date(2000, 2, 29), label_en="Feb 2000",
                label_es="feb 2000", actor=NodeSelf("coordinator-us"),
            )  # fmt: skip

        def outbox() -> list[tuple[object, int, str | None]]:
            with us.database.reader() as session:
                return [(m.delivered_at, m.attempts, m.last_error) for m in all_messages(session)]

        # the loop tries on its own, fails (the partner is down), and keeps the message
        wait_for(lambda: outbox()[0][1] >= 2, "two delivery attempts while the partner is down")
        [(delivered, _attempts, error)] = outbox()
        assert delivered is None
        assert error
        servers.append(serve_node(mx, host="127.0.0.1", port=mx_port))
        servers[1].wait_started()
        # nobody runs `pme cycle send`: the message arrives by itself
        wait_for(lambda: outbox()[0][0] is not None, "the message delivered")
        with mx.database.reader() as session:
            view = cycles.cycle_view(session, KEY)
            outcomes = session.scalars(select(CycleMessageLogRow.outcome)).all()
        assert view.state is cycles.CycleState.OPEN
        assert view.label_es == "feb 2000"
        assert outcomes == ["applied"]  # applied once
    finally:
        for server in servers:
            server.stop()
        us.dispose()
        mx.dispose()
