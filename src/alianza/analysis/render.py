"""The joint analysis as a bilingual document: Markdown, HTML (charts embedded), CSV, XLSX and
DOCX (what officials circulate)."""

from __future__ import annotations

import base64
import io
from html import escape

from alianza.analysis.joint import COUNTRIES, JointAnalysis
from alianza.analysis.labels import COUNTRY, HEADINGS, both
from alianza.analysis.tables import Section, figures_cells, sections, units_text
from alianza.cells import SafeCsvWriter, neutralised

CHART_TITLES = {
    "totals": "totals",
    "trend": "trend",
    "transport": "transport",
}


def _header(section: Section) -> list[str]:
    columns = [both(c) for c in section.columns]
    for country in COUNTRIES:
        columns += [f"{country} {both('seizures')}", f"{country} kg", f"{country} {both('units')}"]
    return columns


def _transport_lines(analysis: JointAnalysis) -> list[str]:
    lines = []
    for mode, count, drugs in analysis.top_transport_modes():
        carried = ", ".join(f"{drug.title()} ({n:,.0f})" for drug, n in drugs[:4])
        lines.append(f"{mode.replace('_', ' ').title()}: {count:,.0f} — {carried}")
    return lines


def _availability(analysis: JointAnalysis) -> list[str]:
    lines = []
    for country in COUNTRIES:
        en, es = COUNTRY[country]
        state = "✓" if analysis.available.get(country) else HEADINGS["missing"][0]
        lines.append(f"{en} / {es}: {state}")
    return lines


def report_markdown(analysis: JointAnalysis, charts: dict[str, str] | None = None) -> str:
    """Markdown; ``charts`` maps chart names to image paths to link."""
    lines = [f"# {both('title')}", "", f"**{both('quarter')}: {analysis.quarter}**", ""]
    lines += [f"- {line}" for line in _availability(analysis)] + [""]
    charts = charts or {}
    for section in sections(analysis):
        lines += [f"## {both(section.key)}", ""]
        if section.key in charts:
            lines += [f"![{both(section.key)}]({charts[section.key]})", ""]
        header = _header(section)
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for labels, by_country in section.rows:
            lines.append("| " + " | ".join([*labels, *figures_cells(by_country)]) + " |")
        lines.append("")
        if section.key == "transport":
            lines += [f"- {line}" for line in _transport_lines(analysis)] + [""]
    lines += [f"## {both('trend')}", ""]
    if "trend" in charts:
        lines += [f"![{both('trend')}]({charts['trend']})", ""]
    lines += ["| " + both("quarter") + " | US kg | MX kg |", "|---|---|---|"]
    for quarter, per_country in analysis.trend.items():
        cells = []
        for country in COUNTRIES:
            kg = [f.kg for f in per_country.get(country, {}).values() if f.kg is not None]
            cells.append(f"{sum(kg):,.1f}" if kg else "—")
        lines.append(f"| {quarter} | {' | '.join(cells)} |")
    lines += ["", f"## {both('notes')}", ""]
    lines += [f"- {HEADINGS['note_counts'][0]}", f"- {HEADINGS['note_counts'][1]}"]
    lines += [f"- {HEADINGS['note_unknown'][0]}", f"- {HEADINGS['note_unknown'][1]}"]
    lines += [f"- {HEADINGS['note_units'][0]}", f"- {HEADINGS['note_units'][1]}", ""]
    return "\n".join(lines)


STYLE = """body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;
color:#1b1f24}table{border-collapse:collapse;width:100%;margin:.6rem 0 1.4rem}
th,td{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f6f8fa}
img{max-width:100%}h2{margin-top:2rem}@media print{body{margin:0}}"""


