"""Targeting rules and watchlists: versioned, owned, explained, expiring, weighted.

A rule is a conjunction of conditions on a declaration (commodity x origin, first-time shipper,
route anomaly, thresholds). Each version has an owner, a reason, a start and an expiry; the rule
book applies, on each row's date, the latest version in force. A hit is either *mandatory* (the
shipment goes to the rule's lane whatever its score) or adds the rule's weight to the score used
for ranking. Watchlists name entities (importer, shipper, declarant, carrier) with the same
attributes per entry. Every hit is a value (:class:`Hit`) to be recorded with the selection.

A condition on a missing value is false: a blank text, a missing number, or a column the row's
import profile does not give (``process_type`` for an ``alianza`` declaration, ``consignee`` for
a KCS one) matches no kind, ``not-in`` included; so a rule or watchlist on such a column never
hits those rows, whether they are selected in a batch or scored one by one.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from alianza.risk import messages as words
from alianza.risk.table import Declarations, day_number

Mask = npt.NDArray[np.bool_]
KINDS = ("in", "not-in", "differs", "above", "below", "first-time")


@dataclass(frozen=True)
class Condition:
    kind: str  # one of KINDS
    column: str
    values: tuple[str, ...] = ()  # for in / not-in; "12*" matches by prefix
    other: str | None = None  # for differs: the second column
    threshold: float | None = None  # for above / below

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(words.CONDITION_KIND.said(kind=self.kind, kinds=KINDS))
        if self.kind == "differs" and not self.other:
            raise ValueError(words.CONDITION_DIFFERS.said())
        if self.kind in ("above", "below") and self.threshold is None:
            raise ValueError(words.CONDITION_THRESHOLD.said(kind=self.kind))

    def mask(self, rows: Declarations, seen: Declarations) -> Mask:
        """The rows this condition holds for; false where the value is missing (blank, NaN,
        or a column the row's profile does not give), whatever the kind."""
        if self.kind in ("in", "not-in"):
            texts = text_of(rows, self.column)
            hit = matches(texts, self.values)
            present = np.array([v != "" for v in texts.tolist()], dtype=bool)
            return np.asarray((hit if self.kind == "in" else ~hit) & present, dtype=bool)
        if self.kind == "differs":
            assert self.other is not None
            a, b = text_of(rows, self.column), text_of(rows, self.other)
            return np.asarray((a != b) & (a != "") & (b != ""), dtype=bool)
        if self.kind in ("above", "below"):
            values = number_of(rows, self.column)
            assert self.threshold is not None
            with np.errstate(invalid="ignore"):
                out = values > self.threshold if self.kind == "above" else values < self.threshold
            return np.asarray(out & ~np.isnan(values))
        return first_time(rows, seen, self.column)


def text_of(rows: Declarations, column: str) -> npt.NDArray[np.object_]:
    """A text column, blank on every row when the rows' profile does not give it."""
    found = rows.text.get(column)
    return found if found is not None else np.full(len(rows), "", dtype=object)


def number_of(rows: Declarations, column: str) -> npt.NDArray[np.float64]:
    """A number column, NaN on every row when the rows' profile does not give it."""
    found = rows.number.get(column)
    return found if found is not None else np.full(len(rows), np.nan)


def matches(values: npt.NDArray[np.object_], patterns: Sequence[str]) -> Mask:
    exact = {p for p in patterns if not p.endswith("*")}
    prefixes = tuple(p[:-1] for p in patterns if p.endswith("*"))
    return np.array(
        [v in exact or (bool(prefixes) and str(v).startswith(prefixes)) for v in values],
        dtype=bool,
    )


def first_time(rows: Declarations, seen: Declarations, column: str) -> Mask:
    """True where the entity has no declaration dated before the row (in ``seen`` or earlier in
    ``rows``); a missing entity is never "first time"."""
    earliest: dict[str, int] = {}
    for value, day in zip(text_of(seen, column).tolist(), seen.day.tolist(), strict=True):
        if value and day < earliest.get(value, day + 1):
            earliest[value] = day
    values = text_of(rows, column)
    for value, day in zip(values.tolist(), rows.day.tolist(), strict=True):
        if value and day < earliest.get(value, day + 1):
            earliest[value] = day
    return np.array(
        [bool(v) and earliest[v] == d for v, d in zip(values, rows.day, strict=True)],
        dtype=bool,
    )


@dataclass(frozen=True)
class Rule:
    code: str  # stable identifier, e.g. "hs-1211-andean"
    version: int
    owner: str
    reason: str
    valid_from: date
    expires: date | None  # last day in force; None: until replaced
    weight: float = 0.0  # added to the ranking score on a hit
    mandatory: bool = False
    lane: str | None = None  # the lane a mandatory hit goes to
    conditions: tuple[Condition, ...] = ()
    source: str = "rule"  # "rule" or "watchlist:<name>"

    def __post_init__(self) -> None:
        if self.mandatory and not self.lane:
            raise ValueError(words.RULE_NO_LANE.said(code=self.code))
        if self.expires is not None and self.expires < self.valid_from:
            raise ValueError(words.RULE_VERSION_EXPIRES.said(code=self.code, version=self.version))
        if not self.owner.strip() or not self.reason.strip():
            raise ValueError(words.RULE_OWNER.said(code=self.code))

    def in_force(self, day: npt.NDArray[np.int64]) -> Mask:
        start = day >= day_number(self.valid_from)
        if self.expires is None:
            return np.asarray(start)
        return np.asarray(start & (day <= day_number(self.expires)))


@dataclass(frozen=True)
class Hit:
    row: int
    rule: str
    version: int
    source: str
    weight: float
    mandatory: bool
    lane: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "rule": self.rule,
            "version": self.version,
            "source": self.source,
            "weight": self.weight,
            "mandatory": self.mandatory,
            "lane": self.lane,
        }


