"""Rules and watchlists: versions in force by date, conditions, hits as values."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from alianza.catalogue import in_language, message_of
from alianza.risk.rules import Condition, Rule, RuleBook, rule_book_from_toml
from alianza.risk.table import Declarations, day_number


def rows() -> Declarations:
    days = [day_number(date(2021, 4, d)) for d in (1, 1, 2, 3, 5)]
    return Declarations(
        ids=np.array(["a", "b", "c", "d", "e"], dtype=object),
        day=np.array(days, dtype=np.int64),
        text={
            "hs6": np.array(["121190", "121190", "330499", "121120", "121190"], dtype=object),
            "origin": np.array(["CO", "CN", "CO", "PE", "CO"], dtype=object),
            "departure": np.array(["CO", "CN", "PA", "PE", ""], dtype=object),
            "shipper": np.array(["S1", "S2", "S1", "S3", "S2"], dtype=object),
        },
        number={"net_mass_kg": np.array([10.0, 0.0, np.nan, 500.0, 20.0])},
        fraud=np.full(5, -1, dtype=np.int8),
        critical=np.full(5, -1, dtype=np.int8),
    )


def rule(code: str, version: int, start: date, end: date | None, *conditions: Condition) -> Rule:
    return Rule(code, version, "analyst@cbp", "test", start, end, 0.2, conditions=conditions)


def hit_rows(book: RuleBook, code: str) -> list[int]:
    return [h.row for h in book.evaluate(rows()) if h.rule == code]


def test_evaluate_commodity_origin_prefix_match() -> None:
    book = RuleBook()
    book.add(
        rule(
            "hs1211-andean",
            1,
            date(2021, 1, 1),
            None,
            Condition("in", "hs6", ("1211*",)),
            Condition("in", "origin", ("CO", "PE", "BO")),
        )
    )
    assert hit_rows(book, "hs1211-andean") == [0, 3, 4]


def test_evaluate_later_version_replaces_earlier_from_its_start() -> None:
    book = RuleBook()
    book.add(rule("r", 1, date(2021, 1, 1), None, Condition("in", "origin", ("CO",))))
    book.add(rule("r", 2, date(2021, 4, 3), None, Condition("in", "origin", ("PE",))))
    hits = [(h.row, h.version) for h in book.evaluate(rows())]
    # v1 (origin CO) until 2 April, v2 (origin PE) from 3 April
    assert hits == [(0, 1), (2, 1), (3, 2)]


def test_evaluate_expired_rule_stops_hitting() -> None:
    book = RuleBook()
    book.add(rule("r", 1, date(2021, 1, 1), date(2021, 4, 2), Condition("in", "origin", ("CO",))))
    assert hit_rows(book, "r") == [0, 2]


def test_evaluate_route_anomaly_and_thresholds() -> None:
    book = RuleBook()
    book.add(
        rule("route", 1, date(2021, 1, 1), None, Condition("differs", "departure", other="origin"))
    )
    book.add(
        rule("heavy", 1, date(2021, 1, 1), None, Condition("above", "net_mass_kg", threshold=100))
    )
    book.add(
        rule("zero", 1, date(2021, 1, 1), None, Condition("below", "net_mass_kg", threshold=1))
    )
    assert hit_rows(book, "route") == [2]  # row 4 has no departure: not an anomaly
    assert hit_rows(book, "heavy") == [3]
    assert hit_rows(book, "zero") == [1]  # NaN mass never compares


def test_evaluate_first_time_shipper_uses_earlier_declarations() -> None:
    book = RuleBook()
    book.add(rule("first", 1, date(2021, 1, 1), None, Condition("first-time", "shipper")))
    seen = rows().take(np.array([3]))  # S3 declared before
    seen = Declarations(seen.ids, seen.day - 30, seen.text, seen.number, seen.fraud, seen.critical)
    hits = [h.row for h in book.evaluate(rows(), seen)]
    assert hits == [0, 1]  # S1 and S2 first appear on rows 0 and 1; S3 was seen before


def test_rule_mandatory_without_lane_refused() -> None:
    with pytest.raises(ValueError, match="names no lane"):
        Rule("m", 1, "owner", "reason", date(2021, 1, 1), None, mandatory=True)


def test_rule_duplicate_version_refused() -> None:
    book = RuleBook()
    book.add(rule("r", 1, date(2021, 1, 1), None))
    with pytest.raises(ValueError, match="already exists"):
        book.add(rule("r", 1, date(2021, 2, 1), None))


def test_rule_book_from_toml_reads_rules_and_watchlists(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(
        """
