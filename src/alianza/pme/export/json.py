"""The JSON shape documented by ``docs/pme-report.schema.json``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from alianza.pme.deadlines import Deadline, parse_deadline
from alianza.pme.document import Action, Report
from alianza.pme.references import Reference, references_by_action

# Deadlines in force by (action number, target position), and event dates by event key.
Deadlines = Mapping[tuple[str, int], Deadline]


def _deadline(
    action: Action,
    position: int,
    text: str,
    deadlines: Deadlines | None,
    events: Mapping[str, date],
) -> dict[str, Any]:
    deadline = deadlines.get((action.number, position)) if deadlines is not None else None
    if deadline is None:
        deadline = parse_deadline(text)
    event_on = events.get(deadline.event_key) if deadline.event_key else None
    return deadline.as_dict(event_on)


def _action(
    action: Action,
    deadlines: Deadlines | None = None,
    events: Mapping[str, date] | None = None,
    references: list[Reference] | None = None,
) -> dict[str, Any]:
    return {
        "number": action.number,
        "parent": action.parent_number,
        "text": action.plain_text,
        "baseline": {
            "as_of": action.baseline.as_of.isoformat(),
            "paragraphs": [p.text for p in action.baseline.paragraphs],
        },
        "targets": [
            {"text": p.text, "deadline": _deadline(action, i, p.text, deadlines, events or {})}
            for i, p in enumerate(action.targets, start=1)
        ],
        "measurements": [p.text for p in action.measurements],
        "status": [
            {"as_of": s.as_of.isoformat(), "paragraphs": [p.text for p in s.paragraphs]}
            for s in action.status
        ],
        "references": [r.as_dict() for r in references or []],
    }


def report_json(
    report: Report,
    *,
    deadlines: Deadlines | None = None,
    events: Mapping[str, date] | None = None,
) -> dict[str, Any]:
    """The report as JSON; targets carry their deadline (``deadlines`` in force, else parsed
    from the text), actions the cross-references found in their paragraphs."""
    references = references_by_action(report)
    return {
        "language": report.language.value,
        "alliance_points": [
            {
                "number": point.number,
                "title": point.title,
                "actions": [
                    _action(action, deadlines, events, references[action.number])
                    for action in point.actions
                ],
            }
            for point in report.alliance_points
        ],
    }


def report_json_text(
    report: Report,
    *,
    deadlines: Deadlines | None = None,
    events: Mapping[str, date] | None = None,
) -> str:
    data = report_json(report, deadlines=deadlines, events=events)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
