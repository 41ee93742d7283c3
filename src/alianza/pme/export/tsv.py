"""The source layout: title line, header with as-of dates, one data row per action.

Importing this output gives the same data (the latest status snapshot of each action).
"""

from __future__ import annotations

from collections.abc import Iterable

from alianza.pme.dates import format_as_of
from alianza.pme.document import Action, Paragraph, Report
from alianza.pme.export.labels import report_labels


def _cell(paragraphs: Iterable[Paragraph]) -> str:
    return " ".join(f"<p>{p.markup}</p>" for p in paragraphs)


def _action_cell(action: Action) -> str:
    first = f"{action.number}. " + (action.text[0].markup if action.text else "")
    return _cell((Paragraph(first.strip()), *action.text[1:]))


def report_tsv(report: Report) -> str:
    labels = report_labels(report.language)
    language = report.language.value
    lines = ["", ""]
    for point in report.alliance_points:
        for action in point.actions:
            status = action.latest_status()
            status_as_of = status.as_of if status else action.baseline.as_of
            header = [
                labels["action"],
                f"{labels['baseline']} {labels['as_of']} "
                f"{format_as_of(action.baseline.as_of, language)}",
                labels["targets"],
                labels["measurements"],
                f"{labels['status']} {labels['as_of']} {format_as_of(status_as_of, language)}",
            ]
            row = [
                _action_cell(action),
                _cell(action.baseline.paragraphs),
                _cell(action.targets),
                _cell(action.measurements),
                _cell(status.paragraphs if status else ()),
            ]
            lines += [
                f"{labels['alliance_point']} {point.number}: {point.title}",
                "",
                "\t".join(header),
                "\t".join(row),
                "",
            ]
    return "\n".join(lines) + "\n"
