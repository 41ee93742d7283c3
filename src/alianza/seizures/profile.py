"""Declarative mapping profiles: a data file per source says how its columns become canonical
fields (columns → fields, value maps, constants, defaults, date formats, unknown-column policy).

Built-in profiles are the JSON files in ``profiles/``; any other JSON file with the same shape
can be passed by path.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from alianza.catalogue import Joined, Said, declare, message_of

PROFILES = Path(__file__).parent / "profiles"


class RecordKind(StrEnum):
    EVENT = "event"  # one row per drug item of an event (rows of one event are consecutive)
    AGGREGATE = "aggregate"  # one row per published total (period × dimensions × drug)


class UnknownColumns(StrEnum):
    REJECT = "reject"  # the file is refused (nothing loads) and the report names the column
    IGNORE = "ignore"  # dropped, with a warning per column


PROFILE = declare("profile.where", "profile")
WHERE = declare("profile.where.named", "profile {name!r}")
WHERE_UNPIVOT = declare("profile.where.unpivot", "profile {name!r}, unpivot {column!r}")
WHERE_CALENDAR = declare("profile.where.calendar", "profile {name!r}, calendar")
WHERE_FILTER = declare("profile.where.filter", "profile {name!r}, filter {at}")
WHERE_VALUES_WHEN = declare("profile.where.values-when", "profile {name!r}, values_when {at}")
NOT_OBJECT = declare("profile.not-object", "{where}: expected an object, not {kind}")
UNKNOWN_KEY_CLOSE = declare(
    "profile.unknown-key-close", "{where}: unknown key {key!r}; did you mean {close!r}?"
)
UNKNOWN_KEY_VALID = declare(
    "profile.unknown-key-valid", "{where}: unknown key {key!r}; valid: {valid}"
)
REQUIRED_MISSING = declare(
    "profile.required-missing", "profile {name!r}: required key {key!r} is missing"
)
UNPIVOT_NEEDS = declare("profile.unpivot-needs", "{where}: 'drug' and 'unit' needed")
CALENDAR_NEEDS = declare("profile.calendar-needs", "{where}: 'year' and 'month' are needed")
FILTER_NEEDS = declare("profile.filter-needs", "{where}: needs 'column' and one of 'in' / 'not_in'")
VALUES_WHEN_MISSING = declare("profile.values-when-missing", "{where}: missing {missing}")
EVENTS_VALUE = declare(
    "profile.events-value",
    "profile {name!r}: events must be {allowed!r} (or left out), not {events!r}",
)
TRAILING_VALUE = declare(
    "profile.trailing-value",
    "profile {name!r}: trailing_empty_columns must be 'reject' or 'ignore', not {trailing!r}",
)
BAD_DICT = declare("profile.bad-dict", "profile {name!r}: {error}")
NO_PROFILE = declare("profile.unknown", "no profile {name!r}; built in: {known}")
IN_FILE = declare("profile.in-file", "{file}: {error}")
NOT_A_CODE = declare("profile.not-a-code", "unpivot {column!r}: {value!r} is not a {kind} code")
BOTH_UNPIVOTED = declare(
    "profile.both-unpivoted", "{column!r} is both unpivoted and declared not a seizure"
)
EVENTS_FOR_AGGREGATE = declare(
    "profile.events-for-aggregate",
    "events 'not_reported' is for aggregate profiles (record 'aggregate')",
)
SKIP_ROWS = declare("profile.skip-rows", "skip_rows must be 0 or more")
PROBLEMS = declare("profile.problems", "profile {name!r}: {problems}")


class UnknownProfile(LookupError):
    """No built-in profile of that name and no such file."""


class BadProfile(ValueError):
    """A profile file that does not have the expected shape."""


KEYS = (
    "name",
    "title",
    "title_es",
    "record",
    "columns",
    "optional_columns",
    "constants",
    "defaults",
    "values",
    "values_when",
    "derive",
    "date_formats",
    "month_formats",
    "encoding",
    "delimiter",
    "sheet",
    "unknown_columns",
    "list_separator",
    "decimal_comma",
    "skip_rows",
    "trailing_empty_columns",
    "unpivot",
    "not_seizures",
    "calendar",
    "filters",
    "events",
    "provenance",
    "description",
)
REQUIRED_KEYS = ("name", "title", "title_es", "record", "columns")
UNPIVOT_KEYS = ("drug", "unit", "form")
CALENDAR_KEYS = ("year", "month", "day")
FILTER_KEYS = ("column", "in", "not_in")
VALUES_WHEN_KEYS = ("field", "if_column", "in", "map")
EVENTS_NOT_REPORTED = "not_reported"


def _check_keys(where: Said, data: Any, valid: tuple[str, ...]) -> None:
    """Every key of ``data`` is one of ``valid``; otherwise name it and the closest valid key."""
    if not isinstance(data, dict):
        raise BadProfile(NOT_OBJECT.said(where=where, kind=type(data).__name__))
    for key in data:
        if key not in valid:
            close = difflib.get_close_matches(str(key), valid, n=1, cutoff=0.5)
            if close:
                raise BadProfile(UNKNOWN_KEY_CLOSE.said(where=where, key=key, close=close[0]))
            raise BadProfile(UNKNOWN_KEY_VALID.said(where=where, key=key, valid=", ".join(valid)))


def check_profile_dict(data: Any) -> None:
    """Raise :class:`BadProfile` for unknown keys (top level and nested) or missing ones."""
    _check_keys(PROFILE.said(), data, KEYS)
    name = data.get("name", "?")
    for key in REQUIRED_KEYS:
        if key not in data:
            raise BadProfile(REQUIRED_MISSING.said(name=name, key=key))
    for column, spec in dict(data.get("unpivot", {})).items():
        where = WHERE_UNPIVOT.said(name=name, column=column)
        _check_keys(where, spec, UNPIVOT_KEYS)
        if "drug" not in spec or "unit" not in spec:
            raise BadProfile(UNPIVOT_NEEDS.said(where=where))
    if "calendar" in data:
        where = WHERE_CALENDAR.said(name=name)
        _check_keys(where, data["calendar"], CALENDAR_KEYS)
        if "year" not in data["calendar"] or "month" not in data["calendar"]:
            raise BadProfile(CALENDAR_NEEDS.said(where=where))
    for at, rule in enumerate(data.get("filters", []), start=1):
        where = WHERE_FILTER.said(name=name, at=at)
        _check_keys(where, rule, FILTER_KEYS)
        if "column" not in rule or ("in" in rule) == ("not_in" in rule):
            raise BadProfile(FILTER_NEEDS.said(where=where))
    for at, rule in enumerate(data.get("values_when", []), start=1):
        where = WHERE_VALUES_WHEN.said(name=name, at=at)
        _check_keys(where, rule, VALUES_WHEN_KEYS)
        missing = [k for k in VALUES_WHEN_KEYS if k not in rule]
        if missing:
            raise BadProfile(VALUES_WHEN_MISSING.said(where=where, missing=", ".join(missing)))
    events = data.get("events")
    if events is not None and events != EVENTS_NOT_REPORTED:
        raise BadProfile(EVENTS_VALUE.said(name=name, allowed=EVENTS_NOT_REPORTED, events=events))
    trailing = data.get("trailing_empty_columns", "reject")
    if trailing not in ("reject", "ignore"):
        raise BadProfile(TRAILING_VALUE.said(name=name, trailing=trailing))


@dataclass(frozen=True)
class Measure:
    """A wide-layout column that becomes one drug item of its row (``unpivot``)."""

    column: str
    drug: str
    unit: str
    form: str = "NOT_REPORTED"


@dataclass(frozen=True)
class RowFilter:
    """Keep a row only if ``column``'s value is (``keep`` True) or is not in ``values``."""

    column: str
    values: frozenset[str]
    keep: bool

    def passes(self, raw: str) -> bool:
        return (raw.strip() in self.values) == self.keep


