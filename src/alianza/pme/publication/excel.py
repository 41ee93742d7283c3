"""XLSX of a published cycle: the report table, the scorecard and the deadlines, one sheet each."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from alianza.catalogue import declare
from alianza.cells import neutralised
from alianza.pme.dates import format_as_of
from alianza.pme.document import Paragraph
from alianza.pme.export.labels import report_labels
from alianza.pme.publication.content import Edition
from alianza.pme.publication.tables import scorecard_rows, timeline_rows

# The workbook's sheets: the report table, the scorecard, the deadlines.
SHEETS = (
    declare("pme.publication.sheet.report", "Report"),
    declare("pme.publication.sheet.scorecard", "Scorecard"),
    declare("pme.publication.sheet.deadlines", "Deadlines"),
)


def _text(paragraphs: tuple[Paragraph, ...]) -> str:
    return "\n\n".join(p.text for p in paragraphs)


def _sheet(sheet: Any, header: list[str], rows: list[list[Any]], widths: list[int]) -> None:
    sheet.append(neutralised(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(neutralised(row))
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"


def _lines(text: str, width: int) -> int:
    """Lines a wrapped cell needs at ``width`` characters (Excel and LibreOffice do not
    always fit row heights to wrapped text on opening a file)."""
    per_line = max(int(width * 1.15), 1)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def _print_setup(sheet: Any) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = "1:1"


def publication_xlsx(edition: Edition) -> bytes:
    labels = report_labels(edition.report.language)
    lang = edition.language
    workbook = Workbook()
    report_sheet = workbook.active
    report_sheet.title = SHEETS[0](lang)
    rows = []
    for point in edition.report.alliance_points:
        for action in point.actions:
            status = action.latest_status()
            rows.append(
                [
                    point.number,
                    action.number,
                    _text(action.text),
                    _text(action.baseline.paragraphs),
                    _text(action.targets),
                    _text(action.measurements),
                    _text(status.paragraphs) if status else "",
                ]
            )
    baseline_as_of = (rows and edition.report.actions()[0].baseline.as_of) or edition.as_of
    _sheet(
        report_sheet,
        [
            labels["alliance_point"],
            "#",
            labels["action"],
            f"{labels['baseline']} {labels['as_of']} {format_as_of(baseline_as_of, lang)}",
            labels["targets"],
            labels["measurements"],
            f"{labels['status']} {labels['as_of']} {format_as_of(edition.as_of, lang)}",
        ],
        rows,
        [8, 8, 40, 50, 50, 40, 60],
    )
    widths = [8, 8, 40, 50, 50, 40, 60]
    for row in report_sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        lines = max(_lines(str(c.value or ""), w) for c, w in zip(row, widths, strict=True))
        report_sheet.row_dimensions[row[0].row].height = min(409, 13 * lines + 4)
    _print_setup(report_sheet)
    header, score = scorecard_rows(edition)
    _sheet(
        workbook.create_sheet(SHEETS[1](lang)),
        header,
        [[r[0], *(int(v) for v in r[1:])] for r in score],
        [16] * len(header),
    )
    _sheet(workbook.create_sheet(SHEETS[2](lang)), *timeline_rows(edition), [18, 12, 24])
    workbook.properties.title = edition.title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
