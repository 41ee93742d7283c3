"""The deadline timeline of the scorecard: every dated target on a time axis, by action.

Server-rendered SVG (no JavaScript): one row per action, one mark per target at its due date,
coloured by its schedule state, a vertical line at the assessment date. Each mark has a
``<title>`` (read as a tooltip and by screen readers) and links to its action; the page's
target table carries the same figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date

from markupsafe import Markup, escape

from alianza.pme.assessment import Assessment
from alianza.pme.schedule import ScheduleState

COLOURS = {
    ScheduleState.OVERDUE: "#b3261e",
    ScheduleState.DUE_SOON: "#a86400",
    ScheduleState.NOT_DUE: "#4f6b85",
    ScheduleState.MET_ON_TIME: "#1e7b34",
    ScheduleState.MET_LATE: "#7a8a1a",
    ScheduleState.WAITING_ON_EVENT: "#6a4c93",
    ScheduleState.NO_DEADLINE: "#888888",
    ScheduleState.MET_TIMING_UNKNOWN: "#3f8f55",
    ScheduleState.DISPUTED: "#7b3fa0",
    ScheduleState.UNPARSED_DEADLINE: "#a93226",
}
LEFT, RIGHT, TOP, ROW = 64, 16, 34, 22


def deadline_timeline(
    assessment: Assessment,
    state_label: Callable[[ScheduleState], str],
    fmt_date: Callable[[date], str],
    title: str,
) -> Markup | None:
    """The timeline, or None when no target has a due date."""
    rows = [
        (action.number, [t for t in action.targets if t.due is not None])
        for point in assessment.points
        for action in point.actions
    ]
    rows = [(number, targets) for number, targets in rows if targets]
    if not rows:
        return None
    dues = [t.due for _n, targets in rows for t in targets if t.due is not None]
    start = date(min([*dues, assessment.as_of]).year, 1, 1)
    end = date(max([*dues, assessment.as_of]).year + 1, 1, 1)
    width, height = 900, TOP + ROW * len(rows) + 12
    plot = width - LEFT - RIGHT
    span = (end - start).days

    def x(day: date) -> float:
        return LEFT + plot * (day - start).days / span

    states = Counter(t.state for _n, targets in rows for t in targets)
    summary = ", ".join(f"{state_label(s)}: {n}" for s, n in sorted(states.items()))
    parts = [
        f'<svg class="chart timeline" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="tl-t tl-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="tl-t">{escape(title)}</title><desc id="tl-d">{escape(summary)}</desc>'
    ]
    for year in range(start.year, end.year + 1):  # year lines and quarter ticks
        for month in (1, 4, 7, 10):
            tick = date(year, month, 1)
            if tick > end:
                break
            major = month == 1
            parts.append(
                f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{TOP - (14 if major else 6)}" '
                f'y2="{height - 8}" stroke="{"#b8c2cc" if major else "#e4e8ec"}"/>'
            )
            if major:  # the last year line closes the axis: its label sits left of it
                anchor, shift = ("end", -4) if tick == end else ("start", 4)
                parts.append(
                    f'<text x="{x(tick) + shift:.1f}" y="{TOP - 18}" text-anchor="{anchor}" '
                    f'class="chart-label">{year}</text>'
                )
    for index, (number, targets) in enumerate(rows):
        y = TOP + ROW * index + ROW / 2
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" class="chart-label">'
            f"{escape(number)}</text>"
            f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#eef1f4"/>'
        )
        seen: Counter[date] = Counter()
        for target in targets:
            assert target.due is not None
            offset = 7 * seen[target.due]  # targets due the same day side by side
            seen[target.due] += 1
            tip = f"{target.address} · {fmt_date(target.due)} · {state_label(target.state)}"
            parts.append(
                f'<a href="/pme/actions/{escape(number)}#targets">'
                f'<circle cx="{x(target.due) + offset:.1f}" cy="{y:.1f}" r="6" '
                f'fill="{COLOURS[target.state]}" stroke="#ffffff" stroke-width="1.5">'
                f"<title>{escape(tip)}</title></circle></a>"
            )
    now = x(assessment.as_of)
    parts.append(
        f'<line x1="{now:.1f}" x2="{now:.1f}" y1="{TOP - 4}" y2="{height - 8}" '
        f'stroke="#1b1b1b" stroke-dasharray="4 3"/>'
        f'<text x="{now + 4:.1f}" y="{TOP - 4}" class="chart-label">'
        f"{escape(fmt_date(assessment.as_of))}</text></svg>"
    )
    return Markup("".join(parts))


def legend(assessment: Assessment) -> list[tuple[ScheduleState, str, int]]:
    """(state, colour, number of dated targets) for the states present."""
    states = Counter(
        t.state
        for point in assessment.points
        for action in point.actions
        for t in action.targets
        if t.due is not None
    )
    return [(s, COLOURS[s], states[s]) for s in ScheduleState if states[s]]
