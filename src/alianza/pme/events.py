"""Named events that relative deadlines count from ("update of the Threat Assessment completed").

An event is known by its key: the folded words of its name without articles
(:func:`~alianza.pme.deadlines.event_key`), so a relative deadline that reads "within 6 months
of the completion of an update of the Binational Threat Assessment" waits on the key
``completion-update-binational-threat-assessment``. :func:`awaited_events` lists the keys the
plan's deadlines wait on. Recording the same key again corrects the date; the earlier record
is kept, superseded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza import audit
from alianza.accounts.permissions import Permission
from alianza.actors import Actor, acting
from alianza.catalogue import declare
from alianza.pme.deadline_store import StoredDeadline, current_deadlines, plan_row
from alianza.pme.deadlines import DeadlineKind, event_key
from alianza.pme.engine_models import EventRow
from alianza.pme.known import in_force_at, known_bound
from alianza.pme.load import DEFAULT_PLAN


class EventRefused(ValueError):
    """An event cannot be recorded as given."""


NOT_AN_EVENT = declare("pme.event.not-an-event", "{name!r} does not name an event")
WAITS_ON_NO_EVENT = declare(
    "pme.event.waits-on-no-event", "{address}: its deadline does not wait on an event"
)
NO_TARGET = declare("pme.event.no-target", "{address}: no such target in plan {plan!r}")


@dataclass(frozen=True)
class Event:
    key: str
    name: str
    occurred_on: date
    note: str | None
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class AwaitedEvent:
    """An event some relative deadlines count from, and whether it is recorded."""

    key: str
    name: str
    targets: tuple[str, ...]  # addresses of the targets waiting on it
    occurred_on: date | None


def _event(row: EventRow) -> Event:
    return Event(row.key, row.name, row.occurred_on, row.note, row.recorded_by, row.recorded_at)


def record_event(
    session: Session,
    key_or_name: str,
    occurred_on: date,
    *,
    actor: Actor,
    name: str | None = None,
    note: str | None = None,
    plan_key: str = DEFAULT_PLAN,
) -> Event:
    """Record (or correct the date of) a named event; returns it.

    ``key_or_name`` is the event's key, its words, or the address of a target whose relative
    deadline waits on it (``10.1/targets/1``).
    """
    by = acting(session, actor, Permission.PME_IMPORT)
    if "/targets/" in key_or_name:
        key_or_name = _awaited_by(session, key_or_name.strip(), plan_key)
    key = event_key(key_or_name)
    if not key:
        raise EventRefused(NOT_AN_EVENT.said(name=key_or_name))
    plan = plan_row(session, plan_key)
    now = datetime.now(UTC)
    current = session.scalars(
        select(EventRow).where(
            EventRow.plan_id == plan.id, EventRow.key == key, EventRow.superseded_at.is_(None)
        )
    ).one_or_none()
    if current is not None:
        current.superseded_at = now
    row = EventRow(
        plan_id=plan.id,
        key=key,
        name=name or (current.name if current else key_or_name),
        occurred_on=occurred_on,
        note=note,
        recorded_by=by,
        recorded_at=now,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=by,
        action="pme.event.record",
        subject=f"plan:{plan_key}/event:{key}",
        details={
            "occurred_on": occurred_on,
            "name": row.name,
            "note": note,
            "previous": current.occurred_on if current else None,
        },
    )
    return _event(row)


def _awaited_by(session: Session, address: str, plan_key: str) -> str:
    for stored in current_deadlines(session, plan_key).values():
        if stored.address == address:
            if stored.deadline.kind is DeadlineKind.RELATIVE and stored.deadline.event:
                return stored.deadline.event
            raise EventRefused(WAITS_ON_NO_EVENT.said(address=address))
    raise EventRefused(NO_TARGET.said(address=address, plan=plan_key))


def recorded_events(
    session: Session, plan_key: str = DEFAULT_PLAN, *, known_on: date | None = None
) -> dict[str, Event]:
    """Events in force (as they were on ``known_on``, when given), by key."""
    plan = plan_row(session, plan_key)
    bound = known_bound(known_on)
    in_force = (
        EventRow.superseded_at.is_(None)
        if bound is None
        else in_force_at(EventRow.recorded_at, EventRow.superseded_at, bound)
    )
    rows = session.scalars(
        select(EventRow).where(EventRow.plan_id == plan.id, in_force).order_by(EventRow.key)
    )
    return {row.key: _event(row) for row in rows}


def event_dates(
    session: Session, plan_key: str = DEFAULT_PLAN, *, known_on: date | None = None
) -> dict[str, date]:
    events = recorded_events(session, plan_key, known_on=known_on)
    return {key: event.occurred_on for key, event in events.items()}


def awaited_events(session: Session, plan_key: str = DEFAULT_PLAN) -> list[AwaitedEvent]:
    """Every event the plan's relative deadlines count from, recorded or not."""
    recorded = recorded_events(session, plan_key)
    waiting: dict[str, tuple[str, list[str]]] = {}
    for stored in sorted(current_deadlines(session, plan_key).values(), key=_order):
        deadline = stored.deadline
        if deadline.kind is not DeadlineKind.RELATIVE or not deadline.event:
            continue
        key = event_key(deadline.event)
        waiting.setdefault(key, (deadline.event, []))[1].append(stored.address)
    return [
        AwaitedEvent(
            key,
            name,
            tuple(targets),
            recorded[key].occurred_on if key in recorded else None,
        )
        for key, (name, targets) in sorted(waiting.items())
    ]


def _order(stored: StoredDeadline) -> tuple[list[int], int]:
    return ([int(p) for p in stored.action.split(".")], stored.position)
