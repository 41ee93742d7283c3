"""The deadline timeline of the scorecard: every dated target on a time axis, by action.

Server-rendered SVG (no JavaScript): one row per action, one mark per target at its due date,
coloured by its schedule state (targets due the same day side by side), a vertical line at the
assessment date, a time axis in months of the page's language with its title. Each mark has a
``<title>`` (read as a tooltip and by screen readers) and links to its action; the page's
target table carries the same figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
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
LEFT, RIGHT, TOP, ROW, BOTTOM = 64, 16, 30, 22, 48
DOT = 6  # radius; targets due the same day in a row sit side by side, 2·DOT + 1 apart


def _month_start(day: date, shift: int = 0) -> date:
    index = day.year * 12 + day.month - 1 + shift
    return date(index // 12, index % 12 + 1, 1)


def deadline_timeline(
    assessment: Assessment,
    state_label: Callable[[ScheduleState], str],
    fmt_date: Callable[[date], str],
    title: str,
    *,
    months: Sequence[str],
    axis_title: str,
) -> Markup | None:
    """The timeline, or None when no target has a due date. ``months``: the twelve month
    abbreviations of the page's language (the axis's ticks); ``axis_title``: the time axis's
    title. The axis runs from the month before the first date to the month after the last,
    so no mark sits on an edge."""
    rows = [
        (action.number, [t for t in action.targets if t.due is not None])
        for point in assessment.points
        for action in point.actions
    ]
    rows = [(number, targets) for number, targets in rows if targets]
    if not rows:
        return None
    dues = [t.due for _n, targets in rows for t in targets if t.due is not None]
    start = _month_start(min([*dues, assessment.as_of]), -1)
    end = _month_start(max([*dues, assessment.as_of]), 2)
    width, height = 900, TOP + ROW * len(rows) + BOTTOM
    bottom = TOP + ROW * len(rows)
    plot = width - LEFT - RIGHT
    span = (end - start).days

    def x(day: date) -> float:
        return LEFT + plot * (day - start).days / span

    states = Counter(t.state for _n, targets in rows for t in targets)
    summary = ", ".join(f"{state_label(s)}: {n}" for s, n in sorted(states.items()))
    parts = [
        f'<svg class="chart timeline" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="tl-t tl-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="tl-t">{escape(title)}</title>'
        f'<desc id="tl-d">{escape(axis_title)}: {escape(fmt_date(start))} – '
        f"{escape(fmt_date(end))}. {escape(summary)}</desc>"
    ]
    count = (end.year - start.year) * 12 + end.month - start.month
    every = 1 if count <= 18 else 3 if count <= 60 else 12
    for index in range(count + 1):  # month ticks (quarters or years on long spans)
        tick = _month_start(start, index)
        if (tick.month - 1) % every:
            continue
        major = tick.month == 1 or index == 0
        parts.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{TOP - 4}" y2="{bottom + 4}" '
            f'stroke="{"#b8c2cc" if major else "#e4e8ec"}"/>'
        )
        if tick < end:  # the label names the month that starts at the tick
            label = months[tick.month - 1] if every < 12 else str(tick.year)
            parts.append(
                f'<text x="{x(tick) + 3:.1f}" y="{bottom + 16}" class="chart-label tick">'
                f"{escape(label)}</text>"
            )
            if major and every < 12:
                parts.append(
                    f'<text x="{x(tick) + 3:.1f}" y="{bottom + 30}" class="chart-label tick">'
                    f"{tick.year}</text>"
                )
    parts.append(
        f'<text x="{LEFT + plot / 2:.1f}" y="{height - 4}" text-anchor="middle" '
        f'class="chart-label axis-title x-title">{escape(axis_title)}</text>'
    )
    for index, (number, targets) in enumerate(rows):
        y = TOP + ROW * index + ROW / 2
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" class="chart-label">'
            f"{escape(number)}</text>"
            f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#eef1f4"/>'
        )
        same_day = Counter(t.due for t in targets)
        seen: Counter[date] = Counter()
        for target in targets:
            assert target.due is not None
            # targets due the same day side by side, centred on the day, not overlapping
            offset = (2 * DOT + 1) * (seen[target.due] - (same_day[target.due] - 1) / 2)
            seen[target.due] += 1
            tip = f"{target.address} · {fmt_date(target.due)} · {state_label(target.state)}"
            parts.append(
                f'<a href="/pme/actions/{escape(number)}#targets">'
                f'<circle cx="{x(target.due) + offset:.1f}" cy="{y:.1f}" r="{DOT}" '
                f'fill="{COLOURS[target.state]}" stroke="#ffffff" stroke-width="1.5">'
                f"<title>{escape(tip)}</title></circle></a>"
            )
    now = x(assessment.as_of)
    parts.append(
        f'<line x1="{now:.1f}" x2="{now:.1f}" y1="{TOP - 12}" y2="{bottom + 4}" '
        f'stroke="#1b1b1b" stroke-dasharray="4 3"/>'
        f'<text x="{now + 4:.1f}" y="{TOP - 14}" class="chart-label as-of">'
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
