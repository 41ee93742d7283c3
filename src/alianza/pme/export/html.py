"""A self-contained, print-ready HTML document grouped by Alliance Point."""

from __future__ import annotations

from html import escape

from alianza.pme.document import Action, Paragraph, Report
from alianza.pme.export.labels import report_labels

STYLE = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.45; color: #1a1a1a; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; border-bottom: 2px solid #444; }
h3 { font-size: 1.1rem; margin-top: 2rem; }
.action-number { font-weight: bold; margin-right: .4rem; }
.columns { display: grid; grid-template-columns: 12rem 1fr; gap: .3rem 1rem; }
.columns > dt { font-weight: bold; font-family: sans-serif; font-size: .85rem;
                text-transform: uppercase; color: #444; }
.columns > dd { margin: 0; }
.columns ol { margin: 0; padding-left: 1.4rem; }
.sub { color: #555; font-style: italic; }
.empty { color: #888; }
@media print { body { margin: 0; max-width: none; } h3 { break-after: avoid; }
               section.action { break-inside: avoid-page; } }
"""


def _list(paragraphs: tuple[Paragraph, ...], address: str) -> str:
    if not paragraphs:
        return '<span class="empty">—</span>'
    items = "".join(
        f'<li id="{escape(address)}-{n}">{p.markup}</li>' for n, p in enumerate(paragraphs, 1)
    )
    return f"<ol>{items}</ol>"


def _action(action: Action, report: Report) -> str:
    labels = report_labels(report.language)
    anchor = f"action-{action.number}"
    parts = [
        f'<section class="action" id="{escape(anchor)}">',
        f'<h3><span class="action-number">{escape(action.number)}</span>'
        f"{' '.join(p.markup for p in action.text)}</h3>",
    ]
    if action.parent_number:
        parts.append(f'<p class="sub">{labels["sub_action_of"]} {action.parent_number}</p>')
    rows = [
        (
            f"{labels['Baseline']} ({labels['as_of'].lower()} {action.baseline.as_of})",
            _list(action.baseline.paragraphs, f"{action.number}-baseline"),
        ),
        (labels["Targets"], _list(action.targets, f"{action.number}-targets")),
        (labels["Measurements"], _list(action.measurements, f"{action.number}-measurements")),
    ]
    rows += [
        (
            f"{labels['Status']} ({labels['as_of'].lower()} {snapshot.as_of})",
            _list(snapshot.paragraphs, f"{action.number}-status-{snapshot.as_of}"),
        )
        for snapshot in reversed(action.status)
    ]
    parts.append('<dl class="columns">')
    parts += [f"<dt>{escape(name)}</dt><dd>{body}</dd>" for name, body in rows]
    parts.append("</dl></section>")
    return "\n".join(parts)


def report_html(report: Report, title: str) -> str:
    labels = report_labels(report.language)
    body = [f"<h1>{escape(title)}</h1>"]
    for point in report.alliance_points:
        body.append(
            f"<h2>{labels['alliance_point']} {escape(point.number)}: {escape(point.title)}</h2>"
        )
        body += [_action(action, report) for action in point.actions]
    return (
        f'<!DOCTYPE html>\n<html lang="{report.language.value}">\n<head>\n'
        f'<meta charset="utf-8">\n<meta name="viewport" content="width=device-width">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
