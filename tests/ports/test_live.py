"""The alert hub (server push) and the delivery loop, on real databases, without HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.liaison.alerts import send_alert
from alianza.liaison.directory import add_contact, ensure_pair
from alianza.liaison.lease import LEASE_SECONDS, hold_lease, release_lease
from alianza.liaison.live import AlertHub, run_delivery, sse_frame
from alianza.liaison.models import Alert, AlertEvent
from alianza.liaison.transport import LoopbackTransport

START = datetime(2026, 7, 1, 18, 0, tzinfo=UTC)


def node(path: Path) -> Database:
    database = Database(f"sqlite:///{path}")
    database.migrate()
    return database


def send(database: Database, at: datetime) -> str:
    with database.transaction() as session:
        pair = ensure_pair(session, "2504", actor=NodeSelf("t"))
        return send_alert(
            session,
            pair,
            from_country="US",
            template="security-incident",
            details={"location": "lane 3"},
            actor=NodeSelf("t"),
            now=at,
        ).id


def test_resumed_reader_sees_events_committed_out_of_start_order(fresh_db: Database) -> None:
    """Two writers: the first draws its event id and stays open while the second writes and
    tries to commit. A browser reads what is committed, then resumes after the last id it saw
    (``Last-Event-ID``) once both are done: it must have seen both events, none twice.

    Before events were numbered in commit order (PostgreSQL), the second writer committed the
    higher id first, the reader resumed after it, and the first writer's event was never sent.
    """
    alert_id = send(fresh_db, START)
    hub = AlertHub(fresh_db)
    seen = [e["event_id"] for e in hub.events_after(0)]
    first_open, second_done = threading.Event(), threading.Event()
    release = threading.Event()

    def first_writer() -> None:
        with fresh_db.transaction() as session:
            session.add(AlertEvent(alert_id=alert_id, at=START, kind="first", details={}))
            session.flush()  # the id is drawn now
            first_open.set()
            release.wait(10)

    def second_writer() -> None:
        first_open.wait(10)
        with fresh_db.transaction() as session:
            session.add(AlertEvent(alert_id=alert_id, at=START, kind="second", details={}))
        second_done.set()

    threads = [threading.Thread(target=first_writer), threading.Thread(target=second_writer)]
    for thread in threads:
        thread.start()
    first_open.wait(10)
    # Give the second writer the time to commit if nothing holds it back (the old behaviour
    # on PostgreSQL); with events numbered in commit order it waits for the first one.
    second_done.wait(1.5)
    seen += [e["event_id"] for e in hub.events_after(max(seen))]  # the browser's first read
    release.set()
    for thread in threads:
        thread.join(20)
    seen += [e["event_id"] for e in hub.events_after(max(seen))]  # it resumes after its last id
    with fresh_db.reader() as session:
        written = session.scalars(select(AlertEvent.id).order_by(AlertEvent.id)).all()
        kinds = session.scalars(select(AlertEvent.kind).order_by(AlertEvent.id)).all()
    assert sorted(seen) == list(written)  # every event, none twice
    assert len(seen) == len(set(seen))
    assert list(kinds) == ["sent", "first", "second"]  # ids follow commit order


def test_hub_pushes_each_new_event_once(fresh_db: Database) -> None:
    alert_id = send(fresh_db, START)

    async def scenario() -> list[list[str]]:
        hub = AlertHub(fresh_db)
        hub.cursor = hub.latest_id()  # as run() starts: only what comes next
        queue = hub.subscribe()
        got = []
        for kind in ("x", "y"):
            with fresh_db.transaction() as session:
                session.add(AlertEvent(alert_id=alert_id, at=START, kind=kind, details={}))
            await hub.poll_once()
            got.append([e["kind"] for e in queue.get_nowait()])
        assert await hub.poll_once() == []  # nothing twice
        assert queue.empty()
        return got

    assert asyncio.run(scenario()) == [["x"], ["y"]]


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
        pair = ensure_pair(session, "2504", actor=NodeSelf("t"))
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
                actor=NodeSelf("t"),
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


def test_lease_is_held_by_one_loop_and_taken_over_once_expired(fresh_db: Database) -> None:
    def holds(holder: str, seconds: float) -> bool:
        return hold_lease(fresh_db, holder, now=START + timedelta(seconds=seconds), seconds=15)

    steps = [
        holds("a", 0),  # free: a takes it
        holds("b", 1),  # held by a
        holds("a", 10),  # a renews, until 25 s
        holds("b", 20),  # still a's
        holds("b", 26),  # a stopped renewing (died): b takes over
        holds("a", 27),  # a is back: b has it now
    ]
    release_lease(fresh_db, "b", now=START + timedelta(seconds=28))  # b stops cleanly
    steps.append(holds("a", 28))  # a takes over at once
    assert steps == [True, False, True, False, True, False, True]


@dataclass
class RecordingTransport:
    """Accepts every batch and records which loop sent which message ids."""

    worker: str
    log: list[tuple[str, str]]

    def send_many(self, destination: str, payloads: Sequence[Mapping[str, Any]]) -> None:
        self.log += [(self.worker, str(p["message_id"])) for p in payloads]


def test_several_workers_one_delivery_loop_at_a_time(fresh_db: Database) -> None:
    """Two workers' loops on one database, alerts sent while they run: every message is sent
    once, by one worker (before the lease, both delivered and sent messages twice)."""
    sent: list[tuple[str, str]] = []

    async def scenario() -> list[str]:
        wakes = [asyncio.Event(), asyncio.Event()]
        tasks = [
            asyncio.create_task(
                run_delivery(
                    fresh_db,
                    RecordingTransport(worker, sent),
                    node_country=None,
                    escalate_after=timedelta(minutes=5),
                    wake=wake,
                    notify=lambda: None,
                    interval=0.02,
                    clock=lambda: START,
                    holder=worker,
                )
            )
            for worker, wake in zip(("a", "b"), wakes, strict=True)
        ]
        alert_ids = []
        for _ in range(20):
            alert_ids.append(await asyncio.to_thread(send, fresh_db, START))
            for wake in wakes:  # both workers are told at once, as after a send on each
                wake.set()
            await asyncio.sleep(0.03)
        await asyncio.sleep(0.3)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        return alert_ids

    alert_ids = asyncio.run(scenario())
    assert sorted(message for _worker, message in sent) == sorted(alert_ids)  # each once
    assert len({worker for worker, _message in sent}) == 1


def test_a_standing_by_loop_takes_over_when_the_holder_dies(fresh_db: Database) -> None:
    clock = {"now": START}
    assert hold_lease(fresh_db, "dead-worker", now=START)  # took it, then died: no renewal
    alert_id = send(fresh_db, START)
    sent: list[tuple[str, str]] = []

    async def run_for(seconds: float) -> None:
        task = asyncio.create_task(
            run_delivery(
                fresh_db,
                RecordingTransport("standby", sent),
                node_country=None,
                escalate_after=timedelta(minutes=5),
                wake=asyncio.Event(),
                notify=lambda: None,
                interval=0.02,
                clock=lambda: clock["now"],
                holder="standby",
            )
        )
        await asyncio.sleep(seconds)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    asyncio.run(run_for(0.3))
    assert sent == []  # the lease is the dead worker's until it expires
    clock["now"] = START + timedelta(seconds=LEASE_SECONDS + 1)
    asyncio.run(run_for(0.3))
    assert sent == [("standby", alert_id)]


def test_on_postgresql_the_hub_is_woken_by_notify_not_by_a_timer(fresh_db: Database) -> None:
    """The hub's timer is set to an hour: an event written by another connection (as another
    app server or a command would) reaches the subscriber only through LISTEN/NOTIFY. Before
    the hub listened, it came after the hour's wait (the test's 30 s limit failed)."""
    if fresh_db.is_sqlite:
        pytest.skip("SQLite has no LISTEN/NOTIFY: the hub polls there")
    alert_id = send(fresh_db, START)
    other = Database(fresh_db.url, country="US")  # another server's connections

    async def scenario() -> list[str]:
        hub = AlertHub(fresh_db, interval=3600)
        queue = hub.subscribe()
        running = asyncio.create_task(hub.run())
        try:
            await asyncio.wait_for(hub.listening.wait(), 30)
            while not hub.reads:  # the read after LISTEN is done: what comes next, notified
                await asyncio.sleep(0.05)

            def write() -> None:
                with other.transaction() as session:
                    session.add(AlertEvent(alert_id=alert_id, at=START, kind="far", details={}))

            await asyncio.to_thread(write)
            events = await asyncio.wait_for(queue.get(), 30)
            return [e["kind"] for e in events]
        finally:
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await running

    try:
        assert asyncio.run(scenario()) == ["far"]
    finally:
        other.dispose()


def test_on_postgresql_the_hub_listens_again_after_losing_its_connection(
    fresh_db: Database,
) -> None:
    """The hub's listening connection is ended by the server (a restart, a failover, an
    administrator): the hub connects again and an event written meanwhile or after still
    reaches the subscriber, with no timer (an hour) to fall back on."""
    if fresh_db.is_sqlite:
        pytest.skip("SQLite has no LISTEN/NOTIFY: the hub polls there")
    alert_id = send(fresh_db, START)
    listening = (
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
    )

    async def scenario() -> list[str]:
        hub = AlertHub(fresh_db, interval=3600)
        queue = hub.subscribe()
        running = asyncio.create_task(hub.run())
        try:
            await asyncio.wait_for(hub.listening.wait(), 30)

            def cut_and_write() -> None:
                with fresh_db.transaction() as session:
                    pids = session.scalars(text(listening)).all()
                    assert len(pids) == 1
                    session.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pids[0]})
                with fresh_db.transaction() as session:
                    session.add(AlertEvent(alert_id=alert_id, at=START, kind="late", details={}))

            await asyncio.to_thread(cut_and_write)
            events = await asyncio.wait_for(queue.get(), 30)
            return [e["kind"] for e in events]
        finally:
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await running

    assert asyncio.run(scenario()) == ["late"]
