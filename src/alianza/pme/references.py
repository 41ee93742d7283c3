"""Cross-references written in the text ("See 10.2. Status para 5", "(See Alliance Point 4)").

:func:`find_references` reads every paragraph of a report (action text, baseline, targets,
measurements, each status snapshot) and returns each reference it finds with where it points:
an Alliance Point, an action, a column and, when the text names one, a paragraph. A reference
without a column points at the same column of the other action ("See 10.4." in a baseline
means 10.4's baseline). References that point at nothing loaded are kept, with the reason
(:data:`REASONS`), never dropped.

Forms read: ``See 10.2.``, ``See also 10.2.``, ``See 10. 4.`` (stray space), ``See 10.2.
Status Para 5`` (any case), ``(See Alliance Point 4)``, ``(See Alliance Points 4 and 11)``,
``(See Alliance Point 14.4)``; Spanish ``Ver 10.2.``, ``Véase 10.2``, ``Véase también 10.2``,
``Ver 10.2. Estado párrafo 5``, ``Ver 10.2. Estado párr. 2``, ``(Ver Punto de Alianza 11)``,
``(Ver Puntos de la Alianza 4 y 11)``.

A reference written in a status snapshot resolves against the status the other action had on
that snapshot's date; when that is not the other action's latest status, the reference points
at it with its date (``10.2/status@1999-08-31/5``), an address ``pme show`` reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from alianza.catalogue import Text, declare
from alianza.pme.deadlines import fold
from alianza.pme.document import Action, Column, Language, Paragraph, Report
from alianza.pme.load import DEFAULT_PLAN
from alianza.pme.query import NothingInLanguage, load_plan_report

# Stable reason codes of unresolved references, with their messages (keys
# ``pme.reference.<code>``; the Spanish is in the message catalogue).
REASONS: dict[str, Text] = {
    code: declare(f"pme.reference.{code}", english)
    for code, english in (
        ("alliance-point-not-loaded", "Alliance Point {point} is not loaded in this plan"),
        ("action-not-loaded", "action {action} is not loaded in this plan"),
        (
            "action-not-in-language",
            "action {action} has no {language} text yet (it is loaded in the other language)",
        ),
        ("paragraph-not-found", "{column} of {action} has {count} paragraph(s), not {position}"),
    )
}
# The language a report is written in, as a reason names it.
LANGUAGE_NAMES = {
    Language.EN: declare("pme.reference.language.en", "English"),
    Language.ES: declare("pme.reference.language.es", "Spanish"),
}

_SEE = r"(?:see(?:\s+also)?|ver(?:\s+tambien)?|vease(?:\s+tambien)?)"
_POINT_NUMBER = r"\d+(?:\.\s?\d+)*"
_POINT_REF = re.compile(
    rf"\b{_SEE}\s+(?:alliance\s+points?|puntos?\s+de\s+(?:la\s+)?alianza)\s+"
    rf"(?P<numbers>{_POINT_NUMBER}(?:\s*(?:,|&|\band\b|\by\b)\s*{_POINT_NUMBER})*)"
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
    rf"(?:,?\s+{_COLUMN}(?:,?\s+(?:paragraph|parrafo|parr|para|par|p)\.?\s*(?P<paragraph>\d+))?)?"
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
    status_as_of: date | None = None  # an earlier status snapshot of the action pointed at
    language: str = "en"  # of the text the reference is written in

    @property
    def target(self) -> str:
        if self.action is None:
            return f"alliance-point/{self.alliance_point}"
        if self.column is None:
            return self.action
        at = f"@{self.status_as_of.isoformat()}" if self.status_as_of else ""
        if self.paragraph is None:
            return f"{self.action}/{self.column.value}{at}"
        return f"{self.action}/{self.column.value}{at}/{self.paragraph}"

    def message(self, language: str = "en") -> str | None:
        if self.reason is None:
            return None
        return REASONS[self.reason](language, **dict(self.detail))

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.source,
            "to": self.target,
            "language": self.language,
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


def _names(report: Report) -> dict[str, str]:
    """The report's language, said in the language of the reason (a :class:`Said`)."""
    return {"language": LANGUAGE_NAMES[report.language].said()}


