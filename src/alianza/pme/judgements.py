"""Recorded judgements: what people say about an action or a target, as of a date.

A judgement holds a completion (not started, in progress, done, partially done, cancelled,
postponed), optionally a rating, and always a justification, with who recorded it and when.
It is kept apart from the computed schedule state (:mod:`alianza.pme.assessment`): the
computation reads it, never writes it. Judgements are never edited; a new one for a later (or
the same) date stands beside the old.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza import audit, refusals
from alianza.accounts.permissions import Permission
from alianza.actors import Actor, acting
from alianza.catalogue import declare
from alianza.pme.deadline_store import action_ids
from alianza.pme.document import Column
from alianza.pme.engine_models import JudgementRow
from alianza.pme.known import known_bound, written_by
from alianza.pme.load import DEFAULT_PLAN
from alianza.pme.query import Address, BadAddress


class Completion(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DONE_PARTIALLY = "done_partially"
    CANCELLED = "cancelled"
    POSTPONED = "postponed"


class Rating(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


class JudgementRefused(ValueError):
    """A judgement lacks what it needs."""


JUDGE_WHAT = declare(
    "pme.judgement.judge-what",
    "{text!r}: judge an action (10.4.1) or a target (10.4.1/targets/1)",
)
NEEDS_JUSTIFICATION = declare(
    "pme.judgement.needs-justification", "a judgement needs a justification (--justification)"
)
COMPLETED_AFTER = declare(
    "pme.judgement.completed-after",
    "completed on {completed_on} is after the judgement's date {as_of}",
)
COMPLETED_ON_DONE = declare(
    "pme.judgement.completed-on-done", "--completed-on goes with --completion done only"
)


@dataclass(frozen=True)
class Judgement:
    action: str
    target: int | None  # target paragraph; None: the whole action
    as_of: date
    completion: Completion
    completed_on: date | None
    rating: Rating | None
    justification: str
    recorded_by: str
    recorded_at: datetime

    def as_dict(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat(),
            "completion": self.completion.value,
            "completed_on": self.completed_on.isoformat() if self.completed_on else None,
            "rating": self.rating.value if self.rating else None,
            "justification": self.justification,
            "recorded_by": self.recorded_by,
            "recorded_at": self.recorded_at.isoformat(),
        }


def _subject(text: str) -> tuple[str, int | None]:
    """``10.4.1`` (the action) or ``10.4.1/targets/1`` (one target)."""
    if "/" not in text:
        return text.strip(), None
    address = Address.parse(text)
    if address.column is not Column.TARGETS:
        raise BadAddress(JUDGE_WHAT.said(text=text))
    return address.action, address.position


def record_judgement(
    session: Session,
    subject: str,
    *,
    as_of: date,
    completion: Completion,
    justification: str,
    actor: Actor,
    completed_on: date | None = None,
    rating: Rating | None = None,
    plan_key: str = DEFAULT_PLAN,
) -> Judgement:
    by = acting(session, actor, Permission.PME_IMPORT)
    action, target = _subject(subject)
    ids = action_ids(session, plan_key)
    if action not in ids:
        raise BadAddress(refusals.not_found_in_plan("action", action, plan_key))
    if not justification.strip():
        raise JudgementRefused(NEEDS_JUSTIFICATION.said())
    if completion is Completion.DONE:
        completed_on = completed_on or as_of
        if completed_on > as_of:
            raise JudgementRefused(COMPLETED_AFTER.said(completed_on=completed_on, as_of=as_of))
    elif completed_on is not None:
        raise JudgementRefused(COMPLETED_ON_DONE.said())
    row = JudgementRow(
        action_id=ids[action],
        target_position=target,
        as_of=as_of,
        completion=completion.value,
        completed_on=completed_on,
        rating=rating.value if rating else None,
        justification=justification,
        recorded_by=by,
        recorded_at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    judgement = _judgement(action, row)
    audit.record(
        session,
        actor=by,
        action="pme.judgement.record",
        subject=f"plan:{plan_key}/{subject}",
        details=judgement.as_dict(),
    )
    return judgement


def _judgement(action: str, row: JudgementRow) -> Judgement:
    return Judgement(
        action=action,
        target=row.target_position,
        as_of=row.as_of,
        completion=Completion(row.completion),
        completed_on=row.completed_on,
        rating=Rating(row.rating) if row.rating else None,
        justification=row.justification,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )


def judgements_as_of(
    session: Session, as_of: date, plan_key: str = DEFAULT_PLAN, *, known_on: date | None = None
) -> dict[tuple[str, int | None], Judgement]:
    """The latest judgement of each action and target dated on or before ``as_of`` (of those
    recorded by the end of ``known_on``, when given)."""
    ids = action_ids(session, plan_key)
    numbers = {action_id: number for number, action_id in ids.items()}
    bound = known_bound(known_on)
    query = select(JudgementRow).where(
        JudgementRow.action_id.in_(list(ids.values())), JudgementRow.as_of <= as_of
    )
    if bound is not None:
        query = query.where(written_by(JudgementRow.recorded_at, bound))
    rows = session.scalars(query.order_by(JudgementRow.as_of, JudgementRow.id))
    latest: dict[tuple[str, int | None], Judgement] = {}
    for row in rows:
        number = numbers[row.action_id]
        latest[(number, row.target_position)] = _judgement(number, row)
    return latest
