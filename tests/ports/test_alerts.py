"""Counterpart alerts between two nodes (US and MX), in one process, on a test clock."""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from statistics import median

import pytest
from sqlalchemy import func, select

from alianza.actors import NodeSelf
from alianza.audit import AuditEntry, verify_chain
from alianza.db import Database
from alianza.liaison.alerts import (
    AlertRefused,
    acknowledge,
    escalate_due,
    export_alerts,
    render,
    send_alert,
)
from alianza.liaison.directory import DirectoryError, add_contact, ensure_pair
from alianza.liaison.drills import record_drill, schedule_drill
from alianza.liaison.live import AlertHub
from alianza.liaison.measures import communication_measures
from alianza.liaison.models import Alert, AlertEvent, Contact, OutboxMessage, PortPair
from alianza.liaison.transport import (
    FileTransport,
    LoopbackTransport,
    deliver_outbox,
    receive_folder,
)

START = datetime(2026, 7, 1, 18, 0, tzinfo=UTC)  # 11:00 in San Ysidro (PDT)
ALL_DAY = (time(0, 0), time(0, 0))


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def make_node(url: str) -> Database:
    database = Database(url)
    database.migrate()
    with database.transaction() as session:
        pair = ensure_pair(session, "2504", actor=NodeSelf("admin"))
        for country in ("US", "MX"):
            side = country.lower()
            add_contact(session, pair, country=country, position=1, role="duty-officer",
                        name=f"{country} officer", shift=(time(6), time(18)),
                        channels=[("radio", "ch 4")], actor=NodeSelf("admin"),
                        username=f"{side}-officer")  # fmt: skip
            add_contact(session, pair, country=country, position=2, role="supervisor",
                        name=f"{country} supervisor", shift=ALL_DAY,
                        channels=[("telephone", "+1 555 0100")], actor=NodeSelf("admin"),
                        username=f"{side}-supervisor")  # fmt: skip
            add_contact(session, pair, country=country, position=9, role="liaison-officer",
                        name=f"{country} liaison", shift=(time(8), time(17)),
                        channels=[("messaging", "liaison@example.org")], actor=NodeSelf("admin"),
                        username=f"{side}-liaison")  # fmt: skip
    return database