def _resolve_action(
    report: Report,
    cell: _Cell,
    source: str,
    text: str,
    match: re.Match[str],
    elsewhere: frozenset[str] = frozenset(),
) -> Reference:
    number = _number(match["number"])
    point = number.split(".")[0]
    column = _COLUMN_WORDS[re.sub(r"\s+", " ", match["column"])] if match["column"] else cell.column
    paragraph = int(match["paragraph"]) if match["paragraph"] else None
    base = Reference(
        source, text, point, number, column, paragraph, True, language=report.language.value
    )
    if not any(p.number == point for p in report.alliance_points):
        return _unresolved(base, "alliance-point-not-loaded", point=point)
    target = report.action(number)
    if target is None and number in elsewhere:
        return _unresolved(base, "action-not-in-language", action=number, **_names(report))
    if target is None:
        return _unresolved(base, "action-not-loaded", action=number)
    if column is Column.STATUS and cell.as_of is not None:
        earlier = [s for s in target.status if s.as_of <= cell.as_of]
        if earlier and earlier[-1] is not target.status[-1]:
            base = replace(base, status_as_of=earlier[-1].as_of)
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


def _resolve_points(
    report: Report, source: str, text: str, match: re.Match[str]
) -> list[Reference]:
    """One reference per Alliance Point named ("Alliance Points 4 and 11": two)."""
    references = []
    for written in re.findall(_POINT_NUMBER, match["numbers"]):
        number = _number(written)
        point = number.split(".")[0]
        action = number if "." in number else None
        base = Reference(
            source, text, point, action, None, None, True, language=report.language.value
        )
        if not any(p.number == point for p in report.alliance_points):
            base = _unresolved(base, "alliance-point-not-loaded", point=point)
        elif action is not None and report.action(action) is None:
            base = _unresolved(base, "action-not-loaded", action=action)
        references.append(base)
    return references


def paragraph_references(
    report: Report,
    cell: _Cell,
    position: int,
    text: str,
    elsewhere: frozenset[str] = frozenset(),
) -> list[Reference]:
    folded = fold(text)
    source = _source(cell, position)
    found: list[tuple[int, Reference]] = []
    taken: list[range] = []
    for match in _POINT_REF.finditer(folded):
        written = text[match.start() : match.end()]
        for reference in _resolve_points(report, source, written, match):
            found.append((match.start(), reference))
        taken.append(range(match.start(), match.end()))
    for match in _ACTION_REF.finditer(folded):
        if any(match.start() in span for span in taken):
            continue
        written = text[match.start() : match.end()].rstrip()
        reference = _resolve_action(report, cell, source, written, match, elsewhere)
        found.append((match.start(), reference))
    return [reference for _, reference in sorted(found, key=lambda f: f[0])]


def find_references(report: Report, elsewhere: frozenset[str] = frozenset()) -> list[Reference]:
    """Every reference in the report, in reading order. ``elsewhere``: the actions loaded in
    the plan's other language (a reference to one of them is told apart from a missing one)."""
    references: list[Reference] = []
    for action in report.actions():
        for cell in _cells(action):
            for position, paragraph in enumerate(cell.paragraphs, start=1):
                references += paragraph_references(
                    report, cell, position, paragraph.text, elsewhere
                )
    return references


def references_by_action(report: Report) -> dict[str, list[Reference]]:
    grouped: dict[str, list[Reference]] = {a.number: [] for a in report.actions()}
    for reference in find_references(report):
        grouped[reference.source.split("/")[0]].append(reference)
    return grouped


def plan_references(session: Session, plan_key: str = DEFAULT_PLAN) -> list[Reference]:
    """The references of the plan's text in every language it holds (English, then Spanish),
    each resolved within its own language's text."""
    reports = []
    for language in Language:
        try:
            reports.append(load_plan_report(session, plan_key, language))
        except NothingInLanguage:
            continue
    numbers = frozenset(a.number for report in reports for a in report.actions())
    references: list[Reference] = []
    for report in reports:
        references += find_references(report, numbers)
    return references