@dataclass(frozen=True)
class ConditionalMap:
    """A value map for ``field`` applied only when ``if_column`` holds one of ``when``."""

    field: str
    if_column: str
    when: frozenset[str]
    table: dict[str, str]


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    title_es: str
    record: RecordKind
    columns: dict[str, str]  # source column → canonical field
    optional_columns: frozenset[str] = frozenset()
    constants: dict[str, str] = field(default_factory=dict)  # canonical field → fixed value
    defaults: dict[str, str] = field(default_factory=dict)  # canonical field → value if blank
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field → source → code
    derive: dict[str, dict[str, Any]] = field(default_factory=dict)
    date_formats: tuple[str, ...] = ("%Y-%m-%d",)
    month_formats: tuple[str, ...] = ("%Y-%m",)
    encoding: str = "utf-8-sig"
    delimiter: str = ","
    sheet: str | None = None
    unknown_columns: UnknownColumns = UnknownColumns.REJECT
    list_separator: str = ";"
    decimal_comma: bool = False
    skip_rows: int = 0  # lines before the header row (a title, a blank line)
    ignore_trailing_empty: bool = False  # rows that end with empty cells past the header
    unpivot: tuple[Measure, ...] = ()
    not_seizures: dict[str, str] = field(default_factory=dict)  # column → what it is
    calendar: dict[str, str] = field(default_factory=dict)  # year / month / day → column
    filters: tuple[RowFilter, ...] = ()
    values_when: tuple[ConditionalMap, ...] = ()
    events_not_reported: bool = False  # aggregate sources that publish no count of events
    provenance: str = ""  # where the data comes from (shown with every import of it)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Profile:
        check_profile_dict(data)
        try:
            return cls(
                name=data["name"],
                title=data["title"],
                title_es=data["title_es"],
                record=RecordKind(data["record"]),
                columns=dict(data["columns"]),
                optional_columns=frozenset(data.get("optional_columns", ())),
                constants=dict(data.get("constants", {})),
                defaults=dict(data.get("defaults", {})),
                values={k: dict(v) for k, v in data.get("values", {}).items()},
                derive=dict(data.get("derive", {})),
                date_formats=tuple(data.get("date_formats", ("%Y-%m-%d",))),
                month_formats=tuple(data.get("month_formats", ("%Y-%m",))),
                encoding=data.get("encoding", "utf-8-sig"),
                delimiter=data.get("delimiter", ","),
                sheet=data.get("sheet"),
                unknown_columns=UnknownColumns(data.get("unknown_columns", "reject")),
                list_separator=data.get("list_separator", ";"),
                decimal_comma=bool(data.get("decimal_comma", False)),
                skip_rows=int(data.get("skip_rows", 0)),
                ignore_trailing_empty=data.get("trailing_empty_columns") == "ignore",
                unpivot=tuple(
                    Measure(column, spec["drug"], spec["unit"], spec.get("form", "NOT_REPORTED"))
                    for column, spec in data.get("unpivot", {}).items()
                ),
                not_seizures=dict(data.get("not_seizures", {})),
                calendar=dict(data.get("calendar", {})),
                filters=tuple(
                    RowFilter(
                        rule["column"],
                        frozenset(rule.get("in", rule.get("not_in", ()))),
                        "in" in rule,
                    )
                    for rule in data.get("filters", [])
                ),
                values_when=tuple(
                    ConditionalMap(
                        rule["field"], rule["if_column"], frozenset(rule["in"]), dict(rule["map"])
                    )
                    for rule in data.get("values_when", [])
                ),
                events_not_reported=data.get("events") == EVENTS_NOT_REPORTED,
                provenance=str(data.get("provenance", "")),
            )
        except (KeyError, ValueError, TypeError) as error:
            raise BadProfile(BAD_DICT.said(name=data.get("name", "?"), error=repr(error))) from None

    @property
    def required_columns(self) -> list[str]:
        return [
            *(c for c in self.columns if c not in self.optional_columns),
            *(m.column for m in self.unpivot),
            *self.calendar.values(),
        ]

    @property
    def reshapes(self) -> bool:
        """Whether rows are skipped, filtered, unpivoted or combined before mapping (the
        columnar reader takes only files without any of that)."""
        return bool(
            self.skip_rows
            or self.ignore_trailing_empty
            or self.unpivot
            or self.calendar
            or self.filters
            or self.values_when
        )

    @property
    def known_columns(self) -> frozenset[str]:
        """Columns the profile reads or declares (mapped, unpivoted, calendar, not seizures)."""
        return frozenset(
            [
                *self.columns,
                *(m.column for m in self.unpivot),
                *self.calendar.values(),
                *self.not_seizures,
                *(f.column for f in self.filters),
                *(c.if_column for c in self.values_when),
            ]
        )

    def value_for(self, canonical: str, raw: str) -> str:
        """Apply the profile's value map for ``canonical`` (exact, then case-insensitive)."""
        table = self.values.get(canonical)
        if not table:
            return raw
        if raw in table:
            return table[raw]
        folded = raw.casefold()
        for source, code in table.items():
            if source.casefold() == folded:
                return code
        return raw