@pytest.fixture
def nodes(tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    us = make_node(f"sqlite:///{tmp_path / 'us.db'}")
    mx = make_node(f"sqlite:///{tmp_path / 'mx.db'}")
    yield us, mx
    us.dispose()
    mx.dispose()


def send(database: Database, clock: Clock, **extra: object) -> str:
    with database.transaction() as session:
        pair = ensure_pair(session, "2504", actor=NodeSelf("x"))
        alert = send_alert(
            session, pair, from_country="US", template="port-runner",
            details={"lane": "7", "vehicle": "white pickup"}, free_text="armed?",
            nominal={"plate": "ABC1234"}, actor=NodeSelf("us-officer"), now=clock(), **extra,  # type: ignore[arg-type]
        )  # fmt: skip
        return alert.id


def test_alert_reaches_counterpart_and_acknowledgement_returns(
    nodes: tuple[Database, Database],
) -> None:
    us, mx = nodes
    clock = Clock()
    to_mx = LoopbackTransport({"MX": mx}, clock)
    to_us = LoopbackTransport({"US": us}, clock)
    alert_id = send(us, clock)
    assert deliver_outbox(us, to_mx, now=clock()).delivered == 1
    with mx.reader() as session:
        received = session.get(Alert, alert_id)
        assert received is not None
        assert render(received, "es").startswith("Vehículo que evadió la revisión")
        contact = session.get(Contact, received.contact_id)
        assert contact is not None
        assert contact.name == "MX officer"
        assert received.nominal == {}  # not shared unless the sender says so
    clock.advance(minutes=3)
    with mx.transaction() as session:
        assert acknowledge(session, alert_id, actor=NodeSelf("mx-officer"), now=clock()) is True
        assert acknowledge(session, alert_id, actor=NodeSelf("mx-officer"), now=clock()) is False
    assert deliver_outbox(mx, to_us, now=clock()).delivered == 1
    with us.reader() as session:
        sent = session.get(Alert, alert_id)
        assert sent is not None
        assert sent.acknowledged_by == "mx-officer"
        assert sent.acknowledged_at is not None
        assert verify_chain(session).ok


def test_alert_redelivered_after_restart_is_shown_once(
    nodes: tuple[Database, Database], tmp_path: Path
) -> None:
    us, mx = nodes
    clock = Clock()
    alert_id = send(us, clock)
    down = LoopbackTransport({"MX": mx}, clock, available=False)
    report = deliver_outbox(us, down, now=clock())
    assert (report.delivered, report.failed) == (0, 1)
    us.dispose()  # the server stops between send and delivery
    restarted = Database(f"sqlite:///{tmp_path / 'us.db'}")
    up = LoopbackTransport({"MX": mx}, clock)
    assert deliver_outbox(restarted, up, now=clock()).delivered == 0  # backing off
    assert deliver_outbox(restarted, up, now=clock.advance(seconds=3)).delivered == 1
    # The same message again (a crash after sending, before marking it sent): applied once.
    with restarted.reader() as session:
        payload = session.scalars(select(OutboxMessage.payload)).one()
    up.send("MX", payload)
    with mx.reader() as session:
        assert session.scalar(select(func.count()).select_from(Alert)) == 1
        assert session.scalar(
            select(func.count()).where(AlertEvent.kind == "delivered")
        ) == 1  # fmt: skip
        assert session.get(Alert, alert_id) is not None
    restarted.dispose()


def test_unacknowledged_alert_escalates_to_next_contact_then_liaison(
    nodes: tuple[Database, Database],
) -> None:
    us, mx = nodes
    clock = Clock()
    alert_id = send(us, clock)
    deliver_outbox(us, LoopbackTransport({"MX": mx}, clock), now=clock())
    after = timedelta(minutes=5)
    with mx.transaction() as session:
        early = escalate_due(session, node_country="MX", now=clock.advance(minutes=4), after=after)
        assert early == []
    steps = []
    for _ in range(3):
        with mx.transaction() as session:
            moved = escalate_due(
                session, node_country="MX", now=clock.advance(minutes=5), after=after
            )
            steps.append([(a.id, c.role) for a, c in moved])
    assert steps == [
        [(alert_id, "supervisor")],
        [(alert_id, "liaison-officer")],
        [(alert_id, "liaison-officer")],  # stays with the liaison officer
    ]
    with mx.transaction() as session:
        acknowledge(session, alert_id, actor=NodeSelf("mx-liaison"), now=clock())
        done = escalate_due(session, node_country="MX", now=clock.advance(hours=1), after=after)
        assert done == []


def test_escalation_reaches_the_next_contact_and_the_sender_sees_it(
    nodes: tuple[Database, Database],
) -> None:
    """On a test clock: the alert is addressed to the MX duty officer, then (5 minutes
    unanswered) to the supervisor, then to the liaison officer; each step is an event pushed
    with the addressee's account, is audited, and travels back to the US side (role and level,
    no name), once per new level."""
    us, mx = nodes
    clock = Clock()
    after = timedelta(minutes=5)
    alert_id = send(us, clock)
    deliver_outbox(us, LoopbackTransport({"MX": mx}, clock), now=clock())
    mx_hub, us_hub = AlertHub(mx), AlertHub(us)
    seen = mx_hub.events_after(0)
    assert [(e["kind"], e["alert"]["addressed_to"]["username"]) for e in seen] == [
        ("delivered", "mx-officer")
    ]
    addressed, returned = [], []
    for _ in range(3):
        with mx.transaction() as session:
            escalate_due(session, node_country="MX", now=clock.advance(minutes=5), after=after)
        fresh = mx_hub.events_after(seen[-1]["event_id"])
        seen += fresh
        addressed.append([(e["kind"], e["alert"]["addressed_to"]["username"]) for e in fresh])
        deliver_outbox(mx, LoopbackTransport({"US": us}, clock), now=clock())
        with us.reader() as session:
            sender_copy = session.get(Alert, alert_id)
            assert sender_copy is not None
            returned.append((sender_copy.escalation_level, sender_copy.addressed_role))
    assert addressed == [
        [("escalated", "mx-supervisor")],
        [("escalated", "mx-liaison")],
        [("escalated", "mx-liaison")],  # reminded at the next timeout
    ]
    assert returned == [(1, "supervisor"), (2, "liaison-officer"), (2, "liaison-officer")]
    us_events = us_hub.events_after(0)
    assert [(e["kind"], e["details"].get("role")) for e in us_events] == [
        ("sent", None),
        ("delivered", None),  # the MX node accepted it (issue 22: no more "queued")
        ("escalated", "supervisor"),
        ("escalated", "liaison-officer"),
    ]
    assert all(e["alert"]["addressed_to"]["name"] is None for e in us_events)  # stay on MX
    with mx.reader() as session:
        contacts = {c.id: c.username for c in session.scalars(select(Contact))}
        entries = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "ports.alert.escalate")
            .order_by(AuditEntry.id)
        ).all()
        escalated_messages = session.scalars(
            select(OutboxMessage.payload).where(OutboxMessage.destination == "US")
        ).all()
        assert verify_chain(session).ok
    assert [
        [(x["alert"], x["level"], contacts[x["contact"]]) for x in e.details["escalations"]]
        for e in entries
    ] == [
        [(alert_id, 1, "mx-supervisor")],
        [(alert_id, 2, "mx-liaison")],
        [(alert_id, 2, "mx-liaison")],
    ]
    assert [(m["kind"], m["level"], m["role"]) for m in escalated_messages] == [
        ("escalated", 1, "supervisor"),
        ("escalated", 2, "liaison-officer"),
    ]


