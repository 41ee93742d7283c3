"""Assessment of a plan as of a date: computed schedule states beside recorded judgements.

The rules (documented for users in ``docs/pme-assessment.md``):

- A target's **schedule state** comes from its deadline in force, the as-of date, the events
  recorded on or before that date and the recorded completion (:func:`schedule_state`).
- An action's **completion** is what people recorded (:mod:`alianza.pme.judgements`), or
  ``no_data``; it is never computed and never shown as a failure.
- **Roll-ups** per Alliance Point and for the plan count targets by schedule state and actions
  by completion; the ``worst`` state is the first of :data:`SEVERITY` present.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from alianza.pme.deadline_store import StoredDeadline, current_deadlines, source_report
from alianza.pme.deadlines import Deadline, DeadlineKind, Recurrence, month_end
from alianza.pme.document import Report
from alianza.pme.events import recorded_events
from alianza.pme.judgements import Completion, Judgement, judgements_as_of
from alianza.pme.load import DEFAULT_PLAN

DUE_SOON_DAYS = 60
NO_DATA = "no_data"


class ScheduleState(StrEnum):
    NOT_DUE = "not_due"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET_ON_TIME = "met_on_time"
    MET_LATE = "met_late"
    WAITING_ON_EVENT = "waiting_on_event"
    NO_DEADLINE = "no_deadline"


# Most pressing first: the roll-up's "worst" is the first of these present.
SEVERITY = (
    ScheduleState.OVERDUE,
    ScheduleState.DUE_SOON,
    ScheduleState.WAITING_ON_EVENT,
    ScheduleState.NOT_DUE,
    ScheduleState.MET_LATE,
    ScheduleState.MET_ON_TIME,
)

_PERIOD_MONTHS = {
    Recurrence.MONTHLY: 1,
    Recurrence.QUARTERLY: 3,
    Recurrence.SEMIANNUAL: 6,
    Recurrence.ANNUAL: 12,
}


def period_end(recurrence: Recurrence, day: date) -> date:
    """The last day of the calendar period (week ending Sunday, month, quarter…) holding ``day``."""
    if recurrence is Recurrence.WEEKLY:
        return date.fromordinal(day.toordinal() + 6 - day.weekday())
    months = _PERIOD_MONTHS[recurrence]
    last_month = ((day.month - 1) // months + 1) * months
    return month_end(day.year, last_month)


def due_date(deadline: Deadline, as_of: date, event_on: date | None) -> date | None:
    """The date the schedule state is computed against (see :func:`schedule_state`)."""
    if deadline.kind is DeadlineKind.RECURRING and deadline.start is None:
        assert deadline.recurrence is not None
        return period_end(deadline.recurrence, as_of)
    return deadline.resolve(event_on)


def schedule_state(
    deadline: Deadline,
    as_of: date,
    *,
    event_on: date | None = None,
    completed_on: date | None = None,
    due_soon_days: int = DUE_SOON_DAYS,
) -> tuple[ScheduleState, date | None]:
    """The schedule state of one target and the due date it was computed against.

    ``event_on`` and ``completed_on`` count only when on or before ``as_of``.
    """
    if deadline.kind is DeadlineKind.NONE:
        return ScheduleState.NO_DEADLINE, None
    if event_on is not None and event_on > as_of:
        event_on = None
    if completed_on is not None and completed_on > as_of:
        completed_on = None
    due = due_date(deadline, as_of, event_on)
    if due is None:
        return ScheduleState.WAITING_ON_EVENT, None
    if completed_on is not None:
        on_time = completed_on <= due
        return (ScheduleState.MET_ON_TIME if on_time else ScheduleState.MET_LATE), due
    if as_of > due:
        return ScheduleState.OVERDUE, due
    if (due - as_of).days <= due_soon_days:
        return ScheduleState.DUE_SOON, due
    return ScheduleState.NOT_DUE, due


@dataclass(frozen=True)
class TargetAssessment:
    address: str
    text: str
    stored: StoredDeadline | None
    state: ScheduleState
    due: date | None
    event_on: date | None
    judgement: Judgement | None  # the one the completion was read from (target or action)

    def as_dict(self) -> dict[str, Any]:
        deadline = self.stored.deadline if self.stored else None
        return {
            "address": self.address,
            "text": self.text,
            "deadline": deadline.as_dict(self.event_on) if deadline else None,
            "deadline_origin": self.stored.origin if self.stored else None,
            "state": self.state.value,
            "due": self.due.isoformat() if self.due else None,
            "completion": self.judgement.completion.value if self.judgement else NO_DATA,
        }


@dataclass
class Rollup:
    schedule: Counter[str] = field(default_factory=Counter)
    completion: Counter[str] = field(default_factory=Counter)

    @property
    def worst(self) -> str | None:
        return next((s.value for s in SEVERITY if self.schedule[s.value]), None)

    def add(self, other: Rollup) -> None:
        self.schedule.update(other.schedule)
        self.completion.update(other.completion)

    def as_dict(self) -> dict[str, Any]:
        return {
            "targets": {s.value: self.schedule[s.value] for s in ScheduleState},
            "actions": {c: self.completion[c] for c in [*(c.value for c in Completion), NO_DATA]},
            "worst": self.worst,
        }


@dataclass(frozen=True)
class ActionAssessment:
    number: str
    text: str
    judgement: Judgement | None
    targets: tuple[TargetAssessment, ...]

    @property
    def completion(self) -> str:
        return self.judgement.completion.value if self.judgement else NO_DATA

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "completion": self.completion,
            "judgement": self.judgement.as_dict() if self.judgement else None,
            "targets": [t.as_dict() for t in self.targets],
        }


@dataclass(frozen=True)
class PointAssessment:
    number: str
    title: str
    actions: tuple[ActionAssessment, ...]
    rollup: Rollup


@dataclass(frozen=True)
class Assessment:
    plan: str
    as_of: date
    due_soon_days: int
    points: tuple[PointAssessment, ...]
    rollup: Rollup

    def targets(self) -> list[TargetAssessment]:
        return [t for p in self.points for a in p.actions for t in a.targets]

    def target(self, address: str) -> TargetAssessment:
        return next(t for t in self.targets() if t.address == address)

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "as_of": self.as_of.isoformat(),
            "due_soon_days": self.due_soon_days,
            "rollup": self.rollup.as_dict(),
            "alliance_points": [
                {
                    "number": p.number,
                    "title": p.title,
                    "rollup": p.rollup.as_dict(),
                    "actions": [a.as_dict() for a in p.actions],
                }
                for p in self.points
            ],
        }


def assess_report(
    report: Report,
    as_of: date,
    *,
    deadlines: dict[tuple[str, int], StoredDeadline],
    events: dict[str, date],
    judgements: dict[tuple[str, int | None], Judgement],
    due_soon_days: int = DUE_SOON_DAYS,
    plan: str = DEFAULT_PLAN,
) -> Assessment:
    """The assessment from its inputs (pure; :func:`assess_plan` reads them from storage)."""
    points = []
    total = Rollup()
    for point in report.alliance_points:
        rollup = Rollup()
        actions = []
        for action in point.actions:
            action_judgement = judgements.get((action.number, None))
            targets = []
            for position, paragraph in enumerate(action.targets, start=1):
                stored = deadlines.get((action.number, position))
                deadline = stored.deadline if stored else Deadline(DeadlineKind.NONE)
                judgement = judgements.get((action.number, position), action_judgement)
                completed_on = (
                    judgement.completed_on
                    if judgement and judgement.completion is Completion.DONE
                    else None
                )
                event_on = events.get(deadline.event_key) if deadline.event_key else None
                if event_on is not None and event_on > as_of:
                    event_on = None
                state, due = schedule_state(
                    deadline,
                    as_of,
                    event_on=event_on,
                    completed_on=completed_on,
                    due_soon_days=due_soon_days,
                )
                targets.append(
                    TargetAssessment(
                        f"{action.number}/targets/{position}",
                        paragraph.text,
                        stored,
                        state,
                        due,
                        event_on,
                        judgement,
                    )
                )
                rollup.schedule[state.value] += 1
            assessed = ActionAssessment(
                action.number, action.plain_text, action_judgement, tuple(targets)
            )
            rollup.completion[assessed.completion] += 1
            actions.append(assessed)
        total.add(rollup)
        points.append(PointAssessment(point.number, point.title, tuple(actions), rollup))
    return Assessment(plan, as_of, due_soon_days, tuple(points), total)


def assess_plan(
    session: Session,
    as_of: date,
    *,
    plan_key: str = DEFAULT_PLAN,
    due_soon_days: int = DUE_SOON_DAYS,
) -> Assessment:
    """Assess the plan held in the database as of ``as_of``."""
    if due_soon_days < 0:
        raise ValueError("the due-soon window is a number of days, 0 or more")
    return assess_report(
        source_report(session, plan_key),
        as_of,
        deadlines=current_deadlines(session, plan_key),
        events={k: e.occurred_on for k, e in recorded_events(session, plan_key).items()},
        judgements=judgements_as_of(session, as_of, plan_key),
        due_soon_days=due_soon_days,
        plan=plan_key,
    )


def assessment_text(assessment: Assessment) -> str:
    """A readable assessment: one line per target, roll-ups per Alliance Point and plan."""
    lines = [
        f"Assessment of plan {assessment.plan!r} as of {assessment.as_of} "
        f"(due soon = within {assessment.due_soon_days} days)"
    ]
    for point in assessment.points:
        lines.append(f"\nAlliance Point {point.number}: {point.title}")
        for action in point.actions:
            judgement = action.judgement
            recorded = (
                f"{judgement.completion.value}"
                + (f", {judgement.rating.value}" if judgement.rating else "")
                + f" ({judgement.recorded_by}, as of {judgement.as_of}: {judgement.justification})"
                if judgement
                else "no data recorded"
            )
            lines.append(f"  {action.number:<8} completion: {recorded}")
            for target in action.targets:
                due = f"due {target.due}" if target.due else ""
                if target.state is ScheduleState.WAITING_ON_EVENT and target.stored:
                    due = f"waits on: {target.stored.deadline.event}"
                lines.append(f"    {target.address:<18} {target.state.value:<17} {due}")
        lines.append(f"  roll-up: {_rollup_text(point.rollup)}")
    lines.append(f"\nPlan roll-up: {_rollup_text(assessment.rollup)}")
    return "\n".join(lines) + "\n"


def _rollup_text(rollup: Rollup) -> str:
    targets = ", ".join(f"{n} {s}" for s, n in sorted(rollup.schedule.items()) if n)
    actions = ", ".join(f"{n} {c}" for c, n in sorted(rollup.completion.items()) if n)
    return f"targets: {targets or 'none'}; actions: {actions or 'none'}; worst: {rollup.worst}"
