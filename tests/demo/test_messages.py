"""The demo's refusals are catalogue messages, said in the user's language."""

from __future__ import annotations

from alianza.catalogue import in_language
from alianza.demo import messages


def test_a_node_that_did_not_start_is_said_in_both_languages() -> None:
    said = messages.NODE_DID_NOT_START.said(url="http://127.0.0.1:8001")
    assert said == "the node at http://127.0.0.1:8001 did not start"
    assert in_language(said, "es") == "el nodo en http://127.0.0.1:8001 no arrancó"
