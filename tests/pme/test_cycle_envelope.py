"""A cycle message that is not an envelope is refused as malformed, in English and Spanish
(issue 18). Nothing here needs a key: the shape is checked before the signer."""

from __future__ import annotations

import json

import pytest

from alianza.catalogue import in_language, message_of
from alianza.pme.cycle_envelope import ENVELOPE_KIND, MessageRefused, open_envelope


@pytest.mark.parametrize(
    ("envelope", "english", "spanish"),
    [
        ({"kind": "alianza-exchange-package"},
         "not a cycle message envelope (not a cycle message envelope)",
         "no es un sobre de mensaje de ciclo (no es un sobre de mensaje de ciclo)"),
        ({"kind": ENVELOPE_KIND, "message": {"id": 1}, "signer": "x", "signature": "y"},
         "not a cycle message envelope (message, signer and signature are text)",
         "no es un sobre de mensaje de ciclo (message, signer y signature deben ser texto)"),
        ({"kind": ENVELOPE_KIND, "message": "{}", "signer": "x"},
         "not a cycle message envelope ('signature')",
         "no es un sobre de mensaje de ciclo ('signature')"),
    ],
)  # fmt: skip
def test_a_malformed_envelope_is_refused_in_english_and_spanish(
    envelope: dict[str, object], english: str, spanish: str
) -> None:
    with pytest.raises(MessageRefused) as refused:
        open_envelope(json.dumps(envelope).encode("utf-8"), {}, "US")
    assert refused.value.code == "malformed"
    assert str(refused.value) == english
    assert in_language(message_of(refused.value), "es") == spanish
