"""Alerts as they happen: a hub that follows the alert events and a delivery worker.

:class:`AlertHub` reads new rows of ``ports_alert_event`` (whoever wrote them: a web request,
the partner's endpoint, ``alianza ports`` commands in another process) and hands them to every
subscriber (one per open server-push stream). An event's id is its stream id, so a client that
reconnects with the last id it saw gets everything after it (:meth:`AlertHub.events_after`).
On SQLite the hub looks for new rows every half second, and writers in this process call
:meth:`AlertHub.notify` to skip the wait. On PostgreSQL it does not poll: it ``LISTEN``s on a
connection of its own, and every transaction that writes alert events sends ``NOTIFY`` (see
``alianza.liaison.models._serialize_alert_events``), delivered at commit to the hubs of all the app
servers sharing the database, whichever of them (or a command) wrote the events.

:func:`run_delivery` is the outbox's delivery loop of a serving node: every second (or at once
when woken) it sends due messages over a transport and escalates unanswered alerts, while it
holds the delivery lease (one loop at a time across workers and processes).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from alianza.db import Database
from alianza.liaison.alerts import (
    SYSTEM,
    TEMPLATES,
    as_utc,
    directory_changed,
    escalate_due,
    publish_directory,
    record_breaches,
    render,
)
from alianza.liaison.directory import DirectorySharing, port_time
from alianza.liaison.lease import hold_lease, new_holder, release_lease
from alianza.liaison.models import ALERT_CHANNEL, Alert, AlertEvent, Contact, PortPair
from alianza.liaison.notify import Notifier, send_notifications
from alianza.liaison.transport import Transport, deliver_outbox

log = logging.getLogger(__name__)
RECONNECT_FIRST, RECONNECT_LAST = 0.5, 30.0  # seconds between tries to LISTEN again
LISTEN_KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}


def event_view(
    event: AlertEvent, alert: Alert, pair: PortPair, contact: Contact | None = None
) -> dict[str, Any]:
    """What a browser needs to show one event of an alert (both languages); ``contact`` is
    the directory entry the alert is addressed to now (receiving side only)."""
    title_en, title_es = TEMPLATES[alert.template].title.both()
    return {
        "event_id": event.id,
        "kind": event.kind,
        "at": as_utc(event.at).isoformat(),
        "details": dict(event.details),  # an escalation: its level and the contact's role
        "alert": {
            "id": alert.id,
            "pair_id": pair.id,
            "port": pair.us_port_code,
            "counterpart": pair.mx_port_name,
            "from": alert.from_country,
            "to": alert.to_country,
            "template": alert.template,
            "title_en": title_en,
            "title_es": title_es,
            "text_en": render(alert, "en"),
            "text_es": render(alert, "es"),
            "nominal": dict(alert.nominal),
            "created_at": as_utc(alert.created_at).isoformat(),
            "delivered_at": as_utc(alert.delivered_at).isoformat() if alert.delivered_at else None,
            "acknowledged_at": (
                as_utc(alert.acknowledged_at).isoformat() if alert.acknowledged_at else None
            ),
            "acknowledged_by": alert.acknowledged_by,
            # shown as the cards the page renders: in the port's zone, with the zone
            "created_local": port_time(alert.created_at, pair.us_port_code),
            "acknowledged_local": (
                port_time(alert.acknowledged_at, pair.us_port_code)
                if alert.acknowledged_at
                else None
            ),
            "due_at": as_utc(alert.due_at).isoformat() if alert.due_at else None,
            "delay_reason": alert.delay_reason,
            "escalation_level": alert.escalation_level,
            "addressed_to": {
                "role": alert.addressed_role,
                "name": contact.name if contact else None,
                "username": contact.username if contact else None,
            },
        },
    }


def sse_frame(event: dict[str, Any]) -> str:
    """One Server-Sent Events frame: the event id is the stream id (Last-Event-ID)."""
    body = {k: v for k, v in event.items() if k != "sse"}
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event['event_id']}\nevent: alert\ndata: {data}\n\n"


class AlertHub:
    """Follows ``ports_alert_event`` and fans new events out to subscribers (asyncio queues).

    Events commit in id order (see ``alianza.liaison.models._serialize_alert_events``), so reading
    the ids above the last one seen misses nothing, here and for a resuming browser.
    """

    def __init__(self, database: Database, *, interval: float = 0.5) -> None:
        self.database = database
        self.interval = interval
        self.cursor = 0
        self.subscribers: set[asyncio.Queue[list[dict[str, Any]]]] = set()
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        engine = database.engine
        # PostgreSQL with psycopg: woken by the server's notifications, never by a timer
        self.listens = engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg"
        self.listening = asyncio.Event()  # set while LISTEN is in force (tests wait for it)
        self.reads = 0  # reads of new events done (tests wait for the first)

    def latest_id(self) -> int:
        with self.database.reader() as session:
            return int(session.scalar(select(func.max(AlertEvent.id))) or 0)

    def events_after(self, after: int, limit: int = 1000) -> list[dict[str, Any]]:
        """Events with an id above ``after``, oldest first, each with its alert as it is now."""
        with self.database.reader() as session:
            rows = session.execute(
                select(AlertEvent, Alert, PortPair, Contact)
                .join(Alert, AlertEvent.alert_id == Alert.id)
                .join(PortPair, Alert.pair_id == PortPair.id)
                .outerjoin(Contact, Alert.contact_id == Contact.id)
                .where(AlertEvent.id > after)
                .order_by(AlertEvent.id)
                .limit(limit)
            ).all()
            return [event_view(*row) for row in rows]

    def subscribe(self) -> asyncio.Queue[list[dict[str, Any]]]:
        queue: asyncio.Queue[list[dict[str, Any]]] = asyncio.Queue()
        self.subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[list[dict[str, Any]]]) -> None:
        self.subscribers.discard(queue)

    def notify(self) -> None:
        """Look for new events now (callable from any thread)."""
        if self._loop is not None and self._wake is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    async def poll_once(self) -> list[dict[str, Any]]:
        fresh = await asyncio.to_thread(self.events_after, self.cursor)
        self.reads += 1
        for event in fresh:
            self.cursor = max(self.cursor, event["event_id"])
            event["sse"] = sse_frame(event)  # encoded once for every subscriber
        if fresh:
            for queue in list(self.subscribers):
                queue.put_nowait(fresh)
        return fresh

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self.cursor = await asyncio.to_thread(self.latest_id)
        listener = asyncio.create_task(self._listen(), name="alert-hub-listen")
        try:
            while True:
                if self.listens:  # the next notification (or a reconnection) wakes the hub
                    await self._wake.wait()
                else:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self.interval)
                self._wake.clear()
                try:
                    await self.poll_once()
                except Exception:  # a database hiccup must not end the hub
                    log.exception("alert hub: reading events failed")
                    await asyncio.sleep(self.interval)
                    self._wake.set()  # read again: no timer would
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener

    async def _listen(self) -> None:
        """PostgreSQL: ``LISTEN`` on a connection of the hub's own and wake the hub at every
        notification. After a lost connection, connect again (waiting up to 30 s between
        tries) and read once at once: events committed meanwhile sent no one a notice."""
        if not self.listens:
            return
        import psycopg

        engine = self.database.engine
        arguments, options = engine.dialect.create_connect_args(engine.url)
        # a server or network gone silent is noticed within about a minute (TCP keepalives)
        options = {**LISTEN_KEEPALIVES, **options, "autocommit": True}
        pause = RECONNECT_FIRST
        while True:
            try:
                connection = await psycopg.AsyncConnection.connect(*arguments, **options)
                async with connection:
                    await connection.execute(f'LISTEN "{ALERT_CHANNEL}"')
                    self.listening.set()
                    self.notify()  # whatever committed before LISTEN took effect
                    pause = RECONNECT_FIRST
                    async for _notice in connection.notifies():
                        self.notify()
            except psycopg.Error as error:
                log.warning("alert hub: listening for alert events failed: %s", error)
            self.listening.clear()
            await asyncio.sleep(pause)
            pause = min(RECONNECT_LAST, pause * 2)


async def run_delivery(
    database: Database,
    transport: Transport | None,
    *,
    node_country: str | None,
    escalate_after: timedelta,
    wake: asyncio.Event,
    notify: Callable[[], None],
    interval: float = 1.0,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    holder: str | None = None,
    notifier: Notifier | None = None,
    sharing: DirectorySharing | None = None,
) -> None:
    """Publish this side's directory when it changed (``sharing``: what the agreement
    shares), deliver the outbox, escalate, mark overdue requests and send the queued
    notifications (e-mail, webhook, SMS), every ``interval`` seconds or when ``wake`` is set,
    while this loop holds the delivery lease (:mod:`alianza.liaison.lease`): with several
    workers on one database, one delivers and the others stand by to take over."""
    holder = holder or new_holder()
    try:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), interval)
            wake.clear()
            try:
                if transport is None and node_country is None:
                    continue  # nothing to do on this node: leave the lease to others
                if not await asyncio.to_thread(hold_lease, database, holder, now=clock()):
                    continue  # another loop delivers
                if transport is not None:
                    report = await asyncio.to_thread(
                        deliver_outbox, database, transport, now=clock()
                    )
                    if report.errors:
                        log.warning("ports delivery: %s", report.errors[-1])
                if node_country is not None:
                    moved = await asyncio.to_thread(
                        _escalate, database, node_country, escalate_after, clock()
                    )
                    if moved:
                        notify()
                if notifier is not None:
                    await asyncio.to_thread(send_notifications, database, notifier, now=clock())
                # after the alerts: a changed directory goes at once, in the next pass
                published = (
                    node_country is not None
                    and sharing is not None
                    and await asyncio.to_thread(
                        sync_directory, database, node_country, sharing, now=clock()
                    )
                )
                if published:
                    wake.set()
            except Exception:  # keep delivering: the messages stay queued
                log.exception("ports delivery failed")
    finally:  # a clean stop hands over at once; a crash leaves the lease to expire
        with contextlib.suppress(Exception):
            await asyncio.shield(asyncio.to_thread(release_lease, database, holder, now=clock()))


def _escalate(database: Database, country: str, after: timedelta, now: datetime) -> int:
    with database.transaction() as session:
        moved = len(escalate_due(session, node_country=country, now=now, after=after))
        return moved + len(record_breaches(session, now=now))


def sync_directory(
    database: Database, country: str, sharing: DirectorySharing, *, now: datetime
) -> bool:
    """Queue this side's directory for the partner when it differs from the last publication
    (the node acts: :data:`~alianza.liaison.alerts.SYSTEM`); True when it queued it. A read
    first: an unchanged directory costs no write."""
    with database.reader() as session:
        if not directory_changed(
            session, country, now=now, channels=sharing.channels, share_names=sharing.share_names
        ):
            return False
    with database.transaction() as session:
        published = publish_directory(
            session,
            country,
            actor=SYSTEM,
            now=now,
            channels=sharing.channels,
            share_names=sharing.share_names,
            force=False,
        )
        return published is not None
