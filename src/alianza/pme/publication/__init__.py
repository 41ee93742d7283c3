"""Publication of a published reporting cycle in every format, in English and Spanish.

:func:`write_publication` writes, per language, the original TSV layout (re-importable),
Markdown, print-ready HTML, DOCX and XLSX, each with the scorecard (targets by schedule state
per Alliance Point) and the deadline timeline; the timeline chart as a PNG; and the frozen
publication JSON with its SHA-256.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from alianza.catalogue import declare
from alianza.pme.cycle_publish import edition_file
from alianza.pme.cycles import (
    LANGUAGES,
)
from alianza.pme.export.markdown import report_markdown
from alianza.pme.export.tsv import report_tsv
from alianza.pme.load import DEFAULT_PLAN
from alianza.pme.publication.chart import timeline_png
from alianza.pme.publication.content import Edition, build_edition
from alianza.pme.publication.excel import publication_xlsx
from alianza.pme.publication.print_html import publication_html
from alianza.pme.publication.tables import scorecard_rows, timeline_rows
from alianza.pme.publication.word import publication_docx

FORMATS = ("tsv", "md", "html", "docx", "xlsx", "png", "json")
UNKNOWN_FORMATS = declare(
    "pme.publication.unknown-formats",
    ("unknown format(s) {formats}; use {known}", "unknown format(s) {formats}; use {known}"),
)


@dataclass(frozen=True)
class Written:
    path: Path
    size: int


def _markdown_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(r) + " |" for r in rows]


def publication_markdown(edition: Edition) -> str:
    lines = [report_markdown(edition.report, edition.title).rstrip(), ""]
    if note := edition.untranslated_note():
        lines[1:1] = ["", f"*{note}*"]
    lines += [f"## {edition.text('scorecard')}", "", *_markdown_table(*scorecard_rows(edition))]
    lines += ["", f"## {edition.text('timeline')}", "", *_markdown_table(*timeline_rows(edition))]
    lines += ["", f"## {edition.text('authenticity')}", ""]
    lines += [f"- {line}" for line in edition.authenticity()]
    lines += [
        "",
        f"{edition.text('published')} {edition.published_at} · "
        f"{edition.text('hash')} `{edition.sha256}`",
    ]
    return "\n".join(lines) + "\n"


def write_publication(
    session: Session,
    cycle_key: str,
    folder: Path,
    *,
    languages: tuple[str, ...] = LANGUAGES,
    formats: tuple[str, ...] = FORMATS,
    plan_key: str = DEFAULT_PLAN,
) -> list[Written]:
    """Render published cycle ``cycle_key`` into ``folder``; returns the files written."""
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(
            UNKNOWN_FORMATS.said(n=len(unknown), formats=sorted(unknown), known=", ".join(FORMATS))
        )
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Written] = []

    def put(name: str, data: bytes) -> None:
        path = folder / name
        path.write_bytes(data)
        written.append(Written(path, len(data)))

    if "json" in formats:
        document = edition_file(session, cycle_key, plan_key)
        put(f"{cycle_key}.json", json.dumps(document, ensure_ascii=False, indent=2).encode())
    for language in languages:
        edition = build_edition(session, cycle_key, language, plan_key)
        stem = f"{cycle_key}-{language}"
        chart = timeline_png(edition) if {"png", "html", "docx"} & set(formats) else None
        if "tsv" in formats:
            put(f"{stem}.tsv", report_tsv(edition.report).encode())
        if "md" in formats:
            put(f"{stem}.md", publication_markdown(edition).encode())
        if "html" in formats:
            put(f"{stem}.html", publication_html(edition, chart).encode())
        if "docx" in formats:
            put(f"{stem}.docx", publication_docx(edition, chart))
        if "xlsx" in formats:
            put(f"{stem}.xlsx", publication_xlsx(edition))
        if "png" in formats and chart is not None:
            put(f"{stem}-timeline.png", chart)
    return written


__all__ = ["FORMATS", "Written", "build_edition", "write_publication"]
