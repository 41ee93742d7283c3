"""Recording a judgement: what is refused, in English and in Spanish (issue 18)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from alianza.actors import NodeSelf
from alianza.catalogue import in_language, message_of
from alianza.db import Database
from alianza.pme.judgements import Completion, JudgementRefused, record_judgement
from alianza.pme.query import BadAddress


@pytest.mark.parametrize(
    ("subject", "given", "english", "spanish"),
    [
        ("10.4.1/status/1", {},
         "'10.4.1/status/1': judge an action (10.4.1) or a target (10.4.1/targets/1)",
         "'10.4.1/status/1': registre el juicio sobre una acción (10.4.1) o una meta "
         "(10.4.1/targets/1)"),
        ("10.4.1", {"justification": "  "},
         "a judgement needs a justification (--justification)",
         "un juicio necesita una justificación (--justification)"),
        ("10.4.1", {"completed_on": date(1999, 9, 1)},
         "completed on 1999-09-01 is after the judgement's date 1999-08-31",
         "la fecha de cumplimiento 1999-09-01 es posterior a la fecha del juicio 1999-08-31"),
        ("10.4.1", {"completion": Completion.IN_PROGRESS, "completed_on": date(1999, 8, 1)},
         "--completed-on goes with --completion done only",
         "--completed-on solo va con --completion done"),
    ],
)  # fmt: skip
def test_a_refused_judgement_is_said_in_english_and_spanish(
    seeded_db: Database, subject: str, given: dict[str, Any], english: str, spanish: str
) -> None:
    values: dict[str, Any] = {
        "as_of": date(1999, 8, 31),
        "completion": Completion.DONE,
        "justification": "Minutes of 20 Aug 1999.",
        **given,
    }
    with (
        seeded_db.transaction() as session,
        pytest.raises((BadAddress, JudgementRefused)) as refused,
    ):
        record_judgement(session, subject, actor=NodeSelf("coordinator-us"), **values)
    assert str(refused.value) == english
    assert in_language(message_of(refused.value), "es") == spanish
