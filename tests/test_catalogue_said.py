"""A refusal raised deep in the library carries its catalogue key (``catalogue.Said``): its
value is the English, as the API, logs and ``str(error)`` always had it, and it is said in
Spanish where a page or the command line asks (issue 18, item 1)."""

from __future__ import annotations

import json
import pickle

from alianza import refusals
from alianza.catalogue import Joined, in_language, message_of
from alianza.pme import cycles


def test_a_said_message_is_its_english_and_says_itself_in_spanish() -> None:
    said = refusals.not_found("package", 12)
    assert said == "no package 12"
    assert json.dumps({"message": said}) == '{"message": "no package 12"}'
    assert in_language(said, "es") == "no existe el paquete 12"
    assert in_language("a plain text", "es") == "a plain text"  # not guessed


def test_the_parts_of_a_message_are_said_in_its_language() -> None:
    spanish = cycles.LANGUAGE_NAMES["es"].said()
    parts = Joined(
        "; ",
        [cycles.NO_TEXT.said(where=w, language=spanish) for w in ("10.1/US/1", "10.2/MX/1")],
    )
    said = cycles.NOT_APPROVABLE.said(language=spanish, listed=parts)
    assert said.startswith("es cannot be approved yet: 10.1/US/1: no es text; 10.2/MX/1: no es")
    assert in_language(said, "es").startswith(
        "el texto en español aún no puede aprobarse: 10.1/US/1: falta el texto en español; "
        "10.2/MX/1: falta el texto en español."
    )


def test_an_exception_keeps_its_message_through_str_and_pickling() -> None:
    error = cycles.CycleRefused(cycles.NEEDS_TEXT.said())
    assert str(error) == "a status paragraph needs text"
    again = pickle.loads(pickle.dumps(error))  # an exception crossing processes
    assert in_language(message_of(again), "es") == "un párrafo de estado necesita texto"
    assert message_of(ValueError("plain")) == "plain"
