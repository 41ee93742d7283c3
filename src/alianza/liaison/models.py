"""Tables of counterpart communication (10.6): directory, alerts, outbox, drills (``ports_``).

Alerts are identified by a UUID made on the sending node, so that the same alert has the same
id on both nodes and a message delivered twice is shown once. Nominal details (plates, names)
live in their own column, ``nominal``, and never appear in exports or measures.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from alianza.audit import serialize_appends
from alianza.db.base import Base


class PortPair(Base):
    """A US port and its counterpart port across the border."""

    __tablename__ = "ports_pair"

    id: Mapped[int] = mapped_column(primary_key=True)
    us_port_code: Mapped[str] = mapped_column(String(4), unique=True)
    mx_port_name: Mapped[str] = mapped_column(String(200))


class Contact(Base):
    """An official of one side of a port pair, in escalation order (1 first; liaison last)."""

    __tablename__ = "ports_contact"
    __table_args__ = (UniqueConstraint("pair_id", "country", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("ports_pair.id", ondelete="CASCADE"))
    country: Mapped[str] = mapped_column(String(2))  # US, MX
    position: Mapped[int] = mapped_column(Integer)  # escalation order
    role: Mapped[str] = mapped_column(String(30))  # duty-officer, supervisor, liaison-officer
    name: Mapped[str] = mapped_column(String(200))  # nominal: stays on its node
    username: Mapped[str | None] = mapped_column(String(100))  # their account on this node
    shift_start: Mapped[time] = mapped_column(Time)
    shift_end: Mapped[time] = mapped_column(Time)  # may be before start: the shift spans midnight
    channels: Mapped[list[dict[str, str]]] = mapped_column(JSON)  # [{"kind", "address"}]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # kept, not shown
    ended_by: Mapped[str | None] = mapped_column(String(200))


class Alert(Base):
    __tablename__ = "ports_alert"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # UUID from the sending node
    pair_id: Mapped[int] = mapped_column(ForeignKey("ports_pair.id"))
    from_country: Mapped[str] = mapped_column(String(2))
    to_country: Mapped[str] = mapped_column(String(2))
    template: Mapped[str] = mapped_column(String(40))
    details: Mapped[dict[str, str]] = mapped_column(JSON)  # template fields (non-nominal)
    free_text: Mapped[str] = mapped_column(Text)
    nominal: Mapped[dict[str, str]] = mapped_column(JSON)  # plates, names: marked, never exported
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_by: Mapped[str | None] = mapped_column(String(200))
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)  # 0: first contact
    notified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("ports_contact.id"))  # receiver's
    # that contact's role, both sides
    addressed_role: Mapped[str | None] = mapped_column(String(30))
    severity: Mapped[str] = mapped_column(String(10), default="warning")  # info, warning, critical
    priority: Mapped[str] = mapped_column(String(10), default="routine")  # urgent, high, routine
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # a request: answered (acknowledged) by this time, by its priority; else breached
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    breached_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delay_reason: Mapped[str | None] = mapped_column(Text)


class Notification(Base):
    """One message to one person about one alert, through one of their channels (e-mail,
    webhook, SMS): queued in the transaction that addressed the alert to them, then sent."""

    __tablename__ = "ports_notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[str] = mapped_column(ForeignKey("ports_alert.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("ports_contact.id"))
    level: Mapped[int] = mapped_column(Integer)  # the escalation level it was sent at
    channel: Mapped[str] = mapped_column(String(20))  # email, webhook, sms
    address: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(10), index=True)  # queued, sent, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)


class PartnerEntry(Base):
    """An entry of the partner node's directory, as its last signed publication gave it
    (roles, channels, shift hours; a name only where the agreement shares names)."""

    __tablename__ = "ports_partner_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("ports_pair.id", ondelete="CASCADE"))
    country: Mapped[str] = mapped_column(String(2))
    position: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(30))
    name: Mapped[str | None] = mapped_column(String(200))
    shift_start: Mapped[time] = mapped_column(Time)
    shift_end: Mapped[time] = mapped_column(Time)
    channels: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DirectoryPublication(Base):
    """One publication of this side's directory to the partner node (a queued ``directory``
    message): its content's digest, so that the delivery loop publishes again only when the
    directory changed (an entry added, ended or edited, an account disabled), and whether it
    was a forced resend (``alianza ports contact publish``)."""

    __tablename__ = "ports_directory_publication"

    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of the published entries
    message_id: Mapped[str] = mapped_column(String(36))
    entries: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str] = mapped_column(String(200))
    forced: Mapped[bool] = mapped_column(Boolean)


class AlertEvent(Base):
    __tablename__ = "ports_alert_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[str] = mapped_column(ForeignKey("ports_alert.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(30))  # sent, delivered, escalated, acknowledged
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("ports_contact.id"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)


# PostgreSQL's notification channel of new alert events (sent at commit; see below).
ALERT_CHANNEL = "alianza_alert_events"
_LOCKED_IN = "ports_alert_event_lock"  # session.info key: the transaction that took the lock


@event.listens_for(Session, "before_flush")
def _serialize_alert_events(session: Session, _context: object, _instances: object) -> None:
    """Alert events are numbered in commit order, so the event stream has no late gaps.

    A reader resuming after event N (``Last-Event-ID``) must never miss an event numbered below
    N that commits after it. On PostgreSQL, ids come from a sequence drawn at insert, and two
    transactions may commit out of id order; so a transaction that writes events first takes
    the transaction-scoped advisory lock of the append-only logs (the audit chain's: one lock,
    so no lock-order deadlock with audited writes), and only then draws its ids. It holds it to
    its commit, which therefore comes before any later writer's ids. On SQLite the write path's
    ``BEGIN IMMEDIATE`` already serializes writers.

    On PostgreSQL the transaction also sends ``NOTIFY`` on :data:`ALERT_CHANNEL`, which the
    server delivers at commit to every app server's alert hub (``LISTEN``): the new events
    reach live listeners on all servers at once, with no polling.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    if not any(isinstance(instance, AlertEvent) for instance in session.new):
        return
    transaction = session.get_transaction()
    if session.info.get(_LOCKED_IN) is transaction:
        return  # taken once per transaction
    serialize_appends(session)
    session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": ALERT_CHANNEL})
    session.info[_LOCKED_IN] = transaction


class OutboxMessage(Base):
    """A message waiting to cross to the partner node: kept until delivered (at least once)."""

    __tablename__ = "ports_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(36), unique=True)
    destination: Mapped[str] = mapped_column(String(2))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)


class Lease(Base):
    """A named task that one process runs at a time (the outbox delivery loop): its holder
    renews it while alive; once it has expired, another process takes it over."""

    __tablename__ = "ports_lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class InboxMessage(Base):
    """Ids of messages already received, so that a redelivered message is applied once."""

    __tablename__ = "ports_inbox"

    message_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(30))


class Drill(Base):
    """A scheduled communication drill of a port pair and, once held, its result."""

    __tablename__ = "ports_drill"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("ports_pair.id"))
    scheduled_for: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    channel: Mapped[str] = mapped_column(String(20))  # radio, telephone, messaging
    held_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    passed: Mapped[bool | None] = mapped_column(Boolean)
    seconds_to_answer: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str | None] = mapped_column(String(200))
