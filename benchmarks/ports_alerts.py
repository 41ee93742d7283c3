"""Counterpart alerts under load: N alerts per second for S seconds, US node → MX node.

A producer thread sends alerts at a fixed rate (one transaction each, outbox included); a
delivery thread drains the outbox every 50 ms over the in-process loopback transport into the
MX node's database. Afterwards the MX node is read back: every alert must be there exactly
once. Latency is from the alert's creation to its recording on the MX node (one clock).

Prints the figures next to the issue's targets (50 alerts/s for 60 s, zero loss). The
server-push fan-out to 200 browsers is the web layer's and is not measured here.

    .venv/bin/python benchmarks/ports_alerts.py [--rate 50] [--seconds 60] [--database-url URL]
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.liaison.alerts import as_utc, send_alert
from alianza.liaison.directory import add_contact, ensure_pair
from alianza.liaison.models import Alert, InboxMessage
from alianza.liaison.transport import LoopbackTransport, deliver_outbox


def now() -> datetime:
    return datetime.now(UTC)


def node(url: str) -> Database:
    database = Database(url)
    database.migrate()
    with database.transaction() as session:
        pair = ensure_pair(session, "2504", actor=NodeSelf("bench"))
        add_contact(
            session,
            pair,
            country="MX",
            position=1,
            role="duty-officer",
            name="mx",
            shift=(clock_time(0), clock_time(0)),
            channels=[("radio", "4")],
            actor=NodeSelf("bench"),
        )
    return database


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50.0, help="alerts per second")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--database-url", help="PostgreSQL server URL (default: SQLite files)")
    parser.add_argument(
        "--producers",
        type=int,
        default=1,
        help="threads sending alerts (officials at work at once); 1 = one after another",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="alianza-bench-"))
    created: list[str] = []
    if args.database_url:
        urls = []
        server = create_engine(args.database_url, isolation_level="AUTOCOMMIT")
        for side in ("us", "mx"):
            name = f"alianza_bench_{side}_{uuid.uuid4().hex[:8]}"
            with server.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            created.append(name)
            urls.append(make_url(args.database_url).set(database=name).render_as_string(False))
        us, mx = node(urls[0]), node(urls[1])
        backend = "PostgreSQL, two databases"
        us_writes = contextlib.nullcontext()
    else:
        us = node(f"sqlite:///{folder / 'us.db'}")
        mx = node(f"sqlite:///{folder / 'mx.db'}")
        backend = "SQLite files (WAL), writes to the US node serialised by a lock"
        # Two threads writing one SQLite file fail with "database is locked" (deferred BEGIN
        # upgraded to a write): one writer at a time, as one SQLite node must have.
        us_writes = threading.Lock()  # type: ignore[assignment]
    transport = LoopbackTransport({"MX": mx}, now)
    done = threading.Event()
    sent: list[str] = []

    count = int(args.rate * args.seconds)
    numbers = iter(range(count))
    take = threading.Lock()
    start = time.perf_counter()
    producers_left = [args.producers]
    finished_sending: list[float] = []

    def produce() -> None:
        """Alert i is due at start + i / rate; each producer takes the next due alert (open
        loop: with several producers, one slow transaction does not hold the others back)."""
        interval = 1 / args.rate
        while True:
            with take:
                i = next(numbers, None)
            if i is None:
                break
            pause = start + i * interval - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            with us_writes, us.transaction() as session:
                pair = ensure_pair(session, "2504", actor=NodeSelf("bench"))
                alert = send_alert(
                    session,
                    pair,
                    from_country="US",
                    template="lane-closure",
                    details={"lanes": "2", "until": "later"},
                    actor=NodeSelf("bench"),
                    now=now(),
                )
                sent.append(alert.id)
        with take:
            producers_left[0] -= 1
            if producers_left[0] == 0:
                finished_sending.append(time.perf_counter())
                done.set()

    def deliver() -> None:
        while True:
            finished = done.is_set()
            with us_writes:
                deliver_outbox(us, transport, now=now())
            if finished:
                with us_writes:
                    deliver_outbox(us, transport, now=now())
                return
            time.sleep(0.05)

    began = time.perf_counter()
    threads = [threading.Thread(target=produce) for _ in range(args.producers)]
    threads.append(threading.Thread(target=deliver))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    with mx.reader() as session:
        rows = session.execute(select(Alert.id, Alert.created_at, Alert.delivered_at)).all()
        inbox = session.scalar(select(func.count()).select_from(InboxMessage)) or 0
    received = {r.id for r in rows}
    latencies = [
        (as_utc(r.delivered_at) - as_utc(r.created_at)).total_seconds() * 1000
        for r in rows
        if r.delivered_at is not None
    ]
    lost = len(set(sent) - received)
    print(f"alerts sent              {len(sent):>10,}   target {int(args.rate * args.seconds):,}")
    sending = finished_sending[0] - began
    print(f"achieved rate (sending)  {len(sent) / sending:>10.1f}/s target {args.rate:.0f}/s")
    print(f"sent and delivered in    {elapsed:>10.1f} s   (sending {sending:.1f} s)")
    print(f"received on MX (unique)  {len(received):>10,}")
    print(f"lost                     {lost:>10,}   target 0")
    print(f"shown twice              {len(rows) - len(received):>10,}   target 0 (inbox {inbox:,})")
    print(f"latency p50              {percentile(latencies, 0.5):>10.1f} ms")
    print(f"latency p99              {percentile(latencies, 0.99):>10.1f} ms")
    print(f"latency max              {max(latencies):>10.1f} ms")
    print(f"backend                  {backend}; loopback transport, one process")
    print(f"producers                {args.producers:>10}   (threads sending, open loop)")
    us.dispose()
    mx.dispose()
    if created:
        with server.connect() as connection:
            for name in created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


if __name__ == "__main__":
    main()
