"""The schedule rules of one target: its due date, and its state as of a date.

A completion date carries a precision (``exact``; ``month`` or ``year``: some day of that
period; ``approximate``: on or before the date). The rules never guess: a completion whose
possible days fall on both sides of the due date is ``met_timing_unknown``.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from alianza.catalogue import declare
from alianza.pme.deadlines import Deadline, DeadlineKind, Recurrence, month_end

DUE_SOON_DAYS = 60
PRECISIONS = ("exact", "month", "year", "approximate")
UNKNOWN_PRECISION = declare(
    "pme.schedule.unknown-precision", "unknown date precision {precision!r} (one of: {known})"
)


class ScheduleState(StrEnum):
    NOT_DUE = "not_due"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET_ON_TIME = "met_on_time"
    MET_LATE = "met_late"
    MET_TIMING_UNKNOWN = "met_timing_unknown"
    WAITING_ON_EVENT = "waiting_on_event"
    NO_DEADLINE = "no_deadline"
    DISPUTED = "disputed"  # the records and the recorded judgement disagree (scorecard only)
    UNPARSED_DEADLINE = "unparsed_deadline"  # words like a deadline, none read (scorecard only)


# Most pressing first: a roll-up's "worst" is the first of these present.
SEVERITY = (
    ScheduleState.OVERDUE,
    ScheduleState.DISPUTED,
    ScheduleState.UNPARSED_DEADLINE,
    ScheduleState.DUE_SOON,
    ScheduleState.WAITING_ON_EVENT,
    ScheduleState.NOT_DUE,
    ScheduleState.MET_LATE,
    ScheduleState.MET_TIMING_UNKNOWN,
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


def possible_days(day: date, precision: str = "exact") -> tuple[date, date]:
    """The first and last day a date of this precision may stand for."""
    if precision == "month":
        return date(day.year, day.month, 1), month_end(day.year, day.month)
    if precision == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    if precision == "approximate":
        return date.min, day
    if precision != "exact":
        raise ValueError(UNKNOWN_PRECISION.said(precision=precision, known=", ".join(PRECISIONS)))
    return day, day


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
    precision: str = "exact",
    due_soon_days: int = DUE_SOON_DAYS,
) -> tuple[ScheduleState, date | None]:
    """The schedule state of one target and the due date it was computed against.

    ``event_on`` counts only when on or before ``as_of``; ``completed_on`` (of ``precision``)
    only when its last possible day is on or before ``as_of``.
    """
    if deadline.kind is DeadlineKind.NONE:
        return ScheduleState.NO_DEADLINE, None
    if event_on is not None and event_on > as_of:
        event_on = None
    first = last = None
    if completed_on is not None:
        first, last = possible_days(completed_on, precision)
        if last > as_of:
            first = last = None
    due = due_date(deadline, as_of, event_on)
    if due is None:
        return ScheduleState.WAITING_ON_EVENT, None
    if first is not None and last is not None:
        if last <= due:
            return ScheduleState.MET_ON_TIME, due
        if first > due:
            return ScheduleState.MET_LATE, due
        return ScheduleState.MET_TIMING_UNKNOWN, due
    if as_of > due:
        return ScheduleState.OVERDUE, due
    if (due - as_of).days <= due_soon_days:
        return ScheduleState.DUE_SOON, due
    return ScheduleState.NOT_DUE, due