def test_escalation_skips_officials_off_duty(nodes: tuple[Database, Database]) -> None:
    us, mx = nodes
    clock = Clock()
    clock.now = datetime(2026, 7, 2, 6, 0, tzinfo=UTC)  # 23:00 local: officer and liaison off
    alert_id = send(us, clock)
    deliver_outbox(us, LoopbackTransport({"MX": mx}, clock), now=clock())
    with mx.reader() as session:
        alert = session.get(Alert, alert_id)
        assert alert is not None
        contact = session.get(Contact, alert.contact_id)
        assert contact is not None
        assert contact.role == "supervisor"


def test_nominal_details_kept_out_of_exports(nodes: tuple[Database, Database]) -> None:
    us, mx = nodes
    clock = Clock()
    send(us, clock, share_nominal=True)
    deliver_outbox(us, LoopbackTransport({"MX": mx}, clock), now=clock())
    for database in (us, mx):
        with database.reader() as session:
            assert session.scalars(select(Alert.nominal)).one() == {"plate": "ABC1234"}
            exported = json.dumps(export_alerts(session))
        assert "ABC1234" not in exported
        assert '"nominal_details_withheld": ["plate"]' in exported


def test_send_alert_refuses_unknown_template_and_missing_fields(
    nodes: tuple[Database, Database],
) -> None:
    us, _ = nodes
    with us.transaction() as session:
        pair = ensure_pair(session, "2504", actor=NodeSelf("x"))
        with pytest.raises(AlertRefused, match="unknown template"):
            send_alert(
                session,
                pair,
                from_country="US",
                template="x",
                details={},
                actor=NodeSelf("a"),
                now=START,
            )
        with pytest.raises(AlertRefused, match="needs vehicle"):
            send_alert(session, pair, from_country="US", template="port-runner",
                       details={"lane": "1"}, actor=NodeSelf("a"), now=START)  # fmt: skip
        with pytest.raises(DirectoryError, match="role"):
            add_contact(session, pair, country="US", position=5, role="boss", name="n",
                        shift=ALL_DAY, channels=[("radio", "1")], actor=NodeSelf("a"))  # fmt: skip


def test_measures_time_to_acknowledge_and_drills(database_url: str) -> None:
    node = make_node(database_url)
    clock = Clock()
    waits = [30, 90, 200, 299, 301, 900, 45, 600, 120, 60]  # seconds to acknowledge
    with node.transaction() as session:
        pair = ensure_pair(session, "2504", actor=NodeSelf("x"))
        contact_ids = []
        for seconds in waits:
            alert = send_alert(
                session,
                pair,
                from_country="US",
                template="security-incident",
                details={"location": "lane 3"},
                actor=NodeSelf("a"),
                now=clock(),
            )
            alert.delivered_at = clock()
            alert.acknowledged_at = clock() + timedelta(seconds=seconds)
            contact_ids.append(alert.id)
        unanswered = send_alert(
            session,
            pair,
            from_country="US",
            template="security-incident",
            details={"location": "x"},
            actor=NodeSelf("a"),
            now=clock(),
        )
        unanswered.delivered_at = clock()
        for passed in (True, False, True):
            drill = schedule_drill(session, pair, at=clock(), channel="radio", actor=NodeSelf("a"))
            record_drill(session, drill, held_at=clock(), passed=passed, seconds_to_answer=40,
                         actor=NodeSelf("a"))  # fmt: skip
        later = schedule_drill(session, pair, at=clock() + timedelta(days=100), channel="radio",
                               actor=NodeSelf("a"))  # fmt: skip
        with pytest.raises(DirectoryError, match="already"):
            record_drill(session, drill, held_at=clock(), passed=True, seconds_to_answer=1,
                         actor=NodeSelf("a"))  # fmt: skip
        assert later.held_at is None
    with node.reader() as session:
        measures = communication_measures(session)
    assert [(m.pair, m.quarter) for m in measures] == [("2504", "2026-Q3")]
    m = measures[0]
    ordered = sorted(waits)
    assert m.delivered == len(waits) + 1
    assert m.acknowledged == len(waits)
    assert m.median_seconds == pytest.approx(median(waits))
    assert m.p90_seconds == ordered[math.ceil(0.9 * len(ordered)) - 1]
    assert m.share_within_5_min == pytest.approx(sum(w <= 300 for w in waits) / (len(waits) + 1))
    assert (m.drills_held, m.drills_passed) == (3, 2)
    node.dispose()


