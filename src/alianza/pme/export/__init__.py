"""Render a Report: TSV (the source layout, re-importable), Markdown, HTML and JSON."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from alianza.pme.document import Report
from alianza.pme.export.html import report_html
from alianza.pme.export.markdown import report_markdown
from alianza.pme.export.tsv import report_tsv


class ExportFormat(StrEnum):
    TSV = "tsv"
    MD = "md"
    HTML = "html"
    JSON = "json"


def _report_json(report: Report, _title: str) -> str:
    # Imported here: the JSON export's deadline parser and cross-references cost every user of
    # this package (``alianza pme show`` among them) their import time (issue 18).
    from alianza.pme.export.json import report_json_text

    return report_json_text(report)


RENDERERS: dict[ExportFormat, Callable[[Report, str], str]] = {
    ExportFormat.TSV: lambda report, _title: report_tsv(report),
    ExportFormat.MD: report_markdown,
    ExportFormat.HTML: report_html,
    ExportFormat.JSON: _report_json,
}


def render_report(report: Report, export_format: ExportFormat, title: str) -> str:
    return RENDERERS[export_format](report, title)


__all__ = ["ExportFormat", "render_report", "report_html", "report_markdown", "report_tsv"]
