"""Scorecard and timeline tables shared by every publication format."""

from __future__ import annotations

from alianza.pme.publication.content import STATE_ORDER, Edition


def scorecard_rows(edition: Edition) -> tuple[list[str], list[list[str]]]:
    """Header and rows: one row per Alliance Point and a total, one column per state."""
    states = [s for s in STATE_ORDER if any(c.get(s) for _, c in edition.scorecard)]
    header = [edition.text("alliance_point"), *(edition.state_label(s) for s in states)]
    header.append(edition.text("total"))
    rows = []
    totals = dict.fromkeys(states, 0)
    for point, counts in edition.scorecard:
        row = [point]
        for state in states:
            row.append(str(counts.get(state, 0)))
            totals[state] += counts.get(state, 0)
        row.append(str(sum(counts.values())))
        rows.append(row)
    if len(edition.scorecard) > 1:
        rows.append(
            [
                edition.text("total"),
                *(str(totals[s]) for s in states),
                str(sum(totals.values())),
            ]
        )
    return header, rows


def timeline_rows(edition: Edition) -> tuple[list[str], list[list[str]]]:
    header = [edition.text("target"), edition.text("due"), edition.text("state")]
    rows = [
        [item.address, item.due.isoformat() if item.due else "—", edition.state_label(item.state)]
        for item in edition.timeline
    ]
    return header, rows
