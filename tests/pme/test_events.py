"""Recording a named event: what is refused, in English and in Spanish (issue 18)."""

from __future__ import annotations

from datetime import date

import pytest

from alianza.actors import NodeSelf
from alianza.catalogue import in_language, message_of
from alianza.db import Database
from alianza.pme.events import EventRefused, record_event


@pytest.mark.parametrize(
    ("named", "english", "spanish"),
    [
        ("the", "'the' does not name an event", "'the' no nombra ningún evento"),
        ("10.4.1/targets/1", "10.4.1/targets/1: its deadline does not wait on an event",
         "10.4.1/targets/1: su plazo no depende de ningún evento"),
        ("10.99/targets/1",
         "10.99/targets/1: no such target in plan 'binational-drug-strategy'",
         "10.99/targets/1: no existe esa meta en el plan 'binational-drug-strategy'"),
    ],
)  # fmt: skip
def test_a_refused_event_is_said_in_english_and_spanish(
    seeded_db: Database, named: str, english: str, spanish: str
) -> None:
    with seeded_db.transaction() as session, pytest.raises(EventRefused) as refused:
        record_event(session, named, date(2000, 3, 15), actor=NodeSelf("hlcg-secretariat"))
    assert str(refused.value) == english
    assert in_language(message_of(refused.value), "es") == spanish
