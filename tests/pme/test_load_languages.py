"""A language's text is never filled from another language, and a placeholder never hides an
earlier status (issue 17, item 4): re-importing a Spanish edition that shows English text
(marked or copied) and empty status stores nothing of it as Spanish. SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.pme.document import Language, Paragraph, Report, Snapshot
from alianza.pme.export import report_tsv
from alianza.pme.load import DEFAULT_PLAN
from alianza.pme.query import NothingInLanguage, load_plan_report
from alianza.pme.service import import_report_bytes

LATER = date(2000, 2, 29)


def spanish_edition_of_english_text(report: Report, status: str) -> bytes:
    """What a Spanish edition looks like when nothing was translated: the English plan text
    under Spanish headers, and a later status that is ``status`` in every action."""
    points = tuple(
        replace(
            point,
            actions=tuple(
                replace(a, status=(Snapshot(LATER, (Paragraph(status),) if status else ()),))
                for a in point.actions
            ),
        )
        for point in report.alliance_points
    )
    return report_tsv(Report(Language.ES, points)).encode()


@pytest.mark.parametrize("status", ["—", "", "Estados Unidos: [EN] Meetings continue."])
def test_import_spanish_edition_of_english_text_stores_no_spanish_and_hides_nothing(
    seeded_db: Database, status: str
) -> None:
    with seeded_db.reader() as session:
        english = load_plan_report(session, DEFAULT_PLAN, Language.EN)
    result = import_report_bytes(
        seeded_db,
        spanish_edition_of_english_text(english, status),
        "edicion-es.tsv",
        actor=NodeSelf("test"),
    )
    assert any("same text as the en one" in note for note in result.summary.notes)
    with seeded_db.reader() as session:
        with pytest.raises(NothingInLanguage):
            load_plan_report(session, DEFAULT_PLAN, Language.ES)
        after = load_plan_report(session, DEFAULT_PLAN, Language.EN)
    for action in after.actions():
        latest = action.latest_status()
        assert latest is not None
        assert latest.as_of == date(1999, 8, 31)  # the seed's status, still in force
    assert after == english
