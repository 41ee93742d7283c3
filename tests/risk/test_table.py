"""Declarations held column-wise: their refusals, in English and in Spanish."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pytest

from alianza.catalogue import in_language, message_of
from alianza.risk.table import Declarations, concat


def table(**text: list[str]) -> Declarations:
    return Declarations(
        ids=np.array(["a", "b"], dtype=object),
        day=np.array([1, 2], dtype=np.int64),
        text={k: np.array(v, dtype=object) for k, v in text.items()},
        fraud=np.zeros(2, np.int8),
        critical=np.zeros(2, np.int8),
    )


@pytest.mark.parametrize(
    ("refused", "english", "spanish"),
    [
        (
            lambda: table(origin=["CO"]),
            "columns of unequal length (rows=2): {'text:origin': 1}",
            "columnas de longitud desigual (filas=2): {'text:origin': 1}",
        ),
        (
            lambda: concat([]),
            "nothing to concatenate",
            "no hay nada que concatenar",
        ),
        (
            lambda: concat([table(origin=["CO", "PE"]), table(port=["240", "800"])]),
            "declarations with different columns cannot be concatenated",
            "no se pueden concatenar declaraciones con columnas distintas",
        ),
    ],
)
def test_a_table_refusal_is_said_in_spanish(
    refused: Callable[[], object], english: str, spanish: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(english)) as error:
        refused()
    assert str(error.value) == english
    assert in_language(message_of(error.value), "es") == spanish


def test_a_missing_text_column_is_said_in_spanish() -> None:
    with pytest.raises(KeyError) as error:
        table(origin=["CO", "PE"]).column("consignee")
    assert str(error.value) == "\"declarations have no text column 'consignee'\""
    assert error.value.args == ("declarations have no text column 'consignee'",)
    assert in_language(message_of(error.value), "es") == (
        "las declaraciones no tienen la columna de texto 'consignee'"
    )