def test_alert_crosses_by_files_both_ways(nodes: tuple[Database, Database], tmp_path: Path) -> None:
    us, mx = nodes
    clock = Clock()
    channel = tmp_path / "channel"
    alert_id = send(us, clock)
    assert deliver_outbox(us, FileTransport(channel), now=clock()).delivered == 1
    assert receive_folder(mx, channel / "MX", now=clock()) == (1, 0)
    assert receive_folder(mx, channel / "MX", now=clock()) == (0, 1)  # again: nothing twice
    with mx.transaction() as session:
        acknowledge(session, alert_id, actor=NodeSelf("mx-officer"), now=clock.advance(seconds=40))
    deliver_outbox(mx, FileTransport(channel), now=clock())
    assert receive_folder(us, channel / "US", now=clock()) == (1, 0)
    with us.reader() as session:
        alert = session.get(Alert, alert_id)
        assert alert is not None
        assert alert.acknowledged_by == "mx-officer"


def test_first_sends_for_a_new_pair_at_once_make_one_pair(database_url: str) -> None:
    """Eight officials send the first alerts of a pair at the same moment: every send is
    recorded, against one pair, whose creation is audited once (before: on PostgreSQL the
    select-then-insert raced and all but one failed on the unique key)."""
    database = Database(database_url)
    database.migrate()
    barrier = threading.Barrier(8)
    failures: list[BaseException] = []

    # PostgreSQL: all eight transactions are open before any selects, so the select-then-insert
    # race is forced. SQLite: writers of one file take turns (db/write_turn.py), so a
    # transaction cannot wait for seven others already open; they start together instead.
    racing_inside = not database.is_sqlite

    def send_first() -> None:
        try:
            if not racing_inside:
                barrier.wait(10)
            with database.transaction() as session:
                if racing_inside:
                    barrier.wait(10)
                pair = ensure_pair(session, "2402", actor=NodeSelf("officer"))
                send_alert(
                    session, pair, from_country="US", template="security-incident",
                    details={"location": "lane 1"}, actor=NodeSelf("officer"), now=START,
                )  # fmt: skip
        except BaseException as error:  # collected for the assertion
            failures.append(error)

    threads = [threading.Thread(target=send_first) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    with database.reader() as session:
        assert session.scalar(select(func.count()).select_from(PortPair)) == 1
        assert session.scalar(select(func.count()).select_from(Alert)) == 8
        pair_entries = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "ports.pair.create")
        )
    assert pair_entries == 1
    database.dispose()


def test_a_new_pair_beside_a_transaction_writing_alert_events_does_not_deadlock(
    database_url: str,
) -> None:
    """One transaction has written an alert event (it holds the append lock) and then needs a
    new pair that a second transaction is creating. Before the pair was made under that lock,
    the second waited for the lock to audit the pair while the first waited for its row: on
    PostgreSQL a deadlock, one of the two aborted."""
    database = Database(database_url)
    database.migrate()
    with database.transaction() as session:
        known = send_alert(
            session,
            ensure_pair(session, "2504", actor=NodeSelf("t")),
            from_country="US",
            template="security-incident",
            details={"location": "lane 1"},
            actor=NodeSelf("t"),
            now=START,
        ).id
    failures: list[BaseException] = []

    def other_first_send() -> None:
        try:
            with database.transaction() as session:
                ensure_pair(session, "2402", actor=NodeSelf("other"))
        except BaseException as error:  # collected for the assertion
            failures.append(error)

    with database.transaction() as session:
        session.add(AlertEvent(alert_id=known, at=START, kind="acknowledged", details={}))
        session.flush()  # holds the append lock from here to the commit
        other = threading.Thread(target=other_first_send)
        other.start()
        other.join(1.5)  # let it go as far as it can (before: it held the new pair's row)
        ensure_pair(session, "2402", actor=NodeSelf("this"))
    other.join(30)
    assert failures == []
    with database.reader() as session:
        assert session.scalar(select(func.count()).select_from(PortPair)) == 2
    database.dispose()
