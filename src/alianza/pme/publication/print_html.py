"""Print-ready HTML of a published cycle: the source's five-column table, landscape pages,
the scorecard and the deadline timeline (embedded PNG), one self-contained file."""

from __future__ import annotations

import base64
from html import escape

from alianza.pme.dates import format_as_of
from alianza.pme.document import Action, Paragraph
from alianza.pme.export.labels import report_labels
from alianza.pme.publication.content import Edition
from alianza.pme.publication.tables import scorecard_rows, timeline_rows
from alianza.pme.references import Reference, find_references

STYLE = """
@page { size: A4 landscape; margin: 14mm 12mm; }
body { font-family: 'Times New Roman', Georgia, serif; font-size: 10pt; color: #111;
       margin: 0 auto; max-width: 277mm; }
h1 { font-size: 15pt; margin: 0 0 2mm; } .label { font-size: 12pt; margin: 0 0 4mm; }
h2 { font-size: 12pt; margin: 6mm 0 2mm; }
table { border-collapse: collapse; width: 99.5%; table-layout: fixed; }
th, td { border: 0.6pt solid #333; padding: 1.5mm 2mm; vertical-align: top; text-align: left;
         box-sizing: border-box; overflow-wrap: break-word; }
th { background: #e8e8e8; font-family: Arial, sans-serif; font-size: 8.5pt; }
table.report td { width: 20%; } table.report p { margin: 0 0 1.6mm; }
thead { display: table-header-group; } h2 { break-after: avoid; }
table.score td, table.score th { text-align: center; }
table.score td:first-child { text-align: left; }
.note { font-style: italic; color: #555; } a { color: #1a4f8b; }
.unresolved { text-decoration: underline dotted #b03a2e; } .empty { color: #888; }
img.timeline { width: 100%; max-width: 250mm; max-height: 150mm; object-fit: contain; }
footer { margin-top: 6mm; font-size: 8pt; color: #555; }
@media screen { body { padding: 1rem; } }
@media print { body { max-width: none; } }
"""


Links = dict[str, list[Reference]]  # paragraph address → references written in it


def _anchor(address: str) -> str:
    return "p-" + address.replace("/", "-")


def _linked(markup: str, references: list[Reference], language: str) -> str:
    """Turn each reference written in the paragraph into a link, or mark it unresolved."""
    for ref in references:
        written = escape(ref.text, quote=False)
        if ref.resolved:
            target = _anchor(ref.target) if ref.paragraph is not None else f"action-{ref.action}"
            html = f'<a href="#{escape(target)}">{written}</a>'
        else:
            html = f'<span class="unresolved" title="{escape(ref.message(language) or "")}">'
            html += f"{written}</span>"
        markup = markup.replace(written, html, 1)
    return markup


def _cell(
    paragraphs: tuple[Paragraph, ...],
    address: str,
    links: Links,
    language: str,
    empty: str = "—",
) -> str:
    if not paragraphs:
        return f'<span class="empty">{escape(empty)}</span>'
    return "".join(
        f'<p id="{escape(_anchor(f"{address}/{n}"))}">'
        f"{_linked(p.markup, links.get(f'{address}/{n}', []), language)}</p>"
        for n, p in enumerate(paragraphs, start=1)
    )


def _row(action: Action, edition: Edition, links: Links) -> str:
    n, lang = action.number, edition.language
    text = f"<p><b>{escape(n)}</b> " + (
        action.text[0].markup + "</p>" + _cell(action.text[1:], f"{n}/action", {}, lang, "")
        if action.text
        else "</p>"
    )
    status = action.latest_status()
    status_cell = _cell(
        status.paragraphs if status else (), f"{n}/status", links, lang, edition.text("no_status")
    )
    return (
        f'<tr id="action-{escape(n)}"><td>{text}</td>'
        f"<td>{_cell(action.baseline.paragraphs, f'{n}/baseline', links, lang)}</td>"
        f"<td>{_cell(action.targets, f'{n}/targets', links, lang)}</td>"
        f"<td>{_cell(action.measurements, f'{n}/measurements', links, lang)}</td>"
        f"<td>{status_cell}</td></tr>"
    )


def _table(header: list[str], rows: list[list[str]], css: str) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def publication_html(edition: Edition, timeline_png: bytes | None) -> str:
    labels = report_labels(edition.report.language)
    lang = edition.language
    links: Links = {}
    for ref in find_references(edition.report):
        links.setdefault(ref.source, []).append(ref)
    parts = [f"<h1>{escape(edition.title)}</h1>"]
    if note := edition.untranslated_note():
        parts.append(f'<p class="note">{escape(note)}</p>')
    for point in edition.report.alliance_points:
        baseline_as_of = point.actions[0].baseline.as_of if point.actions else edition.as_of
        header = [
            labels["action"],
            f"{labels['baseline']} {labels['as_of']} {format_as_of(baseline_as_of, lang)}",
            labels["targets"],
            labels["measurements"],
            f"{labels['status']} {labels['as_of']} {format_as_of(edition.as_of, lang)}",
        ]
        parts.append(
            f"<h2>{escape(labels['alliance_point'])} {escape(point.number)}: "
            f"{escape(point.title)}</h2>"
        )
        head = "".join(f"<th>{escape(h)}</th>" for h in header)
        rows = "".join(_row(a, edition, links) for a in point.actions)
        parts.append(
            f'<table class="report"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
        )
    parts.append(f"<h2>{escape(edition.text('scorecard'))}</h2>")
    parts.append(_table(*scorecard_rows(edition), "score"))
    parts.append(f"<h2>{escape(edition.text('timeline'))}</h2>")
    if timeline_png:
        encoded = base64.b64encode(timeline_png).decode("ascii")
        parts.append(
            f'<img class="timeline" alt="{escape(edition.text("timeline"))}" '
            f'src="data:image/png;base64,{encoded}">'
        )
    parts.append(_table(*timeline_rows(edition), "score"))
    parts.append(f"<h2>{escape(edition.text('authenticity'))}</h2>")
    parts.append(
        '<ul class="authenticity">'
        + "".join(f"<li>{escape(line)}</li>" for line in edition.authenticity())
        + "</ul>"
    )
    parts.append(
        f"<footer>{escape(edition.text('published'))} {escape(edition.published_at)} · "
        f"{escape(edition.text('hash'))} {escape(edition.sha256)}</footer>"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(edition.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(parts)
        + "\n</body>\n</html>\n"
    )
