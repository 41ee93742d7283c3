"""The days a date of a given precision may stand for; an unknown precision is refused, in
English and Spanish (issue 18)."""

from __future__ import annotations

from datetime import date

import pytest

from alianza.catalogue import in_language, message_of
from alianza.pme.schedule import possible_days

DAY = date(1999, 8, 20)


@pytest.mark.parametrize(
    ("precision", "first", "last"),
    [
        ("exact", DAY, DAY),
        ("month", date(1999, 8, 1), date(1999, 8, 31)),
        ("year", date(1999, 1, 1), date(1999, 12, 31)),
        ("approximate", date.min, DAY),
    ],
)
def test_possible_days_of_each_precision(precision: str, first: date, last: date) -> None:
    assert possible_days(DAY, precision) == (first, last)


def test_an_unknown_precision_is_refused_in_english_and_spanish() -> None:
    with pytest.raises(ValueError, match="unknown date precision") as refused:
        possible_days(DAY, "week")
    assert str(refused.value) == (
        "unknown date precision 'week' (one of: exact, month, year, approximate)"
    )
    assert in_language(message_of(refused.value), "es") == (
        "precisión de fecha desconocida 'week' (una de: exact, month, year, approximate)"
    )
