"""The two languages of a status paragraph are checked to carry the same numbers, dates and
references (issue 17, item 6); what differs is listed in ``pme todo``."""

from __future__ import annotations

from datetime import date

import pytest

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.pme import cycles
from alianza.pme.parity import numbers_in, parity_problem
from alianza.pme.todo import what_needs_me

CYCLE = "1999-08"


@pytest.mark.parametrize(
    ("english", "spanish", "same"),
    [
        (
            "Eight of the 9 BLMs by 31 Aug 1999; see 10.2.",
            "Ocho de 9 MEF al 31 ago 1999; ver 10.2.",
            True,
        ),
        ("Eight of the 9 BLMs by 31 Aug 1999.", "Ocho de 9 MEF al 30 ago 1999.", False),
        ("See 10.2. Status para 5", "Ver 10.4. Estado párrafo 5", False),
        ("Meetings continue.", "Las reuniones continúan.", True),
    ],
)
def test_parity_problem_compares_numbers_dates_and_references(
    english: str, spanish: str, same: bool
) -> None:
    assert (parity_problem(english, spanish) is None) == same


def test_numbers_in_reads_references_and_dates_whole() -> None:
    assert numbers_in("See 10.4.1. on 31 Aug 1999") == {"10.4.1": 1, "31": 1, "1999": 1}


def prepared(database: Database, english: str, spanish: str) -> None:
    with database.transaction() as session:
        cycles.open_cycle(
            session, CYCLE, as_of=date(1999, 8, 31), label_en="Aug 99", label_es="ago 99",
            actor=NodeSelf("coordinator"),
        )  # fmt: skip
        for language, text in (("en", english), ("es", spanish)):
            cycles.enter_status(
                session, CYCLE, "10.4.1", government=cycles.Government.JOINT,
                language=language, text=text, actor=NodeSelf("coordinator"),
            )  # fmt: skip
        cycles.submit_cycle(session, CYCLE, actor=NodeSelf("coordinator"))


def test_todo_lists_status_twins_that_carry_other_numbers(seeded_db: Database) -> None:
    prepared(
        seeded_db,
        "Subgroups in 8 of the 9 BLMs by 31 Aug 1999.",
        "Subgrupos en 8 de 9 MEF al 30 ago 1999.",
    )
    with seeded_db.reader() as session:
        items = [
            i
            for i in what_needs_me(session, date(1999, 9, 1))
            if i.kind.startswith("translation-n")
        ]
    assert [i.subject for i in items] == [f"{CYCLE}/10.4.1/JOINT/1"]
    assert "only in English: 31; only in Spanish: 30" in items[0].detail


def test_todo_lists_nothing_for_twins_with_the_same_numbers(seeded_db: Database) -> None:
    prepared(
        seeded_db,
        "Subgroups in 8 of the 9 BLMs by 31 Aug 1999.",
        "Subgrupos en 8 de 9 MEF al 31 ago 1999.",
    )
    with seeded_db.reader() as session:
        kinds = {i.kind for i in what_needs_me(session, date(1999, 9, 1))}
    assert "translation-numbers-differ" not in kinds