def builtin_profiles() -> dict[str, Path]:
    return {p.stem: p for p in sorted(PROFILES.glob("*.json"))}


def load_profile(name_or_path: str | Path) -> Profile:
    """A built-in profile by name (``canonical``, ``cbp-nationwide`` …) or a JSON file."""
    path = builtin_profiles().get(str(name_or_path))
    if path is None:
        candidate = Path(name_or_path)
        if not candidate.is_file():
            known = ", ".join(builtin_profiles())
            raise UnknownProfile(NO_PROFILE.said(name=str(name_or_path), known=known))
        path = candidate
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadProfile(IN_FILE.said(file=str(path), error=str(error))) from None
    try:
        return Profile.from_dict(data)
    except BadProfile as error:
        raise BadProfile(IN_FILE.said(file=path.name, error=message_of(error))) from None


def check_profile(name_or_path: str | Path) -> Profile:
    """Load a profile and check what its keys refer to (the codes its unpivoted measures and
    value maps name), without importing anything. Raises :class:`BadProfile` with every
    problem found, or :class:`UnknownProfile`."""
    from alianza.codes import code_list  # the code lists, only when a profile is checked

    profile = load_profile(name_or_path)
    problems: list[Said] = []
    drugs, units, forms = code_list("drug"), code_list("unit"), code_list("form")
    for measure in profile.unpivot:
        for kind, codes, value in (
            ("drug", drugs, measure.drug),
            ("unit", units, measure.unit),
            ("form", forms, measure.form),
        ):
            if codes.lookup(value) is None:
                problems.append(NOT_A_CODE.said(column=measure.column, value=value, kind=kind))
    overlap = {m.column for m in profile.unpivot} & set(profile.not_seizures)
    for column in sorted(overlap):
        problems.append(BOTH_UNPIVOTED.said(column=column))
    if profile.events_not_reported and profile.record is not RecordKind.AGGREGATE:
        problems.append(EVENTS_FOR_AGGREGATE.said())
    if profile.skip_rows < 0:
        problems.append(SKIP_ROWS.said())
    if problems:
        raise BadProfile(PROBLEMS.said(name=profile.name, problems=Joined("; ", tuple(problems))))
    return profile
