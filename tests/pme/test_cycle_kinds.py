"""Message kinds of the cycle transport: a kind too long to store, or one nobody registered,
is refused, in English and Spanish (issue 18)."""

from __future__ import annotations

import pytest

from alianza.catalogue import in_language, message_of
from alianza.db import Database
from alianza.pme import cycle_kinds, cycle_outbox


def test_a_kind_too_long_to_store_is_refused_in_english_and_spanish() -> None:
    with pytest.raises(ValueError, match="at most 12 characters") as refused:
        cycle_kinds.register("thirteen-long", lambda *_: None)
    assert str(refused.value) == "a message kind has at most 12 characters: 'thirteen-long'"
    assert in_language(message_of(refused.value), "es") == (
        "un tipo de mensaje tiene como máximo 12 caracteres: 'thirteen-long'"
    )
    assert cycle_kinds.handler_for("thirteen-long") is None


def test_an_unknown_kind_is_not_queued_and_is_refused_in_spanish(seeded_db: Database) -> None:
    with seeded_db.transaction() as session, pytest.raises(ValueError, match="unknown") as refused:
        cycle_outbox.queue(session, "gossip", {})
    assert str(refused.value) == "unknown cycle message kind 'gossip'"
    assert in_language(message_of(refused.value), "es") == (
        "tipo de mensaje de ciclo desconocido: 'gossip'"
    )
