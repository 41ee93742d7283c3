"""Render a Report: TSV (the source layout, re-importable), Markdown, HTML and JSON."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from alianza.pme.document import Report
from alianza.pme.export.html import report_html
from alianza.pme.export.json import report_json_text
from alianza.pme.export.markdown import report_markdown
from alianza.pme.export.tsv import report_tsv


class ExportFormat(StrEnum):
    TSV = "tsv"
    MD = "md"
    HTML = "html"
    JSON = "json"


RENDERERS: dict[ExportFormat, Callable[[Report, str], str]] = {
    ExportFormat.TSV: lambda report, _title: report_tsv(report),
    ExportFormat.MD: report_markdown,
    ExportFormat.HTML: report_html,
    ExportFormat.JSON: lambda report, _title: report_json_text(report),
}


def render_report(report: Report, export_format: ExportFormat, title: str) -> str:
    return RENDERERS[export_format](report, title)


__all__ = ["ExportFormat", "render_report", "report_html", "report_markdown", "report_tsv"]
