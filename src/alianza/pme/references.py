"""Cross-references written in the text ("See 10.2. Status para 5", "(See Alliance Point 4)").

:func:`find_references` reads every paragraph of a report (action text, baseline, targets,
measurements, each status snapshot) and returns each reference it finds with where it points:
an Alliance Point, an action, a column and, when the text names one, a paragraph. A reference
without a column points at the same column of the other action ("See 10.4." in a baseline
means 10.4's baseline). References that point at nothing loaded are kept, with the reason
(:data:`REASONS`), never dropped.

Forms read: ``See 10.2.``, ``See 10. 4.`` (stray space), ``See 10.2. Status Para 5`` (any
case), ``(See Alliance Point 4)``, ``(See Alliance Point 14.4)``; Spanish ``Ver 10.2.``,
``Véase 10.2``, ``Ver 10.2. Estado párrafo 5``, ``(Ver Punto de Alianza 11)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from alianza.pme.deadlines import fold
from alianza.pme.document import Action, Column, Paragraph, Report

# Stable reason codes of unresolved references, with English and Spanish messages.
REASONS: dict[str, tuple[str, str]] = {
    "alliance-point-not-loaded": (
        "Alliance Point {point} is not loaded in this plan",
        "El Punto de Alianza {point} no está cargado en este plan",
    ),
    "action-not-loaded": (
        "action {action} is not loaded in this plan",
        "la acción {action} no está cargada en este plan",
    ),
    "paragraph-not-found": (
        "{column} of {action} has {count} paragraph(s), not {position}",
        "{column} de {action} tiene {count} párrafo(s), no {position}",
    ),
}

_SEE = r"(?:see|ver|vease)"
_POINT_REF = re.compile(
    rf"\b{_SEE}\s+(?:alliance\s+point|punto\s+de\s+alianza)\s+(?P<number>\d+(?:\.\s?\d+)*)"
)
_COLUMN_WORDS = {
    "status": Column.STATUS, "estado": Column.STATUS, "baseline": Column.BASELINE,
    "linea base": Column.BASELINE, "target": Column.TARGETS, "targets": Column.TARGETS,
    "meta": Column.TARGETS, "metas": Column.TARGETS, "measurement": Column.MEASUREMENTS,
    "measurements": Column.MEASUREMENTS, "medicion": Column.MEASUREMENTS,
    "mediciones": Column.MEASUREMENTS, "action": Column.ACTION, "accion": Column.ACTION,
}  # fmt: skip
_COLUMN = "(?P<column>" + "|".join(sorted(_COLUMN_WORDS, key=len, reverse=True)) + ")"
_ACTION_REF = re.compile(
    rf"\b{_SEE}\s+(?P<number>\d+(?:\.\s?\d+)+)\.?"
    rf"(?:,?\s+{_COLUMN}(?:,?\s+(?:para|paragraph|parrafo|par|p)\.?\s*(?P<paragraph>\d+))?)?"
    r"(?![\d])"
)


@dataclass(frozen=True)
class Reference:
    """One reference: where it is written, what it says, where it points, and if it resolves."""

    source: str  # paragraph address, "10.4.1/status/1"
    text: str  # as written, "See 10.2. Status para 5"
    alliance_point: str
    action: str | None  # "10.2"; None for a reference to a whole Alliance Point
    column: Column | None
    paragraph: int | None
    resolved: bool
    reason: str | None = None  # a key of REASONS when not resolved
    detail: tuple[tuple[str, str], ...] = ()

    @property
    def target(self) -> str:
        if self.action is None:
            return f"alliance-point/{self.alliance_point}"
        if self.column is None:
            return self.action
        if self.paragraph is None:
            return f"{self.action}/{self.column.value}"
        return f"{self.action}/{self.column.value}/{self.paragraph}"

    def message(self, language: str = "en") -> str | None:
        if self.reason is None:
            return None
        template = REASONS[self.reason][1 if language == "es" else 0]
        return template.format(**dict(self.detail))

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.source,
            "to": self.target,
            "resolved": self.resolved,
            "text": self.text,
            "reason": self.reason,
            "message": self.message("en"),
            "message_es": self.message("es"),
        }


@dataclass(frozen=True)
class _Cell:
    action: Action
    column: Column
    as_of: date | None  # status snapshots: their date
    latest: bool
    paragraphs: tuple[Paragraph, ...]


def _cells(action: Action) -> list[_Cell]:
    cells = [
        _Cell(action, Column.ACTION, None, True, action.text),
        _Cell(action, Column.BASELINE, None, True, action.baseline.paragraphs),
        _Cell(action, Column.TARGETS, None, True, action.targets),
        _Cell(action, Column.MEASUREMENTS, None, True, action.measurements),
    ]
    for index, snapshot in enumerate(action.status):
        latest = index == len(action.status) - 1
        cells.append(_Cell(action, Column.STATUS, snapshot.as_of, latest, snapshot.paragraphs))
    return cells


def _source(cell: _Cell, position: int) -> str:
    at = f"@{cell.as_of.isoformat()}" if cell.as_of and not cell.latest else ""
    return f"{cell.action.number}/{cell.column.value}{at}/{position}"


def _number(text: str) -> str:
    return re.sub(r"\s+", "", text).rstrip(".")


def _column_paragraphs(action: Action, column: Column, as_of: date | None) -> tuple[Paragraph, ...]:
    if column is Column.STATUS:
        snapshots = [s for s in action.status if as_of is None or s.as_of <= as_of]
        return snapshots[-1].paragraphs if snapshots else ()
    return {
        Column.ACTION: action.text,
        Column.BASELINE: action.baseline.paragraphs,
        Column.TARGETS: action.targets,
        Column.MEASUREMENTS: action.measurements,
    }[column]


def _unresolved(base: Reference, reason: str, **detail: str) -> Reference:
    return replace(base, resolved=False, reason=reason, detail=tuple(detail.items()))


def _resolve_action(
    report: Report, cell: _Cell, source: str, text: str, match: re.Match[str]
) -> Reference:
    number = _number(match["number"])
    point = number.split(".")[0]
    column = _COLUMN_WORDS[re.sub(r"\s+", " ", match["column"])] if match["column"] else cell.column
    paragraph = int(match["paragraph"]) if match["paragraph"] else None
    base = Reference(source, text, point, number, column, paragraph, resolved=True)
    if not any(p.number == point for p in report.alliance_points):
        return _unresolved(base, "alliance-point-not-loaded", point=point)
    target = report.action(number)
    if target is None:
        return _unresolved(base, "action-not-loaded", action=number)
    if paragraph is not None:
        count = len(_column_paragraphs(target, column, cell.as_of))
        if not 1 <= paragraph <= count:
            return _unresolved(
                base,
                "paragraph-not-found",
                column=column.value,
                action=number,
                count=str(count),
                position=str(paragraph),
            )
    return base


def _resolve_point(report: Report, source: str, text: str, match: re.Match[str]) -> Reference:
    number = _number(match["number"])
    point = number.split(".")[0]
    action = number if "." in number else None
    base = Reference(source, text, point, action, None, None, resolved=True)
    if not any(p.number == point for p in report.alliance_points):
        return _unresolved(base, "alliance-point-not-loaded", point=point)
    if action is not None and report.action(action) is None:
        return _unresolved(base, "action-not-loaded", action=action)
    return base


def paragraph_references(report: Report, cell: _Cell, position: int, text: str) -> list[Reference]:
    folded = fold(text)
    source = _source(cell, position)
    found: list[tuple[int, Reference]] = []
    taken: list[range] = []
    for match in _POINT_REF.finditer(folded):
        written = text[match.start() : match.end()]
        found.append((match.start(), _resolve_point(report, source, written, match)))
        taken.append(range(match.start(), match.end()))
    for match in _ACTION_REF.finditer(folded):
        if any(match.start() in span for span in taken):
            continue
        written = text[match.start() : match.end()].rstrip()
        found.append((match.start(), _resolve_action(report, cell, source, written, match)))
    return [reference for _, reference in sorted(found, key=lambda f: f[0])]


def find_references(report: Report) -> list[Reference]:
    """Every reference in the report, in reading order."""
    references: list[Reference] = []
    for action in report.actions():
        for cell in _cells(action):
            for position, paragraph in enumerate(cell.paragraphs, start=1):
                references += paragraph_references(report, cell, position, paragraph.text)
    return references


def references_by_action(report: Report) -> dict[str, list[Reference]]:
    grouped: dict[str, list[Reference]] = {a.number: [] for a in report.actions()}
    for reference in find_references(report):
        grouped[reference.source.split("/")[0]].append(reference)
    return grouped
