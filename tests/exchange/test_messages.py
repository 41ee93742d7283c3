"""Exchange messages: English and Spanish texts take the same values, and the English text of a
refusal is what the CLI always printed."""

from __future__ import annotations

from string import Formatter

import pytest

from alianza.exchange import messages
from alianza.exchange.package import PackageRefused, verify_package


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(messages.MESSAGES))
def test_both_languages_take_the_same_values(code: str) -> None:
    kind = messages.MESSAGES[code]
    assert fields(kind.template) == fields(kind.template_es)
    assert kind.template != kind.template_es or not any(c.isalpha() for c in kind.template)


def test_a_refusal_carries_both_texts_and_the_english_is_unchanged() -> None:
    with pytest.raises(PackageRefused) as refused:
        verify_package(b"not a zip", {})
    assert refused.value.code == "malformed"
    assert refused.value.reason == "not-zip"
    assert refused.value.message == "not a ZIP file (File is not a zip file)"
    assert refused.value.message_es == "no es un archivo ZIP (File is not a zip file)"
    assert str(refused.value) == "not a ZIP file (File is not a zip file) [malformed]"
