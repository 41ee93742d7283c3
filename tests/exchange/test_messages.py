"""Exchange messages: English and Spanish texts take the same values, and the English text of a
refusal is what the CLI always printed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from string import Formatter

import pytest

from alianza.catalogue import in_language, message_of
from alianza.exchange import messages
from alianza.exchange.keys import create_node_keys
from alianza.exchange.package import PackageRefused, build_package, verify_package
from alianza.exchange.periods import parse_quarter


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


def said(error: pytest.ExceptionInfo[ValueError]) -> tuple[str, str]:
    return str(error.value), in_language(message_of(error.value), "es")


def test_a_quarter_and_a_period_kind_are_refused_in_both_languages(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a quarter") as typed:
        parse_quarter("2019-Q5")
    assert said(typed) == (
        "'2019-Q5' is not a quarter like 2019-Q1",
        "'2019-Q5' no es un trimestre como 2019-Q1",
    )
    keys = create_node_keys(tmp_path, name="US node", country="US")
    at = datetime.now(UTC)
    with pytest.raises(ValueError, match="not like") as quarter:
        build_package(keys, quarter="2019Q1", tables={}, coverage={}, version=1, extracted_at=at)
    assert said(quarter) == (
        "quarter '2019Q1' is not like 2019-Q1",
        "el trimestre '2019Q1' no tiene la forma 2019-Q1",
    )
    with pytest.raises(ValueError, match="period kind") as kind:
        build_package(
            keys,
            quarter="2019-Q1",
            period_kind="weekly",
            tables={},
            coverage={},
            version=1,
            extracted_at=at,
        )
    assert said(kind) == (
        "period kind 'weekly' is not calendar or fiscal",
        "el tipo de periodo 'weekly' no es calendar ni fiscal",
    )


def test_a_message_code_declared_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="declared twice") as twice:
        messages.message_type("all-passed", "every check passed")
    assert said(twice) == (
        "exchange message 'all-passed' declared twice",
        "el mensaje de intercambio 'all-passed' está declarado dos veces",
    )
