"""The deadline timeline of a published cycle as a PNG chart (matplotlib, no display needed).

Up to :data:`MAX_TARGET_ROWS` targets with a deadline: one row per target. More (a full plan
holds hundreds): one row per Alliance Point, one marker per due date and state, sized by and
labelled with the number of targets, so the chart stays one readable page.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, timedelta

from alianza.pme.publication.content import Edition

MAX_TARGET_ROWS = 40
COLOURS = {
    "overdue": "#b03a2e",
    "due_soon": "#d68910",
    "not_due": "#2e86c1",
    "met_on_time": "#229954",
    "met_late": "#7d8c1f",
    "waiting_on_event": "#7f8c8d",
    "met_timing_unknown": "#52a06a",
    "disputed": "#8e44ad",
    "unparsed_deadline": "#c0392b",
}

Marker = tuple[date | None, str, int]  # due (None: waiting on an event), state, targets


def chart_rows(edition: Edition) -> list[tuple[str, list[Marker]]]:
    """The chart's rows, top to bottom: a label and its markers."""
    items = edition.timeline
    if len(items) <= MAX_TARGET_ROWS:
        return [(i.address, [(i.due, i.state, 1)]) for i in items]
    by_point: dict[str, Counter[tuple[date | None, str]]] = {}
    for item in items:
        point = item.address.split(".")[0]
        by_point.setdefault(point, Counter())[(item.due, item.state)] += 1
    label = edition.text("alliance_point")
    return [
        (
            f"{label} {point}",
            [(due, state, n) for (due, state), n in sorted(counts.items(), key=_key)],
        )
        for point, counts in by_point.items()
    ]


def _key(entry: tuple[tuple[date | None, str], int]) -> tuple[date, str]:
    (due, state), _ = entry
    return (due or date.max, state)


def timeline_png(edition: Edition) -> bytes:
    """Due dates marked and coloured by schedule state; the as-of date is a dashed line;
    targets waiting on an event sit at the right, hollow."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.dates import DateFormatter, date2num

    def x(day: date) -> float:
        return float(date2num(day))  # type: ignore[no-untyped-call]

    rows = chart_rows(edition)
    grouped = len(rows) < len(edition.timeline)
    dated = [due for _, markers in rows for due, _, _ in markers if due is not None]
    start = min([*dated, edition.as_of]) - timedelta(days=45)
    end = max([*dated, edition.as_of]) + timedelta(days=75)
    waiting_at = end - timedelta(days=30)
    figure, axes = pyplot.subplots(figsize=(11, 1.2 + 0.32 * max(len(rows), 1)), dpi=120)
    try:
        for row, (_, markers) in enumerate(reversed(rows)):
            for due, state, count in markers:
                colour = COLOURS.get(state, "#000000")
                size = 7 if not grouped else 5 + 2.5 * min(count, 8) ** 0.5
                if due is None:
                    axes.plot([x(waiting_at)], [row], "o", mfc="none", mec=colour, ms=size)
                else:
                    axes.plot([x(due)], [row], "D", color=colour, ms=size)
                    if not grouped:
                        axes.hlines(row, x(start), x(due), colors=colour, alpha=0.25, lw=2)
                if grouped and count > 1:
                    axes.annotate(
                        str(count),
                        (x(due or waiting_at), row),
                        xytext=(0, 9),
                        textcoords="offset points",
                        ha="center",
                        fontsize=6,
                    )
        axes.axvline(x(edition.as_of), color="#1b2631", lw=1.2, ls="--")
        axes.annotate(
            f"{edition.text('as_of_line')} {edition.as_of.isoformat()}",
            (x(edition.as_of), len(rows) - 0.4),
            fontsize=8,
            ha="left",
            xytext=(4, 0),
            textcoords="offset points",
        )
        axes.set_yticks(range(len(rows)), [label for label, _ in reversed(rows)], fontsize=8)
        axes.set_xlim(x(start), x(end))
        axes.set_ylim(-0.8, len(rows) + 0.2)
        axes.xaxis.set_major_formatter(DateFormatter("%Y-%m"))  # type: ignore[no-untyped-call]
        axes.set_title(f"{edition.text('timeline')} — {edition.label}", fontsize=11)
        states = {state for _, markers in rows for _, state, _ in markers}
        handles = [
            axes.plot(
                [],
                [],
                "o" if state == "waiting_on_event" else "D",
                color=colour,
                mfc="none" if state == "waiting_on_event" else colour,
                label=edition.state_label(state),
            )[0]
            for state, colour in COLOURS.items()
            if state in states
        ]
        if handles:
            axes.legend(
                handles=handles,
                fontsize=7,
                loc="upper left",
                bbox_to_anchor=(1.01, 1),
                frameon=False,
            )
        axes.grid(axis="x", alpha=0.3)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", metadata={"Software": None})
        return buffer.getvalue()
    finally:
        pyplot.close(figure)
