"""DOCX of a published cycle (what officials circulate): landscape pages, the source's
five-column table per Alliance Point, the scorecard and the deadline timeline chart."""

from __future__ import annotations

import io
import re
from html import unescape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph as DocxParagraph

from alianza.pme.dates import format_as_of
from alianza.pme.document import Paragraph
from alianza.pme.export.labels import report_labels
from alianza.pme.publication.content import Edition
from alianza.pme.publication.tables import scorecard_rows, timeline_rows

_RUN = re.compile(r"<(?P<tag>b|strong|i|em)>(?P<text>.*?)</(?P=tag)>|(?P<plain>[^<]+)", re.S)


def _runs(target: DocxParagraph, markup: str, size: float = 8.5) -> None:
    """Write normalized markup (text with b/i emphasis) as runs of ``target``."""
    for match in _RUN.finditer(markup):
        text = unescape(match["text"] if match["tag"] else match["plain"] or "")
        run = target.add_run(re.sub(r"<[^>]+>", "", text))
        run.font.size = Pt(size)
        run.bold = match["tag"] in ("b", "strong")
        run.italic = match["tag"] in ("i", "em")


def _fill(cell: _Cell, paragraphs: tuple[Paragraph, ...], empty: str = "—") -> None:
    first = cell.paragraphs[0]
    if not paragraphs:
        run = first.add_run(empty)
        run.font.size = Pt(8.5)
        run.font.color.rgb = RGBColor(0x88, 0x88, 0x88)
        return
    for index, paragraph in enumerate(paragraphs):
        target = first if index == 0 else cell.add_paragraph()
        target.paragraph_format.space_after = Pt(3)
        _runs(target, paragraph.markup)


def _repeat_as_header(row: _Row) -> None:
    """Repeat the row at the top of every page the table runs onto."""
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _header_row(row: _Row, names: list[str]) -> None:
    _repeat_as_header(row)
    for cell, name in zip(row.cells, names, strict=True):
        run = cell.paragraphs[0].add_run(name)
        run.bold = True
        run.font.size = Pt(8)


def _simple_table(document: object, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    _header_row(table.rows[0], header)
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            run = cell.paragraphs[0].add_run(value)
            run.font.size = Pt(8.5)


def publication_docx(edition: Edition, timeline_png: bytes | None) -> bytes:
    labels = report_labels(edition.report.language)
    lang = edition.language
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(10)
    document.core_properties.title = edition.title
    document.core_properties.language = lang
    document.add_heading(edition.title, level=1)
    if untranslated := edition.untranslated_note():
        note = document.add_paragraph()
        note.add_run(untranslated).italic = True
    for point in edition.report.alliance_points:
        document.add_heading(f"{labels['alliance_point']} {point.number}: {point.title}", level=2)
        baseline_as_of = point.actions[0].baseline.as_of if point.actions else edition.as_of
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        _header_row(
            table.rows[0],
            [
                labels["action"],
                f"{labels['baseline']} {labels['as_of']} {format_as_of(baseline_as_of, lang)}",
                labels["targets"],
                labels["measurements"],
                f"{labels['status']} {labels['as_of']} {format_as_of(edition.as_of, lang)}",
            ],
        )
        for action in point.actions:
            cells = table.add_row().cells
            number = cells[0].paragraphs[0].add_run(f"{action.number} ")
            number.bold = True
            number.font.size = Pt(8.5)
            if action.text:
                _runs(cells[0].paragraphs[0], action.text[0].markup)
                for extra in action.text[1:]:
                    _runs(cells[0].add_paragraph(), extra.markup)
            _fill(cells[1], action.baseline.paragraphs)
            _fill(cells[2], action.targets)
            _fill(cells[3], action.measurements)
            status = action.latest_status()
            _fill(cells[4], status.paragraphs if status else (), edition.text("no_status"))
    document.add_heading(edition.text("scorecard"), level=2)
    _simple_table(document, *scorecard_rows(edition))
    document.add_heading(edition.text("timeline"), level=2)
    if timeline_png:
        document.add_picture(io.BytesIO(timeline_png), width=Cm(24))
    _simple_table(document, *timeline_rows(edition))
    document.add_heading(edition.text("authenticity"), level=2)
    for line in edition.authenticity():
        document.add_paragraph(line).runs[0].font.size = Pt(8)
    footer = document.add_paragraph()
    footer_run = footer.add_run(
        f"{edition.text('published')} {edition.published_at} · "
        f"{edition.text('hash')} {edition.sha256}"
    )
    footer_run.font.size = Pt(7)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
