"""Properties of the scorecard rules over generated inputs (issue 17, item 7): precision and
period boundaries, the combination rule, and snapshot order of references. Expected values
are computed by enumeration here, not by the code under test."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from alianza.pme.assessment import Basis, FromRecords, combine
from alianza.pme.deadlines import Deadline, DeadlineKind
from alianza.pme.references import find_references
from alianza.pme.schedule import ScheduleState, schedule_state
from tests.pme.strategies import PRECISION, SCHEDULE_STATES, snapshot_plans

DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2010, 12, 31))


def days_meant(day: date, precision: str) -> list[date]:
    """Every day a date of this precision may stand for, enumerated."""
    if precision == "exact":
        return [day]
    if precision == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return [date(day.year, day.month, d) for d in range(1, last + 1)]
    first = date(day.year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(day.year, 12, 31) - first).days + 1)]


@settings(deadline=None)
@given(due=DAYS, completed=DAYS, precision=PRECISION)
def test_schedule_state_with_precision_matches_the_days_it_may_mean(
    due: date, completed: date, precision: str
) -> None:
    meant = days_meant(completed, precision)
    as_of = max(meant) + timedelta(days=1)  # the completion counts by then
    state, _ = schedule_state(
        Deadline(DeadlineKind.ABSOLUTE, due=due), as_of, completed_on=completed, precision=precision
    )
    if all(day <= due for day in meant):
        assert state is ScheduleState.MET_ON_TIME
    elif all(day > due for day in meant):
        assert state is ScheduleState.MET_LATE
    else:
        assert state is ScheduleState.MET_TIMING_UNKNOWN


@settings(deadline=None)
@given(due=DAYS, completed=DAYS, precision=PRECISION)
def test_schedule_state_coarser_precision_never_contradicts_exact(
    due: date, completed: date, precision: str
) -> None:
    deadline = Deadline(DeadlineKind.ABSOLUTE, due=due)
    as_of = date(2011, 12, 31)
    exact, _ = schedule_state(deadline, as_of, completed_on=completed)
    coarse, _ = schedule_state(deadline, as_of, completed_on=completed, precision=precision)
    assert coarse in (exact, ScheduleState.MET_TIMING_UNKNOWN)


@settings(deadline=None)
@given(due=DAYS, completed=DAYS, as_of=DAYS, precision=PRECISION)
def test_schedule_state_completion_counts_only_once_all_its_days_passed(
    due: date, completed: date, as_of: date, precision: str
) -> None:
    state, _ = schedule_state(
        Deadline(DeadlineKind.ABSOLUTE, due=due), as_of, completed_on=completed, precision=precision
    )
    met = state.value.startswith("met_")
    assert met == (max(days_meant(completed, precision)) <= as_of)


@given(
    alone=SCHEDULE_STATES,
    computed=st.none() | SCHEDULE_STATES,
    judged=st.none() | SCHEDULE_STATES,
)
def test_combine_never_silently_prefers_one_side(
    alone: str, computed: str | None, judged: str | None
) -> None:
    records = (
        FromRecords(ScheduleState(computed), None, "exact", ()) if computed is not None else None
    )
    state, basis = combine(ScheduleState(alone), records, ScheduleState(judged) if judged else None)
    if computed is not None and judged is not None and computed != judged:
        assert (state, basis) == (ScheduleState.DISPUTED, Basis.DISPUTED)
    elif computed is not None:
        assert state.value == computed
    elif judged is not None:
        assert state.value == judged
    else:
        assert (state.value, basis) == (alone, Basis.DEADLINE)


@settings(deadline=None)
@given(plan=snapshot_plans())
def test_references_resolve_against_the_snapshot_in_force_when_written(
    plan: tuple[object, dict[date, int], list[tuple[date, int]]],
) -> None:
    report, counts, cited = plan
    dates = sorted(counts)
    found = [r for r in find_references(report) if r.source.startswith("10.2/")]  # type: ignore[arg-type]
    assert len(found) == len(cited)
    for reference, (written_on, k) in zip(found, cited, strict=True):
        in_force = [day for day in dates if day <= written_on]
        if not in_force:
            assert not reference.resolved  # 10.1 had no status yet when this was written
            continue
        snapshot = in_force[-1]
        assert reference.resolved == (k <= counts[snapshot])
        expected_at = None if snapshot == dates[-1] else snapshot  # dated unless the latest
        assert reference.status_as_of == expected_at
