"""The partner government's submitted texts: what is refused, in English and Spanish (issue
18). Nothing of a refused submission is kept."""

from __future__ import annotations

from typing import Any

import pytest

from alianza.catalogue import in_language, message_of
from alianza.db import Database
from alianza.pme import cycle_texts, cycles
from alianza.pme.cycles import CycleRefused, cycle_view
from alianza.pme.load import DEFAULT_PLAN
from tests.pme.test_cycles import MX_NODE, open_feb_2000

TEXT = {"action": "10.4", "government": "MX", "position": 1, "language": "es",
        "text": "Se han establecido subgrupos.", "state": "source", "by": "sre"}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "english", "spanish"),
    [
        ({"government": "US"},
         "the MX node submitted a text of US; it may submit only its own government's and "
         "joint ones",
         "el nodo de MX envió un texto de US; solo puede enviar los de su propio gobierno y los "
         "conjuntos"),
        ({"language": "fr"},
         "10.4 MX: a submitted text has no valid language or translation state",
         "10.4 MX: un texto enviado no tiene un idioma ni un estado de traducción válidos"),
        ({"state": "final"},
         "10.4 MX: a submitted text has no valid language or translation state",
         "10.4 MX: un texto enviado no tiene un idioma ni un estado de traducción válidos"),
        ({"by": " "},
         "10.4 MX: a submitted text lacks its text or writer",
         "10.4 MX: a un texto enviado le falta el texto o quien lo escribió"),
    ],
)  # fmt: skip
def test_a_refused_submitted_text_is_said_in_english_and_spanish(
    seeded_db: Database, change: dict[str, Any], english: str, spanish: str
) -> None:
    open_feb_2000(seeded_db)
    with seeded_db.transaction() as session:
        row = cycles._cycle(session, "2000-02", DEFAULT_PLAN)
        with pytest.raises(CycleRefused) as refused:
            cycle_texts.apply_submitted_texts(
                session, row, DEFAULT_PLAN, [TEXT, {**TEXT, **change}], MX_NODE, "node"
            )
    assert str(refused.value) == english
    assert in_language(message_of(refused.value), "es") == spanish
    with seeded_db.reader() as session:
        assert cycle_view(session, "2000-02").texts == ()  # the good one is not kept either
