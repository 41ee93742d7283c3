"""The plan's own text frozen into a publication, and read back as a Report per language.

A publication must show the plan as it was when published, whatever is imported later: its
action, baseline, target and measurement paragraphs (as normalized markup) are frozen per
language held. Reading a language back takes each action in that language where it was held,
else in English, and says which actions are shown in English.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from alianza.pme.document import Action, AlliancePoint, Language, Paragraph, Report, Snapshot
from alianza.pme.query import NothingInLanguage, load_plan_report


def _freeze(report: Report) -> list[dict[str, Any]]:
    return [
        {
            "number": point.number,
            "title": point.title,
            "actions": [
                {
                    "number": a.number,
                    "text": [p.markup for p in a.text],
                    "baseline": {
                        "as_of": a.baseline.as_of.isoformat(),
                        "paragraphs": [p.markup for p in a.baseline.paragraphs],
                    },
                    "targets": [p.markup for p in a.targets],
                    "measurements": [p.markup for p in a.measurements],
                }
                for a in point.actions
            ],
        }
        for point in report.alliance_points
    ]


def freeze_plan_text(session: Session, plan_key: str) -> dict[str, Any]:
    """The plan's current text in every language held: ``{"en": [...], "es": [...] | None}``."""
    frozen: dict[str, Any] = {}
    for language in Language:
        try:
            frozen[language.value] = _freeze(load_plan_report(session, plan_key, language))
        except NothingInLanguage:
            frozen[language.value] = None
    return frozen


def _paragraphs(markups: list[str]) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(m) for m in markups)


def _thaw(language: Language, points: list[dict[str, Any]]) -> Report:
    return Report(
        language,
        tuple(
            AlliancePoint(
                point["number"],
                point["title"],
                tuple(
                    Action(
                        number=a["number"],
                        text=_paragraphs(a["text"]),
                        baseline=Snapshot(
                            date.fromisoformat(a["baseline"]["as_of"]),
                            _paragraphs(a["baseline"]["paragraphs"]),
                        ),
                        targets=_paragraphs(a["targets"]),
                        measurements=_paragraphs(a["measurements"]),
                        status=(),
                    )
                    for a in point["actions"]
                ),
            )
            for point in points
        ),
    )


def thaw_plan_text(frozen: dict[str, Any], language: str) -> tuple[Report, tuple[str, ...]]:
    """The frozen plan in ``language``, action by action where held, else English; and the
    actions shown in English."""
    english = _thaw(Language.EN, frozen["en"] or [])
    if language == "en" or frozen.get(language) is None:
        untranslated = () if language == "en" else tuple(a.number for a in english.actions())
        return replace(english, language=Language(language)), untranslated
    translated = _thaw(Language(language), frozen[language])
    points = []
    missing = []
    for point in english.alliance_points:
        other = next((p for p in translated.alliance_points if p.number == point.number), None)
        actions = []
        for action in point.actions:
            found = translated.action(action.number)
            if found is None:
                missing.append(action.number)
            actions.append(found or action)
        title = other.title if other and other.title else point.title
        points.append(replace(point, title=title, actions=tuple(actions)))
    return Report(Language(language), tuple(points)), tuple(missing)