[[rule]]
code = "hs1211-andean"
version = 1
owner = "targeting unit, Laredo"
reason = "coca-leaf derivatives declared as herbal products"
valid_from = 2021-01-01
expires = 2021-12-31
mandatory = true
lane = "physical"
when = [
  { kind = "in", column = "hs6", values = ["1211*"] },
  { kind = "in", column = "origin", values = ["CO", "PE", "BO"] },
]

[[watchlist]]
name = "shippers"
column = "shipper"
[[watchlist.entry]]
value = "S2"
owner = "intelligence desk"
reason = "linked to a 2020 seizure"
valid_from = 2021-03-01
weight = 0.3
""",
        encoding="utf-8",
    )
    book = rule_book_from_toml(path)
    hits = [(h.row, h.rule, h.mandatory, h.lane, h.weight) for h in book.evaluate(rows())]
    assert hits == [
        (0, "hs1211-andean", True, "physical", 0.0),
        (1, "watchlist:shippers:S2", False, None, 0.3),
        (3, "hs1211-andean", True, "physical", 0.0),
        (4, "hs1211-andean", True, "physical", 0.0),
        (4, "watchlist:shippers:S2", False, None, 0.3),
    ]


def _add_twice() -> None:
    book = RuleBook()
    book.add(rule("r", 1, date(2021, 1, 1), None))
    book.add(rule("r", 1, date(2021, 2, 1), None))


@pytest.mark.parametrize(
    ("refused", "english", "spanish"),
    [
        (
            lambda: Condition("equals", "origin"),
            "unknown condition kind 'equals' (expected one of ('in', 'not-in', 'differs',"
            " 'above', 'below', 'first-time'))",
            "tipo de condición desconocido 'equals' (se esperaba uno de ('in', 'not-in',"
            " 'differs', 'above', 'below', 'first-time'))",
        ),
        (
            lambda: Condition("differs", "origin"),
            "a 'differs' condition needs 'other', the column to compare with",
            "una condición 'differs' necesita 'other', la columna con la que se compara",
        ),
        (
            lambda: Condition("below", "value"),
            "an 'below' condition needs a threshold",
            "una condición 'below' necesita un umbral",
        ),
        (
            lambda: Rule("m", 1, "owner", "reason", date(2021, 1, 1), None, mandatory=True),
            "rule 'm' is mandatory but names no lane",
            "la regla 'm' es obligatoria pero no indica carril",
        ),
        (
            lambda: Rule("m", 2, "owner", "reason", date(2021, 1, 2), date(2021, 1, 1)),
            "rule 'm' v2 expires before it starts",
            "la regla 'm' v2 vence antes de entrar en vigor",
        ),
        (
            lambda: Rule("m", 1, " ", "reason", date(2021, 1, 1), None),
            "rule 'm' needs an owner and a reason",
            "la regla 'm' necesita un responsable y un motivo",
        ),
        (
            _add_twice,
            "rule 'r' version 1 already exists",
            "la regla 'r' versión 1 ya existe",
        ),
    ],
)
def test_a_rule_refusal_is_said_in_spanish_through_the_catalogue(
    refused: Callable[[], object], english: str, spanish: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(english)) as error:
        refused()
    assert str(error.value) == english
    assert in_language(message_of(error.value), "es") == spanish
