"""The deadline timeline of a published cycle as a PNG chart (matplotlib, no display needed)."""

from __future__ import annotations

import io
from datetime import date, timedelta

from alianza.pme.publication.content import Edition

COLOURS = {
    "overdue": "#b03a2e",
    "due_soon": "#d68910",
    "not_due": "#2e86c1",
    "met_on_time": "#229954",
    "met_late": "#7d8c1f",
    "waiting_on_event": "#7f8c8d",
}


def timeline_png(edition: Edition) -> bytes:
    """One row per target with a deadline, its due date marked and coloured by state; the
    as-of date is a vertical line; targets waiting on an event sit at the right, hollow."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.dates import DateFormatter, date2num

    def x(day: date) -> float:
        return float(date2num(day))  # type: ignore[no-untyped-call]

    items = edition.timeline
    dated = [i.due for i in items if i.due is not None]
    start = min([*dated, edition.as_of]) - timedelta(days=45)
    end = max([*dated, edition.as_of]) + timedelta(days=75)
    height = 1.2 + 0.32 * max(len(items), 1)
    figure, axes = pyplot.subplots(figsize=(11, height), dpi=120)
    try:
        for row, item in enumerate(reversed(items)):
            colour = COLOURS.get(item.state, "#000000")
            if item.due is None:
                axes.plot([x(end - timedelta(days=30))], [row], "o", mfc="none", mec=colour, ms=8)
                axes.annotate(
                    edition.state_label(item.state),
                    (x(end - timedelta(days=24)), row),
                    va="center",
                    fontsize=7,
                    color=colour,
                )
            else:
                axes.plot([x(item.due)], [row], "D", color=colour, ms=7)
                axes.hlines(row, x(start), x(item.due), colors=colour, alpha=0.25, lw=2)
        axes.axvline(x(edition.as_of), color="#1b2631", lw=1.2, ls="--")
        axes.annotate(
            f"{edition.text('as_of_line')} {edition.as_of.isoformat()}",
            (x(edition.as_of), len(items) - 0.4),
            fontsize=8,
            ha="left",
            xytext=(4, 0),
            textcoords="offset points",
        )
        axes.set_yticks(range(len(items)), [i.address for i in reversed(items)], fontsize=8)
        axes.set_xlim(x(start), x(end))
        axes.set_ylim(-0.8, len(items) + 0.2)
        axes.xaxis.set_major_formatter(DateFormatter("%Y-%m"))  # type: ignore[no-untyped-call]
        axes.set_title(f"{edition.text('timeline')} — {edition.label}", fontsize=11)
        handles = [
            axes.plot([], [], "D", color=colour, label=edition.state_label(state))[0]
            for state, colour in COLOURS.items()
            if any(i.state == state for i in items)
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
