"""The JSON shape documented by ``docs/pme-report.schema.json``."""

from __future__ import annotations

import json
from typing import Any

from alianza.pme.document import Action, Report


def _action(action: Action) -> dict[str, Any]:
    return {
        "number": action.number,
        "parent": action.parent_number,
        "text": action.plain_text,
        "baseline": {
            "as_of": action.baseline.as_of.isoformat(),
            "paragraphs": [p.text for p in action.baseline.paragraphs],
        },
        "targets": [{"text": p.text} for p in action.targets],
        "measurements": [p.text for p in action.measurements],
        "status": [
            {"as_of": s.as_of.isoformat(), "paragraphs": [p.text for p in s.paragraphs]}
            for s in action.status
        ],
    }


def report_json(report: Report) -> dict[str, Any]:
    return {
        "language": report.language.value,
        "alliance_points": [
            {
                "number": point.number,
                "title": point.title,
                "actions": [_action(action) for action in point.actions],
            }
            for point in report.alliance_points
        ],
    }


def report_json_text(report: Report) -> str:
    return json.dumps(report_json(report), ensure_ascii=False, indent=2) + "\n"
