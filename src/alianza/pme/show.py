"""A report, or one action, as readable terminal text."""

from __future__ import annotations

import textwrap

from alianza.pme.document import Action, Paragraph, Report
from alianza.pme.export.labels import report_labels


def _block(heading: str, paragraphs: tuple[Paragraph, ...], width: int) -> list[str]:
    lines = [f"  {heading}"]
    if not paragraphs:
        return [*lines, "    —"]
    for number, paragraph in enumerate(paragraphs, start=1):
        lines += textwrap.wrap(
            paragraph.text,
            width=width,
            initial_indent=f"    {number}. ",
            subsequent_indent=" " * (6 + len(str(number))),
        )
    return lines


def action_text(action: Action, report: Report, width: int = 100) -> str:
    labels = report_labels(report.language)
    heading = textwrap.wrap(f"{action.number}  {action.plain_text}", width=width)
    lines = [*heading, "=" * min(width, max(len(line) for line in heading))]
    if action.parent_number:
        lines.append(f"  ({labels['sub_action_of']} {action.parent_number})")
    lines += _block(
        f"{labels['baseline']} — {labels['as_of']} {action.baseline.as_of}",
        action.baseline.paragraphs,
        width,
    )
    lines += _block(labels["targets"], action.targets, width)
    lines += _block(labels["measurements"], action.measurements, width)
    for snapshot in reversed(action.status):
        lines += _block(
            f"{labels['status']} — {labels['as_of']} {snapshot.as_of}", snapshot.paragraphs, width
        )
    return "\n".join(lines)


def report_text(report: Report, width: int = 100) -> str:
    labels = report_labels(report.language)
    parts = []
    for point in report.alliance_points:
        parts.append(f"{labels['alliance_point'].upper()} {point.number}: {point.title}")
        parts += [action_text(action, report, width) for action in point.actions]
    return "\n\n".join(parts) + "\n"


def overview_text(report: Report) -> str:
    """One line per action: number, counts per column, latest status date, text."""
    lines = []
    for point in report.alliance_points:
        lines.append(f"Alliance Point {point.number}: {point.title}")
        for action in point.actions:
            status = action.latest_status()
            counts = (
                f"B{len(action.baseline.paragraphs)} T{len(action.targets)} "
                f"M{len(action.measurements)} S{len(status.paragraphs) if status else 0}"
            )
            text = textwrap.shorten(action.plain_text, width=60, placeholder="…")
            lines.append(f"  {action.number:<8} {counts:<14} {text}")
    return "\n".join(lines)