@dataclass
class RuleBook:
    rules: list[Rule] = field(default_factory=list)

    def add(self, rule: Rule) -> None:
        if any(r.code == rule.code and r.version == rule.version for r in self.rules):
            raise ValueError(words.RULE_VERSION_EXISTS.said(code=rule.code, version=rule.version))
        self.rules.append(rule)

    def evaluate(self, rows: Declarations, seen: Declarations | None = None) -> list[Hit]:
        """Every hit of the version in force on each row's date, ordered by row then rule."""
        seen = seen if seen is not None else rows.take(np.zeros(0, dtype=np.int64))
        hits: list[Hit] = []
        for code in sorted({r.code for r in self.rules}):
            versions = sorted((r for r in self.rules if r.code == code), key=lambda r: r.version)
            # a later version replaces the earlier ones from its start date
            claimed = np.zeros(len(rows), dtype=bool)
            for rule in reversed(versions):
                active = rule.in_force(rows.day) & ~claimed
                claimed |= rows.day >= day_number(rule.valid_from)
                if not active.any():
                    continue
                hit = active.copy()
                for condition in rule.conditions:
                    hit &= condition.mask(rows, seen)
                hits.extend(
                    Hit(
                        int(i),
                        rule.code,
                        rule.version,
                        rule.source,
                        rule.weight,
                        rule.mandatory,
                        rule.lane,
                    )
                    for i in np.flatnonzero(hit)
                )
        hits.sort(key=lambda h: (h.row, h.rule))
        return hits


def watchlist_rules(name: str, column: str, entries: Iterable[dict[str, Any]]) -> list[Rule]:
    """One rule per watchlist entry: the entity in ``column`` equals the entry's value."""
    rules = []
    for entry in entries:
        rules.append(
            Rule(
                code=f"watchlist:{name}:{entry['value']}",
                version=int(entry.get("version", 1)),
                **rule_terms(entry),
                conditions=(Condition("in", column, (str(entry["value"]),)),),
                source=f"watchlist:{name}",
            )
        )
    return rules


def rule_book_from_toml(path: Path) -> RuleBook:
    """Read ``[[rule]]`` tables and ``[[watchlist]]`` tables (see docs/risk.md)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    book = RuleBook()
    for raw in data.get("rule", []):
        book.add(
            Rule(
                code=str(raw["code"]),
                version=int(raw["version"]),
                **rule_terms(raw),
                conditions=tuple(_condition(c) for c in raw.get("when", [])),
            )
        )
    for raw in data.get("watchlist", []):
        for rule in watchlist_rules(str(raw["name"]), str(raw["column"]), raw.get("entry", [])):
            book.add(rule)
    return book


def _condition(raw: dict[str, Any]) -> Condition:
    return Condition(
        kind=str(raw["kind"]),
        column=str(raw["column"]),
        values=tuple(str(v) for v in raw.get("values", ())),
        other=raw.get("other"),
        threshold=float(raw["threshold"]) if "threshold" in raw else None,
    )


def _date(value: object) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def rule_terms(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The terms every rule and watchlist entry of a TOML file states: owner, reason, validity,
    weight, whether it is mandatory and into which lane (KeyError/ValueError when one is bad)."""
    return {
        "owner": str(raw["owner"]),
        "reason": str(raw["reason"]),
        "valid_from": _date(raw["valid_from"]),
        "expires": _date(raw["expires"]) if raw.get("expires") else None,
        "weight": float(raw.get("weight", 0.0)),
        "mandatory": bool(raw.get("mandatory", False)),
        "lane": raw.get("lane"),
    }
