"""A readable Markdown document grouped by Alliance Point."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from alianza.pme.document import Action, Paragraph, Report
from alianza.pme.export.labels import report_labels

_MARKERS = {"i": "*", "em": "*", "b": "**", "strong": "**"}
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


class _ToMarkdown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(_MARKERS.get(tag, ""))

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(_MARKERS.get(tag, ""))

    def handle_data(self, data: str) -> None:
        self.parts.append(_SPECIAL.sub(r"\\\1", data))


def paragraph_markdown(paragraph: Paragraph) -> str:
    parser = _ToMarkdown()
    parser.feed(paragraph.markup)
    parser.close()
    return "".join(parser.parts)


def _section(heading: str, paragraphs: tuple[Paragraph, ...]) -> list[str]:
    lines = [f"#### {heading}", ""]
    if not paragraphs:
        return [*lines, "—", ""]
    for number, paragraph in enumerate(paragraphs, start=1):
        lines += [f"{number}. {paragraph_markdown(paragraph)}"]
    return [*lines, ""]


def _action(action: Action, report: Report) -> list[str]:
    labels = report_labels(report.language)
    text = " ".join(paragraph_markdown(p) for p in action.text)
    lines = [f"### {action.number} {text}", ""]
    if action.parent_number:
        lines += [f"*{labels['sub_action_of']} {action.parent_number}*", ""]
    lines += _section(
        f"{labels['Baseline']} ({labels['as_of'].lower()} {action.baseline.as_of.isoformat()})",
        action.baseline.paragraphs,
    )
    lines += _section(labels["Targets"], action.targets)
    lines += _section(labels["Measurements"], action.measurements)
    for snapshot in reversed(action.status):
        lines += _section(
            f"{labels['Status']} ({labels['as_of'].lower()} {snapshot.as_of.isoformat()})",
            snapshot.paragraphs,
        )
    return lines


def report_markdown(report: Report, title: str) -> str:
    labels = report_labels(report.language)
    lines = [f"# {title}", ""]
    for point in report.alliance_points:
        lines += [f"## {labels['alliance_point']} {point.number}: {point.title}", ""]
        for action in point.actions:
            lines += _action(action, report)
    return "\n".join(lines).rstrip() + "\n"
