"""The alert hub (server push) and the delivery loop, on real databases, without HTTP."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from alianza.db import Database
from alianza.ports.alerts import send_alert
from alianza.ports.directory import add_contact, ensure_pair
from alianza.ports.liaison_models import Alert, AlertEvent
from alianza.ports.live import AlertHub, run_delivery, sse_frame
from alianza.ports.transport import LoopbackTransport

START = datetime(2026, 7, 1, 18, 0, tzinfo=UTC)


def node(path: Path) -> Database:
    database = Database(f"sqlite:///{path}")
    database.migrate()
    return database


def send(database: Database, at: datetime) -> str:
    with database.transaction() as session:
        pair = ensure_pair(session, "2504", actor="t")
        return send_alert(
            session,
            pair,
            from_country="US",
            template="security-incident",
            details={"location": "lane 3"},
            actor="t",
            now=at,
        ).id


def test_hub_pushes_each_new_event_once_even_when_committed_out_of_order(
    fresh_db: Database,
) -> None:
    alert_id = send(fresh_db, START)

    async def scenario() -> list[list[int]]:
        hub = AlertHub(fresh_db)
        hub.cursor = hub.latest_id()  # as run() starts: only what comes next
        queue = hub.subscribe()
        base = hub.cursor
        got = []
        with fresh_db.transaction() as session:  # id base+2 commits first…
            session.add(AlertEvent(id=base + 2, alert_id=alert_id, at=START, kind="x", details={}))
        await hub.poll_once()
        got.append([e["event_id"] for e in queue.get_nowait()])
        with fresh_db.transaction() as session:  # …then base+1, which the hub looks for again
            session.add(AlertEvent(id=base + 1, alert_id=alert_id, at=START, kind="y", details={}))
        await hub.poll_once()
        got.append([e["event_id"] for e in queue.get_nowait()])
        assert await hub.poll_once() == []  # nothing twice
        assert queue.empty()
        return [[i - base for i in ids] for ids in got]

    assert asyncio.run(scenario()) == [[2], [1]]


def test_frames_carry_the_event_id_and_resume_after_it(fresh_db: Database) -> None:
    send(fresh_db, START)
    send(fresh_db, START + timedelta(minutes=1))
    hub = AlertHub(fresh_db)
    events = hub.events_after(0)
    assert [e["kind"] for e in events] == ["sent", "sent"]
    frame = sse_frame(events[0])
    assert frame.startswith(f"id: {events[0]['event_id']}\nevent: alert\ndata: {{")
    assert frame.endswith("\n\n")
    assert [e["event_id"] for e in hub.events_after(events[0]["event_id"])] == [
        events[1]["event_id"]
    ]


def test_delivery_loop_delivers_and_escalates(tmp_path: Path) -> None:
    us, mx = node(tmp_path / "us.db"), node(tmp_path / "mx.db")
    clock = {"now": START}
    with mx.transaction() as session:
        pair = ensure_pair(session, "2504", actor="t")
        for position, role in ((1, "duty-officer"), (9, "liaison-officer")):
            add_contact(
                session,
                pair,
                country="MX",
                position=position,
                role=role,
                name=role,
                shift=(time(0), time(0)),
                channels=[("radio", "4")],
                actor="t",
            )
    alert_id = send(us, START)

    async def run(database: Database, transport: LoopbackTransport | None, country: str) -> None:
        wake = asyncio.Event()
        task = asyncio.create_task(
            run_delivery(
                database,
                transport,
                node_country=country,
                escalate_after=timedelta(minutes=5),
                wake=wake,
                notify=lambda: None,
                interval=0.05,
                clock=lambda: clock["now"],
            )
        )
        await asyncio.sleep(0.5)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    asyncio.run(run(us, LoopbackTransport({"MX": mx}, lambda: clock["now"]), "US"))
    with mx.reader() as session:
        alert = session.get(Alert, alert_id)
        assert alert is not None
        assert alert.escalation_level == 0
    clock["now"] = START + timedelta(minutes=6)
    asyncio.run(run(mx, None, "MX"))  # MX's loop escalates its unanswered alert
    with mx.reader() as session:
        alert = session.get(Alert, alert_id)
        assert alert is not None
        assert alert.escalation_level == 1
        kinds = session.scalars(
            select(AlertEvent.kind).where(AlertEvent.alert_id == alert_id).order_by(AlertEvent.id)
        ).all()
    assert list(kinds) == ["delivered", "escalated"]