def report_html(analysis: JointAnalysis, charts: dict[str, bytes] | None = None) -> str:
    """Self-contained HTML: charts embedded as data URIs."""
    charts = charts or {}

    def image(name: str) -> str:
        if name not in charts:
            return ""
        data = base64.b64encode(charts[name]).decode("ascii")
        return f'<p><img alt="{escape(both(name))}" src="data:image/png;base64,{data}"></p>'

    parts = [
        f"<h1>{escape(both('title'))}</h1>",
        f"<p><strong>{escape(both('quarter'))}: {escape(analysis.quarter)}</strong></p>",
        "<ul>" + "".join(f"<li>{escape(x)}</li>" for x in _availability(analysis)) + "</ul>",
    ]
    for section in sections(analysis):
        parts.append(f"<h2>{escape(both(section.key))}</h2>{image(section.key)}")
        head = "".join(f"<th>{escape(h)}</th>" for h in _header(section))
        body = []
        for labels, by_country in section.rows:
            cells = "".join(f"<td>{escape(label)}</td>" for label in labels)
            cells += "".join(f'<td class="n">{escape(c)}</td>' for c in figures_cells(by_country))
            body.append(f"<tr>{cells}</tr>")
        parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
        if section.key == "transport":
            parts.append(
                "<ul>"
                + "".join(f"<li>{escape(x)}</li>" for x in _transport_lines(analysis))
                + "</ul>"
            )
    parts.append(f"<h2>{escape(both('trend'))}</h2>{image('trend')}")
    parts.append(
        "<h2>"
        + escape(both("notes"))
        + "</h2><ul>"
        + "".join(
            f"<li>{escape(text)}</li>"
            for key in ("note_counts", "note_unknown", "note_units")
            for text in HEADINGS[key]
        )
        + "</ul>"
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(both('title'))} {escape(analysis.quarter)}</title>"
        f"<style>{STYLE}</style></head><body>{''.join(parts)}</body></html>\n"
    )


def report_csv(analysis: JointAnalysis) -> str:
    """Long format: section, labels, country, seizures, kg (empty kg = not reported),
    kg_status (``D``: leaves out records without a mass), units (``TABLET=15000;...``)."""
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer, lineterminator="\n")
    writer.writerow(
        ["quarter", "section", "label_1", "label_2", "country", "seizures", "kg", "kg_status",
         "units"]
    )  # fmt: skip
    for section in sections(analysis):
        for labels, by_country in section.rows:
            padded = [*labels, ""][:2]
            for country, figures in sorted(by_country.items()):
                kg = "" if figures.kg is None else repr(figures.kg)
                status = "M" if figures.kg is None else ("D" if figures.kg_partial else "A")
                units = ";".join(f"{u}={n:.0f}" for u, n in sorted(figures.units.items()))
                writer.writerow(
                    [analysis.quarter, section.key, *padded, country, f"{figures.seizures:.0f}",
                     kg, status, units]
                )  # fmt: skip
    return buffer.getvalue()


def report_xlsx(analysis: JointAnalysis) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    first = True
    for section in sections(analysis):
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        sheet.title = section.key
        sheet.append([f"{both(section.key)} — {analysis.quarter}"])
        sheet.append(neutralised(_header(section)))
        for labels, by_country in section.rows:
            values: list[object] = list(labels)
            for country in COUNTRIES:
                figures = by_country.get(country)
                values += [
                    figures.seizures if figures else None,
                    figures.kg if figures else None,
                    units_text(figures.units) if figures else None,
                ]
            sheet.append(neutralised(values))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_docx(analysis: JointAnalysis, charts: dict[str, bytes] | None = None) -> bytes:
    from docx import Document
    from docx.shared import Cm

    charts = charts or {}
    document = Document()
    document.add_heading(both("title"), level=0)
    document.add_paragraph(f"{both('quarter')}: {analysis.quarter}")
    for line in _availability(analysis):
        document.add_paragraph(line, style="List Bullet")
    for section in sections(analysis):
        document.add_heading(both(section.key), level=1)
        if section.key in charts:
            document.add_picture(io.BytesIO(charts[section.key]), width=Cm(16))
        header = _header(section)
        table = document.add_table(rows=1, cols=len(header))
        table.style = "Light Grid Accent 1"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = text
        for labels, by_country in section.rows:
            row = table.add_row().cells
            for cell, text in zip(row, [*labels, *figures_cells(by_country)], strict=True):
                cell.text = text
        if section.key == "transport":
            for line in _transport_lines(analysis):
                document.add_paragraph(line, style="List Bullet")
    document.add_heading(both("trend"), level=1)
    if "trend" in charts:
        document.add_picture(io.BytesIO(charts["trend"]), width=Cm(16))
    document.add_heading(both("notes"), level=1)
    for key in ("note_counts", "note_unknown", "note_units"):
        for text in HEADINGS[key]:
            document.add_paragraph(text, style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
