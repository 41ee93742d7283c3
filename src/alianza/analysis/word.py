"""The joint edition as a Word document: landscape A4, the releasability marking in the page
header and footer, "Page N of M" in the footer, the content hash on the last line and in the
document's properties, and real metadata (title, author = the rendering node, language,
created = the newest input's extraction time)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from alianza.analysis.labels import text

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph

    from alianza.analysis.render import Edition

LANGUAGE_TAG = {"en": "en-US", "es": "es-MX", "both": "en-US"}


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (``PAGE``, ``NUMPAGES``) that Word fills in when it lays out the page."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, code, separate, shown, end):
        run._r.append(element)


def _small(paragraph: Paragraph, words: str, bold: bool = False) -> None:
    run = paragraph.add_run(words)
    run.font.size = Pt(8)
    run.bold = bold


def edition_docx(edition: Edition, charts: dict[str, bytes]) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.8))
    properties = document.core_properties
    properties.title = edition.title
    properties.author = edition.author
    properties.last_modified_by = edition.author
    properties.subject = text("title", edition.language)
    properties.keywords = f"alianza; joint analysis; {edition.analysis.quarter}"
    properties.comments = edition.hash_line
    properties.language = LANGUAGE_TAG[edition.language]
    properties.category = edition.marking
    properties.created = properties.modified = edition.created.replace(tzinfo=None)
    properties.revision = 1

    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _small(header, edition.marking, bold=True)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _small(footer, f"{edition.marking} · {text('page', edition.language)} ", bold=True)
    _field(footer, "PAGE")
    _small(footer, f" {text('of', edition.language)} ")
    _field(footer, "NUMPAGES")
    _small(section.footer.add_paragraph(), edition.hash_line)

    document.add_heading(edition.title, level=0)
    for block in edition.blocks():
        document.add_heading(block.heading, level=1)
        if block.chart and block.chart in charts:
            document.add_picture(io.BytesIO(charts[block.chart]), width=Cm(22))
        if block.header:
            table = document.add_table(rows=1, cols=len(block.header))
            table.style = "Light Grid Accent 1"
            for cell, words in zip(table.rows[0].cells, block.header, strict=True):
                cell.text = words
            for row in block.rows:
                for cell, words in zip(table.add_row().cells, row, strict=True):
                    cell.text = words
        for note in block.notes:
            document.add_paragraph(note, style="List Bullet")
    document.add_paragraph(edition.hash_line)
    if signed := edition.signature_lines():
        document.add_heading(text("signatures", edition.language), level=1)
        for line in signed:
            document.add_paragraph(line, style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
