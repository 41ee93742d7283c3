"""The joint analysis as a document: Markdown, HTML (charts embedded), CSV, XLSX and DOCX, in
English, Spanish or both (bilingual).

Every edition of a quarter carries the same **content hash**: the SHA-256 of its canonical
content (the long CSV, in codes, and the packages it was assembled from), whichever node
renders it and in whichever language. That hash is what each side signs
(:mod:`alianza.analysis.signing`). The file metadata (author: the rendering node) are not part
of it, nor are the signatures an edition lists (who signed that hash, or who has not yet): a
signature covers the hash, so the hash cannot cover the signatures.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from typing import TYPE_CHECKING

from alianza.analysis.corridors import corridors
from alianza.analysis.joint import Figures, JointAnalysis
from alianza.analysis.labels import label, text
from alianza.analysis.tables import Block, blocks
from alianza.cells import SafeCsvWriter, neutralised

if TYPE_CHECKING:
    from alianza.analysis.cosign import SignatureState


def _corridor_keys() -> dict[str, str]:
    return {c.label: c.key for c in corridors()}


def report_csv(analysis: JointAnalysis) -> str:
    """Long format in codes: quarter, section, the row's dimensions and codes (``drug`` =
    ``FENTANYL``; ``_U`` not reported), country, seizures, kg (empty: not reported; full
    precision), kg_status (``A``; ``D`` leaves out records without a mass; ``M`` not
    reported), units (``TABLET=15000;...``)."""
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer, lineterminator="\n")
    writer.writerow(
        [
            "quarter",
            "section",
            "dimension_1",
            "code_1",
            "dimension_2",
            "code_2",
            "country",
            "seizures",
            "kg",
            "kg_status",
            "units",
        ]
    )
    corridor_key = _corridor_keys()
    rows: list[tuple[str, str, str, str, str, dict[str, Figures]]] = []
    for (drug,), by_country in sorted(analysis.totals.items()):
        rows.append(("totals", "drug", drug, "", "", by_country))
    for (corridor, drug), by_country in sorted(analysis.by_corridor.items()):
        key = corridor_key.get(corridor, corridor)
        rows.append(("corridors", "corridor", key, "drug", drug, by_country))
    for (method, drug), by_country in sorted(analysis.concealment.items()):
        rows.append(("concealment", "concealment", method, "drug", drug, by_country))
    for (mode, drug), by_country in sorted(analysis.transport.items()):
        rows.append(("transport", "transport_mode", mode, "drug", drug, by_country))
    for quarter, per_country in analysis.trend.items():
        for country, figures in sorted(per_country.items()):
            for drug, f in sorted(figures.items()):
                rows.append(("trend", "quarter", quarter, "drug", drug, {country: f}))
    for (country, location), (reason, f) in sorted(analysis.unpaired.items()):
        rows.append(("unpaired", "location", location, "reason", reason, {country: f}))
    for section, d1, c1, d2, c2, by_country in rows:
        for country, f in sorted(by_country.items()):
            status = "M" if f.kg is None else ("D" if f.kg_partial else "A")
            units = ";".join(f"{u}={n:.0f}" for u, n in sorted(f.units.items()))
            kg = "" if f.kg is None else repr(f.kg)
            writer.writerow(
                [
                    analysis.quarter,
                    section,
                    d1,
                    c1,
                    d2,
                    c2,
                    country,
                    f"{f.seizures:.0f}",
                    kg,
                    status,
                    units,
                ]
            )
    return buffer.getvalue()


def content_hash(analysis: JointAnalysis) -> str:
    """SHA-256 of the edition's canonical content: the long CSV and the packages read."""
    inputs = [
        [p.country, p.quarter, p.version, p.sha256, p.fingerprint]
        for p in (analysis.inputs.listed() if analysis.inputs else [])
    ]
    body = json.dumps(
        {"csv": report_csv(analysis), "inputs": inputs, "working_view": analysis.inputs is None},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Edition:
    """An edition of the joint analysis: the analysis in one language (``en``, ``es``,
    ``both``), rendered by ``author`` (the node or its organisation: file metadata only)."""

    analysis: JointAnalysis
    language: str = "both"
    author: str = "Alianza"
    # each government's signature over this content hash as the rendering node holds it
    # (None: not looked up, and the edition says nothing of signatures)
    signatures: tuple[SignatureState, ...] | None = None

    @property
    def title(self) -> str:
        return f"{text('title', self.language)} — {self.analysis.quarter}"

    @property
    def marking(self) -> str:
        return label("analysis.marking", self.language)

    @property
    def content_hash(self) -> str:
        return content_hash(self.analysis)

    @property
    def hash_line(self) -> str:
        return f"{text('content_hash', self.language)}: {self.content_hash}"

    def blocks(self) -> list[Block]:
        return blocks(self.analysis, self.language)

    def signature_lines(self) -> list[str]:
        """Per government: who signed this content hash (node, key fingerprint, when), or
        that it has not yet; then what the signatures cover. Empty when not looked up. The
        bilingual edition gives each line in English, then Spanish."""
        if self.signatures is None:
            return []
        if self.language != "both":
            return _signature_lines(self.signatures, self.language)
        english, spanish = (_signature_lines(self.signatures, lang) for lang in ("en", "es"))
        return [f"{en} / {es}" for en, es in zip(english, spanish, strict=True)]

    @property
    def created(self) -> datetime:
        """When the newest input package was extracted (the same on both nodes), not when
        the file was written."""
        stamps = (
            [p.extracted_at for p in self.analysis.inputs.listed()] if self.analysis.inputs else []
        )
        for stamp in sorted(stamps, reverse=True):
            try:
                parsed = datetime.fromisoformat(stamp)
            except ValueError:
                continue
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        return datetime(2000, 1, 1, tzinfo=UTC)


def _signature_lines(signatures: tuple[SignatureState, ...], language: str) -> list[str]:
    lines = []
    for state in signatures:
        country = label(f"analysis.country.{state.country}", language)
        kept = state.signature
        if kept is None:
            lines.append(text("not_signed", language).format(country=country))
            continue
        lines.append(
            text("signed_by", language).format(
                country=country,
                node=kept.node,
                fingerprint=kept.fingerprint,
                date=kept.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            )
        )
    return [*lines, text("signatures_note", language)]


def _edition(analysis: JointAnalysis | Edition) -> Edition:
    return analysis if isinstance(analysis, Edition) else Edition(analysis)


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    def cell(value: str) -> str:
        return value.replace("|", "\\|") or " "

    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return lines


def report_markdown(analysis: JointAnalysis | Edition, charts: dict[str, str] | None = None) -> str:
    """Markdown; ``charts`` maps chart names to image paths to link."""
    edition = _edition(analysis)
    charts = charts or {}
    lines = [f"**{edition.marking}**", "", f"# {edition.title}", ""]
    for block in edition.blocks():
        lines += [f"## {block.heading}", ""]
        if block.chart and block.chart in charts:
            lines += [f"![{block.heading}]({charts[block.chart]})", ""]
        if block.header:
            lines += [*_md_table(block.header, block.rows), ""]
        lines += [*(f"- {note}" for note in block.notes), ""] if block.notes else []
    lines += [edition.hash_line, ""]
    if signed := edition.signature_lines():
        lines += [f"## {text('signatures', edition.language)}", "", *(f"- {s}" for s in signed), ""]
    lines += [f"**{edition.marking}**", ""]
    return "\n".join(lines)


STYLE = """body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;
color:#1b1f24}table{border-collapse:collapse;width:100%;margin:.6rem 0 1.4rem}
th,td{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left}
th{background:#f6f8fa}.marking{font-weight:bold;text-align:center;border:1px solid #1b1f24;
padding:.2rem}img{max-width:100%}h2{margin-top:2rem}code{word-break:break-all}
@media print{body{margin:0}}"""


def report_html(analysis: JointAnalysis | Edition, charts: dict[str, bytes] | None = None) -> str:
    """Self-contained HTML: charts embedded as data URIs; the marking above and below."""
    edition = _edition(analysis)
    charts = charts or {}
    lang = "en" if edition.language == "both" else edition.language
    parts = [
        f'<p class="marking">{escape(edition.marking)}</p>',
        f"<h1>{escape(edition.title)}</h1>",
    ]
    for block in edition.blocks():
        parts.append(f"<h2>{escape(block.heading)}</h2>")
        if block.chart and block.chart in charts:
            data = base64.b64encode(charts[block.chart]).decode("ascii")
            parts.append(
                f'<p><img alt="{escape(block.heading)}" src="data:image/png;base64,{data}"></p>'
            )
        if block.header:
            head = "".join(f"<th>{escape(h)}</th>" for h in block.header)
            body = "".join(
                "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                for row in block.rows
            )
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        if block.notes:
            parts.append("<ul>" + "".join(f"<li>{escape(n)}</li>" for n in block.notes) + "</ul>")
    parts.append(f"<p><code>{escape(edition.hash_line)}</code></p>")
    if signed := edition.signature_lines():
        parts.append(f'<h2 id="signatures">{escape(text("signatures", edition.language))}</h2>')
        parts.append("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in signed) + "</ul>")
    parts.append(f'<p class="marking">{escape(edition.marking)}</p>')
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="author" content="{escape(edition.author)}">'
        f'<meta name="alianza-content-hash" content="{edition.content_hash}">'
        f"<title>{escape(edition.title)}</title>"
        f"<style>{STYLE}</style></head><body>{''.join(parts)}</body></html>\n"
    )


_NUMBER = re.compile(r"-?\d{1,3}(,\d{3})*(\.\d+)?")


def _number_or_text(cell: str) -> object:
    """A figure as a number (``1,234.5`` → 1234.5) so that a spreadsheet can sum it; marked
    figures (``12.5*``), percentages, ``—`` and labels stay text."""
    return float(cell.replace(",", "")) if _NUMBER.fullmatch(cell) else cell


def report_xlsx(analysis: JointAnalysis | Edition) -> bytes:
    from openpyxl import Workbook

    edition = _edition(analysis)
    workbook = Workbook()
    workbook.properties.title = edition.title
    workbook.properties.creator = edition.author
    workbook.properties.lastModifiedBy = edition.author
    workbook.properties.description = edition.hash_line
    workbook.properties.created = workbook.properties.modified = edition.created.replace(
        tzinfo=None
    )
    first = True
    for block in edition.blocks():
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        sheet.title = block.key[:31]
        sheet.oddHeader.center.text = edition.marking
        sheet.oddFooter.center.text = f"{text('page', edition.language)} &P / &N"
        sheet.oddFooter.right.text = edition.content_hash[:16]
        sheet.append(neutralised([f"{block.heading} — {edition.analysis.quarter}"]))
        if block.header:
            sheet.append(neutralised(block.header))
            for row in block.rows:
                sheet.append(neutralised([_number_or_text(cell) for cell in row]))
        for note in block.notes:
            sheet.append(neutralised([note]))
        sheet.append(neutralised([edition.marking]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_docx(analysis: JointAnalysis | Edition, charts: dict[str, bytes] | None = None) -> bytes:
    from alianza.analysis.word import edition_docx

    return edition_docx(_edition(analysis), charts or {})
