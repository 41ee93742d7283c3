"""Totals over events and published aggregate rows together, by any dimensions.

Measures:

- ``seizures``: number of events. An event counts once in a cell; with ``drug`` (or
  ``drug_group``) among the dimensions it counts once per drug, and with ``concealment`` once
  per concealment method (reference §2, principle 1). Aggregate rows add their published
  ``Count of Event``; CBP does not say whether an event with two drugs is in both drug rows, so
  summing their events across drugs is not a count of distinct events.
- ``amount_kg``: kilograms. ``None`` ("not reported") when no record in the cell has a mass —
  tablet-only cells, for example — which is not the same as 0 (a reported zero weight).
- ``records_without_kg``: drug items or aggregate rows in the cell with no mass.
- ``records``: records in the cell as reported: an event counts once, a published row once
  (a municipality-month total of MUCD is one record, never one seizure).
- ``count_not_reported``: records in the cell whose source does not report a number of
  events (aggregate sources such as MUCD). Where it is above zero, ``seizures`` is ``null``
  ("not reported"), not 0 and not the number of rows; ``seizures_reported`` keeps the sum of
  the counts that were reported.

Places: ``state`` and ``municipality`` are INEGI codes (``08``, ``08037``); labels in English
and Spanish come from :mod:`alianza.codes.mx_places`. Mexico's side of the border (``region``
``MX_NORTHERN_BORDER``) is decided from those codes: a border municipality, or, for a record
with a state and no municipality, one of the six border states.
- ``units`` (not a column of the CSV/JSON forms): counted units of the records without a mass,
  by unit (``{"TABLET": 15000}``), so that a tablet-only seizure is not lost from a total.

A dimension the source does not capture (concealment, transport mode, conveyance and port in
CBP's public files) takes the value ``NOT_REPORTED``, never a made-up category. Events linked as
duplicates of another source's event are left out (counted once, under the first source).

Both kinds of record are summed by the database, grouped by the columns the question reads
(published rows here; events from the summary tables of :mod:`alianza.seizures.summary`, kept at
import, which give the groups :mod:`alianza.seizures.event_sums` computes over every event);
each group's dimension values are then decided once in Python, from the same rules for every
group.
"""

from __future__ import annotations

import functools
import io
import itertools
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alianza.catalogue import declare
from alianza.cells import SafeCsvWriter
from alianza.codes import code_list, mx_places, normalize_name
from alianza.codes.calendar import fiscal_quarter_label, fiscal_year_of, quarter_label
from alianza.codes.reference import find_area, find_port
from alianza.codes.units import conversions
from alianza.releasability import visible_to
from alianza.seizures.event_sums import (
    EVENT_SOURCES,
    EVENT_UNITS,
    NULLABLE,
    PERIOD_COLUMNS,
    EventQuery,
    date_range,
    duplicates_held,
    period_grain,
)
from alianza.seizures.models import AggregateRow
from alianza.seizures.scopes import SCOPES, Scope, scoped_where
from alianza.seizures.summary import sums as summary_sums
from alianza.seizures.summary import values as summary_values

NOT_REPORTED = "NOT_REPORTED"
# The same message as seizures.overview's (which imports this module), declared here too.
NOT_REPORTED_LABEL = declare("seizures.not-reported", "Not reported")
DIMENSIONS = (
    "drug",
    "drug_group",
    "country",
    "agency",
    "component",
    "region",
    "location",
    "location_type",
    "port",
    "concealment",
    "transport_mode",
    "conveyance",
    "year",
    "quarter",
    "month",
    "fiscal_year",
    "fiscal_quarter",
    "land_filter",
    "source",
    "releasability",
    "state",
    "municipality",
    "border_zone",
    "corridor",
)
MEASURES = ("seizures", "amount_kg", "records_without_kg", "records", "count_not_reported")
MULTI = frozenset({"drug", "drug_group", "concealment"})
LB = 0.45359237  # kilograms in a pound (exact, by definition)
UNITS = ("kg", "lb")


def place_codes(admin_area: str | None) -> tuple[str | None, str | None]:
    """INEGI state and municipality codes of an event's ``"State / Municipality"`` text
    (``None`` where it names nothing known: such a place is ``NOT_REPORTED``, never guessed)."""
    return _place_codes(admin_area or "")


@functools.lru_cache(maxsize=8192)
def _place_codes(admin_area: str) -> tuple[str | None, str | None]:
    if not admin_area.strip():
        return None, None
    try:
        state, municipality = mx_places.resolve(admin_area)
    except mx_places.UnknownPlace:  # reported at import; the state alone, if it is known
        known = mx_places.state(admin_area.partition("/")[0])
        return (known.code if known else None), None
    return (state.code if state else None), (municipality.code if municipality else None)


# A dimension, filter or unit the user asked for that the aggregation does not know.
BAD_FILTER = declare(
    "seizures.aggregate.bad-filter",
    "bad filter {item!r}: use DIM=VALUE with DIM one of {dimensions}",
)
UNKNOWN_DIMENSION = declare(
    "seizures.aggregate.unknown-dimension", "unknown dimension {name!r}; use: {dimensions}"
)
UNKNOWN_UNIT = declare("seizures.aggregate.unknown-unit", "unknown unit {unit!r}; use: {units}")


class UnknownDimension(ValueError):
    """A dimension name Alianza does not aggregate by."""


@dataclass
class Cell:
    seizures: int = 0  # events reported (see count_not_reported)
    amount_kg: float | None = None
    records_without_kg: int = 0
    records: int = 0
    count_not_reported: int = 0  # records whose source reports no number of events
    units: dict[str, int] = field(default_factory=dict)  # counted unit → count (no mass)

    @property
    def events(self) -> int | None:
        """Seizures, or ``None`` (not reported) when a record of the cell has no count."""
        return None if self.count_not_reported else self.seizures

    def add_units(self, unit: str, count: int | None) -> None:
        if count is not None:
            self.units[unit] = self.units.get(unit, 0) + count

    def add_mass(self, kg: float | None) -> None:
        if kg is None:
            self.records_without_kg += 1
        else:
            self.amount_kg = (self.amount_kg or 0.0) + kg

    def add_sums(
        self,
        seizures: int,
        kg: float | None,
        without_kg: int,
        records: int = 0,
        not_reported: int = 0,
    ) -> None:
        """Add a group of records summed together (``kg`` None: none of them had a mass)."""
        self.seizures += seizures
        self.records += records
        self.count_not_reported += not_reported
        if kg is not None:
            self.amount_kg = (self.amount_kg or 0.0) + kg
        self.records_without_kg += without_kg


@dataclass
class AggregateResult:
    """Cells by dimension values. ``scope``: which records the totals cover (said in every
    output); ``unit``: ``kg`` or ``lb`` for the amount column (``amount_kg`` or ``amount_lb``);
    ``to_date_years``: fiscal years whose published rows say the year is still open
    (``2026 (FYTD)``), marked ``fiscal_year_to_date`` beside a ``fiscal_year`` value."""

    dimensions: tuple[str, ...]
    cells: dict[tuple[str, ...], Cell] = field(default_factory=dict)
    duplicates_excluded: int = 0
    scope: Scope = field(default_factory=lambda: SCOPES["all"])
    unit: str = "kg"
    to_date_years: frozenset[str] = frozenset()

    @property
    def amount_column(self) -> str:
        return f"amount_{self.unit}"

    def amount(self, cell: Cell) -> float | None:
        if cell.amount_kg is None or self.unit == "kg":
            return cell.amount_kg
        return cell.amount_kg / LB

    def _marks(self) -> list[str]:
        return ["fiscal_year_to_date"] if "fiscal_year" in self.dimensions else []

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for key in sorted(self.cells):
            cell = self.cells[key]
            row: dict[str, Any] = dict(zip(self.dimensions, key, strict=True))
            if "fiscal_year" in row:
                row["fiscal_year_to_date"] = row["fiscal_year"] in self.to_date_years
            row["seizures"] = cell.events
            row[self.amount_column] = self.amount(cell)
            row["records_without_kg"] = cell.records_without_kg
            row["records"] = cell.records
            row["count_not_reported"] = cell.count_not_reported
            if cell.count_not_reported:
                row["seizures_reported"] = cell.seizures
            for name in PLACE_DIMENSIONS:
                if name in row:
                    row[f"{name}_label_en"] = place_label(name, row[name], "en")
                    row[f"{name}_label_es"] = place_label(name, row[name], "es")
            out.append(row)
        return out

    def as_json(self) -> str:
        measures = [self.amount_column if m == "amount_kg" else m for m in MEASURES]
        body = {
            "scope": self.scope.describe(),
            "unit": self.unit,
            "dimensions": list(self.dimensions),
            "measures": measures,
            "rows": self.rows(),
            "duplicates_excluded": self.duplicates_excluded,
            "note": f"{self.amount_column} null = not reported (no mass in the cell), not zero; "
            "fiscal_year_to_date true = the fiscal year is still open (months missing); seizures "
            "null = the number of events is not reported (count_not_reported records), not "
            "zero and not the number of records",
        }
        return json.dumps(body, ensure_ascii=False, indent=2) + "\n"

    def as_csv(self) -> str:
        buffer = io.StringIO()
        writer = SafeCsvWriter(buffer, lineterminator="\n")
        measures = [self.amount_column if m == "amount_kg" else m for m in MEASURES]
        marks = self._marks()
        writer.writerow(["scope", *self.dimensions, *marks, *measures])
        for row in self.rows():
            amount = row[self.amount_column]
            writer.writerow(
                [
                    self.scope.name,
                    *(row[d] for d in self.dimensions),
                    *("true" if row[m] else "false" for m in marks),
                    "" if row["seizures"] is None else row["seizures"],
                    "" if amount is None else repr(amount),
                    row["records_without_kg"],
                    row["records"],
                    row["count_not_reported"],
                ]
            )
        return buffer.getvalue()


PLACE_DIMENSIONS = ("state", "municipality")


def place_label(dimension: str, code: str, language: str) -> str:
    """``Juárez, Chihuahua`` for ``08037`` (place names are the same in both languages; the
    "not reported" wording is not)."""
    if code == NOT_REPORTED:
        return NOT_REPORTED_LABEL(language)
    if dimension == "state":
        state = mx_places.states().get(code)
        return state.name if state else code
    place = mx_places.municipalities().get(code)
    return place.label(language) if place else code


def parse_where(items: Sequence[str]) -> dict[str, set[str]]:
    """``["drug=HEROIN", "drug=COCAINE_HCL", "region=SOUTHWEST_BORDER"]`` → filters."""
    where: dict[str, set[str]] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or name not in DIMENSIONS:
            raise UnknownDimension(BAD_FILTER.said(item=item, dimensions=", ".join(DIMENSIONS)))
        where.setdefault(name, set()).update(v.strip() for v in value.split(","))
    return where


@functools.lru_cache(maxsize=4096)
def _period_values(day: date) -> dict[str, str]:  # shared: callers copy, never change it
    return {
        "year": str(day.year),
        "quarter": quarter_label(day),
        "month": f"{day.year}-{day.month:02d}",
        "fiscal_year": f"FY{fiscal_year_of(day)}",
        "fiscal_quarter": fiscal_quarter_label(day),
    }


def _agency(code: str) -> str:
    return code.split("-", 1)[0]


@functools.lru_cache(maxsize=1024)
def _folded(wanted: frozenset[str]) -> frozenset[str]:
    return frozenset(normalize_name(w) for w in wanted)


def _matches(values: Mapping[str, Sequence[str]], where: Mapping[str, set[str]]) -> bool:
    for name, wanted in where.items():
        folded = _folded(frozenset(wanted))
        if not any(normalize_name(v) in folded for v in values[name]):
            return False
    return True


class _Facts:
    """Dimension values of events and aggregate rows."""

    def __init__(self) -> None:
        self.groups = {c.code: c.parent or "OTHER" for c in code_list("drug").codes.values()}

    def aggregate_row(self, row: Any, names: Iterable[str]) -> dict[str, list[str]]:
        """The values of the dimensions ``names`` of a published row (or of a group of rows
        alike in the columns those dimensions read: see ``_ROW_SOURCES``)."""
        return {name: [_ROW_VALUES[name](self, row)] for name in names}

    def event(self, event: Any) -> dict[str, list[str]]:  # an Event's columns
        port = find_port(event.port_code) if event.port_code else None
        area = find_area(event.area) if event.area else None
        region = area.region if area else ("SOUTHWEST_BORDER" if port else NOT_REPORTED)
        state, municipality = (
            place_codes(event.admin_area) if event.reporting_country == "MX" else (None, None)
        )
        if event.reporting_country == "MX" and not area:
            # Mexico's side of the common border, from place codes: a port pair, a border
            # municipality, or (no municipality given) one of the six border states
            region = "MX_NORTHERN_BORDER" if port else mx_places.region_of(state, municipality)
        location = event.area or (port.name if port else None) or event.admin_area
        values: dict[str, list[str]] = {
            "country": [event.reporting_country],
            "agency": [_agency(event.reporting_agency)],
            "component": [event.reporting_agency],
            "region": [region],
            "location": [location or NOT_REPORTED],
            "location_type": [event.location_type],
            "port": [event.port_code or NOT_REPORTED],
            "concealment": event.concealment.split(";"),
            "transport_mode": [event.transport_mode],
            "conveyance": [event.conveyance],
            "land_filter": [NOT_REPORTED],
            "source": [event.source_system],
            "releasability": [event.releasability],
            "state": [state or NOT_REPORTED],
            "municipality": [municipality or NOT_REPORTED],
            "border_zone": [
                mx_places.border_zone(state, municipality)
                if event.reporting_country == "MX"
                else NOT_REPORTED
            ],
            "corridor": [_corridor(port.field_office if port else None, municipality)],
        }
        values.update({k: [v] for k, v in _period_values(event.event_date).items()})
        return values


def _office_of_area(area: str | None) -> str | None:
    found = find_area(area) if area else None
    return found.name if found is not None and found.kind == "field_office" else None


@functools.lru_cache(maxsize=1024)
def _corridor(office: str | None, municipality: str | None) -> str:
    """The border corridor (a CBP field office with the Mexican municipalities across from
    its ports) as its location id, e.g. ``SAN_DIEGO_FIELD_OFFICE`` for Tijuana (``02004``)."""
    if office is None and municipality:
        office = mx_places.corridor_offices().get(municipality)
    if not office:
        return NOT_REPORTED
    return re.sub(r"[^A-Z0-9]+", "_", office.upper()).strip("_")


def _row_region(row: Any) -> str:
    if row.region:
        return str(row.region)
    if row.reporting_country == "MX" and (row.state or row.municipality):
        return mx_places.region_of(row.state, row.municipality)
    return NOT_REPORTED


def _period_of_row(name: str) -> Callable[[_Facts, Any], str]:
    return lambda _f, row: _period_values(row.period_month)[name]


_PERIODS = ("year", "quarter", "month", "fiscal_year", "fiscal_quarter")
_ROW_CONSTANT = {"port", "concealment", "transport_mode", "conveyance"}  # NOT_REPORTED there
_ROW_VALUES: dict[str, Callable[[_Facts, Any], str]] = {
    "drug": lambda _f, row: str(row.drug_code),
    "drug_group": lambda facts, row: facts.groups.get(row.drug_code, "OTHER"),
    "country": lambda _f, row: str(row.reporting_country),
    "agency": lambda _f, row: _agency(row.reporting_agency),
    "component": lambda _f, row: str(row.reporting_agency),
    "region": lambda _f, row: _row_region(row),
    "location": lambda _f, row: str(row.area or NOT_REPORTED),
    "location_type": lambda _f, row: str(row.location_type),
    "land_filter": lambda _f, row: str(row.land_filter or NOT_REPORTED),
    "source": lambda _f, row: str(row.source_system),
    "releasability": lambda _f, row: str(row.releasability),
    "state": lambda _f, row: str(row.state or NOT_REPORTED),
    "municipality": lambda _f, row: str(row.municipality or NOT_REPORTED),
    "border_zone": lambda _f, row: (
        mx_places.border_zone(row.state, row.municipality)
        if row.reporting_country == "MX"
        else NOT_REPORTED
    ),
    "corridor": lambda _f, row: _corridor(_office_of_area(row.area), row.municipality),
    **{name: _period_of_row(name) for name in _PERIODS},
    **dict.fromkeys(_ROW_CONSTANT, lambda _f, _r: NOT_REPORTED),
}

# the columns of a published row each dimension is computed from
_ROW_SOURCES: dict[str, tuple[str, ...]] = {
    "drug": ("drug_code",),
    "drug_group": ("drug_code",),
    "country": ("reporting_country",),
    "agency": ("reporting_agency",),
    "component": ("reporting_agency",),
    "region": ("region", "reporting_country", "state", "municipality"),
    "location": ("area",),
    "location_type": ("location_type",),
    "land_filter": ("land_filter",),
    "source": ("source_system",),
    "releasability": ("releasability",),
    "state": ("state",),
    "municipality": ("municipality",),
    "border_zone": ("reporting_country", "state", "municipality"),
    "corridor": ("area", "municipality"),
    **dict.fromkeys(_PERIODS, ("period_month",)),
}
# The module's own tables checked at import: a programmer's error, no person's refusal.
if set(DIMENSIONS) != set(_ROW_SOURCES) | _ROW_CONSTANT:  # a new dimension needs its columns
    raise AssertionError("aggregate: _ROW_SOURCES does not cover DIMENSIONS")
if set(DIMENSIONS) != set(_ROW_VALUES):
    raise AssertionError("aggregate: _ROW_VALUES does not cover DIMENSIONS")


def _row_columns(dims: Sequence[str], where: Mapping[str, set[str]]) -> set[str]:
    return {column for d in (*dims, *where) for column in _ROW_SOURCES.get(d, ())}


def aggregate(
    session: Session,
    by: Sequence[str],
    where: Mapping[str, set[str]] | None = None,
    *,
    releasability: set[str] | None = None,
    viewer_country: str | None = None,
    scope: Scope | None = None,
    unit: str = "kg",
) -> AggregateResult:
    """Cells of ``seizures`` and ``amount_kg`` by the dimensions ``by``, over current records
    of the ``scope`` (default ``all``) that match every ``where`` filter (and, if given, whose
    releasability is in the set, and that a user of ``viewer_country`` may see: see
    :mod:`alianza.seizures.access`). ``unit`` (``kg`` or ``lb``) is the unit of the output's
    amount column; cells always sum kilograms."""
    for name in by:
        if name not in DIMENSIONS:
            raise UnknownDimension(
                UNKNOWN_DIMENSION.said(name=name, dimensions=", ".join(DIMENSIONS))
            )
    if unit not in UNITS:
        raise ValueError(UNKNOWN_UNIT.said(unit=unit, units=", ".join(UNITS)))
    scope = scope or SCOPES["all"]
    where = scoped_where(scope, where)
    if releasability is not None:
        where["releasability"] = releasability
    result = AggregateResult(tuple(by), scope=scope, unit=unit)
    if "fiscal_year" in by:
        result.to_date_years = _to_date_years(session)
    facts = _Facts()
    dims = tuple(by)

    # published rows summed in SQL over the columns this question reads (a few hundred
    # groups instead of every row), then each group's dimension values decided once
    needed = sorted({"reporting_country", "releasability"} | _row_columns(dims, where))
    columns = [getattr(AggregateRow, name) for name in needed]
    groups = session.execute(
        select(
            *columns,
            func.sum(AggregateRow.events).label("events"),
            func.sum(AggregateRow.net_mass_kg).label("kg"),
            (func.count() - func.count(AggregateRow.net_mass_kg)).label("without_kg"),
            func.count().label("records"),
            (func.count() - func.count(AggregateRow.events)).label("not_reported"),
        )
        .where(AggregateRow.superseded_at.is_(None))
        .group_by(*columns)
    )
    names = {*dims, *where}
    for group in groups:
        if not visible_to(viewer_country, group.reporting_country, group.releasability):
            continue
        values = facts.aggregate_row(group, names)
        if not _matches(values, where):
            continue
        cell = result.cells.setdefault(tuple(values[d][0] for d in dims), Cell())
        kg = None if group.kg is None else float(group.kg)
        cell.add_sums(
            int(group.events or 0),
            kg,
            int(group.without_kg),
            int(group.records),
            int(group.not_reported),
        )
    _add_row_units(session, result, facts, needed, names, where, viewer_country)

    result.duplicates_excluded = duplicates_held(session)
    _add_events(session, result, facts, where, viewer_country)
    return result


_BLANK_EVENT = {  # the columns a question does not read (see event_sums.EVENT_SOURCES)
    "reporting_country": "",
    "reporting_agency": "",
    "port_code": None,
    "area": None,
    "admin_area": None,
    "location_type": "",
    "concealment": "",
    "transport_mode": "",
    "conveyance": "",
    "source_system": "",
    "releasability": "",
}
_DRUG_DIMENSIONS = ("drug", "drug_group")
# How the event groups are summed: from the summary tables (the benchmark puts
# EventQuery.sums, the GROUP BY over every event, in its place to time the code before).
EVENT_GROUPS: Callable[[Session, EventQuery], list[Any]] = summary_sums


def _add_events(
    session: Session,
    result: AggregateResult,
    facts: _Facts,
    where: Mapping[str, set[str]],
    viewer_country: str | None,
) -> None:
    """Events summed by the database (the summary tables: :mod:`alianza.seizures.summary`;
    the groups :mod:`alianza.seizures.event_sums` defines), each group's
    dimension values then decided once. A question by both ``drug`` and ``drug_group`` counts
    an event under each drug with that drug's own group."""
    dims = result.dimensions
    drug = next((d for d in _DRUG_DIMENSIONS if d in dims), None)
    codes = _drug_codes(facts, where)
    months = _months(session, where)
    if codes == frozenset() or months == []:
        return
    # only the columns the dimensions read (the viewer's restriction is applied by the
    # database; the country, at most two values, keeps a GROUP BY where none is read: no
    # events, no group), and periods no finer than the question's: a few hundred groups.
    # The filters (but drug and period filters) are decided by the database where they can
    # be (see _decided_filters): their columns then are not grouped by.
    grain = period_grain((*dims, *where))
    others = {k: v for k, v in where.items() if k not in _DRUG_DIMENSIONS}
    decided = _decided_filters(session, facts, others, codes, months, viewer_country, grain)
    if decided is None:  # a filter no event passes
        return
    allowed, pushed = decided
    checked = {k: v for k, v in others.items() if k not in pushed}  # decided here, per group
    columns = sorted(
        {"reporting_country"} | {c for name in (*dims, *checked) for c in EVENT_SOURCES[name]}
    )
    query = EventQuery(
        tuple(columns), drug, facts.groups, codes, months, viewer_country, grain, allowed
    )
    keys_of: dict[tuple[Any, ...], list[tuple[str, ...]]] = {}  # the cells of each value
    for row in EVENT_GROUPS(session, query):
        events = int(row.events)
        kg = None if row.kg is None else float(row.kg)
        raw = (*(getattr(row, c) for c in columns), row.drug_value if drug else None)
        keys = keys_of.get(raw)
        if keys is None:
            keys = keys_of[raw] = _event_keys(facts, row, columns, drug, dims, checked, others)
        for key in keys:
            cell = result.cells.setdefault(key, Cell())
            cell.add_sums(events, kg, int(row.without_kg), events)
            for n, unit in enumerate(EVENT_UNITS):
                counted = getattr(row, f"units_{n}")
                cell.add_units(unit, None if counted is None else int(counted))


# How the values of a question's filter columns are read (the summary tables' distinct
# values; the benchmark's GROUP BY over every event reads them there too).
EVENT_VALUES: Callable[[Session, EventQuery], list[tuple[Any, ...]]] = summary_values
# A filter decided by the database whose passing values are more than this is left to the
# groups instead (a long IN list costs more than it saves).
MOST_ALLOWED = 400


def _decided_filters(
    session: Session,
    facts: _Facts,
    where: Mapping[str, set[str]],
    codes: frozenset[str] | None,
    months: list[tuple[date, date]] | None,
    viewer_country: str | None,
    grain: str,
) -> tuple[tuple[tuple[tuple[str, ...], frozenset[tuple[Any, ...]]], ...], set[str]] | None:
    """The filters of ``where`` (not periods) decided once for each distinct value of the
    event columns each reads, among the events of the question: ``(allowed, pushed)``, where
    ``pushed`` are the filters decided so and ``allowed`` the conditions the database applies
    for them (the columns and their passing values; none where every value passes); None
    where some filter lets no event pass. Each value is decided by the same rules as a group
    (``_Facts.event``, ``_matches``), so the cells are those of grouping by the columns and
    deciding each group, from fewer groups: a question need not group by the columns of its
    filters (the place columns of a region, the releasability)."""
    names = [name for name in where if name not in _PERIODS]
    if not names:
        return (), set()
    pushed: set[str] = set()
    allowed: list[tuple[tuple[str, ...], frozenset[tuple[Any, ...]]]] = []
    read = sorted({c for name in names for c in EVENT_SOURCES[name]})
    held: list[tuple[Any, ...]] = []
    if read:
        held = EVENT_VALUES(
            session,
            EventQuery(tuple(read), None, facts.groups, codes, months, viewer_country, grain),
        )
    for name in names:
        sources = tuple(sorted(EVENT_SOURCES[name]))
        at = [read.index(c) for c in sources]
        distinct: set[tuple[Any, ...]] = {tuple(value[n] for n in at) for value in held}
        if not sources:
            distinct = {()}
        passing = frozenset(
            value for value in distinct if _passes(facts, name, where[name], sources, value)
        )
        if not passing:
            return None
        if len(passing) == len(distinct):  # every value held passes: no condition
            pushed.add(name)
        elif len(passing) <= MOST_ALLOWED:
            pushed.add(name)
            allowed.append((sources, passing))
    return tuple(allowed), pushed


def _passes(
    facts: _Facts, name: str, wanted: set[str], columns: Sequence[str], value: tuple[Any, ...]
) -> bool:
    """Whether events whose ``columns`` hold ``value`` (as the summary holds them) pass the
    filter ``name`` in ``wanted``."""
    read = {
        c: (None if c in NULLABLE and v == "" else v) for c, v in zip(columns, value, strict=True)
    }
    values = facts.event(
        SimpleNamespace(**{**_BLANK_EVENT, **read, "event_date": date(2000, 1, 1)})
    )
    return _matches({name: values[name]}, {name: wanted})


def _event_keys(
    facts: _Facts,
    row: Any,
    columns: Sequence[str],
    drug: str | None,
    dims: Sequence[str],
    checked: Mapping[str, set[str]],
    where: Mapping[str, set[str]],
) -> list[tuple[str, ...]]:
    """The cells a group of events counts in (none where it fails a filter of ``checked``,
    the filters the database did not decide; a dimension also filtered keeps the values of
    ``where`` only)."""
    read = {c: getattr(row, c) for c in columns if c not in PERIOD_COLUMNS}
    day = date(int(row.year), int(row.month), 1) if "year" in columns else date(2000, 1, 1)
    values = facts.event(SimpleNamespace(**{**_BLANK_EVENT, **read, "event_date": day}))
    if not _matches(values, checked):
        return []
    if drug == "drug":
        values["drug"] = [row.drug_value]
        values["drug_group"] = [facts.groups.get(row.drug_value, "OTHER")]
    elif drug == "drug_group":
        values["drug_group"] = [row.drug_value]
    choices = [
        [v for v in values[d] if d not in where or _matches({d: [v]}, {d: where[d]})] for d in dims
    ]
    return list(itertools.product(*choices))


def _drug_codes(facts: _Facts, where: Mapping[str, set[str]]) -> frozenset[str] | None:
    """The drug codes the ``drug`` and ``drug_group`` filters keep (None: no such filter)."""
    if not any(d in where for d in _DRUG_DIMENSIONS):
        return None
    return frozenset(
        code
        for code, group in facts.groups.items()
        if ("drug" not in where or _matches({"d": [code]}, {"d": where["drug"]}))
        and ("drug_group" not in where or _matches({"d": [group]}, {"d": where["drug_group"]}))
    )


def _months(session: Session, where: Mapping[str, set[str]]) -> list[tuple[date, date]] | None:
    """The spans of months the period filters keep, as [first day, first day after) ranges
    of event dates (None: no period filter; empty: no month held passes)."""
    periods = {name: where[name] for name in _PERIODS if name in where}
    first, last = date_range(session)
    if not periods or first is None or last is None:
        return None
    spans: list[tuple[date, date]] = []
    month = date(first.year, first.month, 1)
    while month <= last:
        after = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        values = _period_values(month)
        if _matches({n: [values[n]] for n in periods}, periods):
            if spans and spans[-1][1] == month:
                spans[-1] = (spans[-1][0], after)
            else:
                spans.append((month, after))
        month = after
    return spans


def _to_date_years(session: Session) -> frozenset[str]:
    """``FY2026`` where a current published row says its year is still open (FYTD)."""
    years = session.scalars(
        select(AggregateRow.fiscal_year)
        .where(AggregateRow.superseded_at.is_(None), AggregateRow.fiscal_year_to_date.is_(True))
        .distinct()
    )
    return frozenset(f"FY{year}" for year in years)


def _add_row_units(
    session: Session,
    result: AggregateResult,
    facts: _Facts,
    needed: Sequence[str],
    names: Iterable[str],
    where: Mapping[str, set[str]],
    viewer_country: str | None,
) -> None:
    """The counted units (tablets, plants...) of published rows without a mass, by cell."""
    counted = sorted(c.unit for c in conversions().values() if c.is_count)
    columns = [getattr(AggregateRow, name) for name in needed]
    rows = session.execute(
        select(*columns, AggregateRow.unit, AggregateRow.quantity_reported).where(
            AggregateRow.superseded_at.is_(None),
            AggregateRow.net_mass_kg.is_(None),
            AggregateRow.unit.in_(counted),
        )
    )
    for row in rows:
        if not visible_to(viewer_country, row.reporting_country, row.releasability):
            continue
        values = facts.aggregate_row(row, names)
        if not _matches(values, where):
            continue
        try:
            count = int(Decimal(row.quantity_reported))
        except (InvalidOperation, ValueError):
            continue
        cell = result.cells.setdefault(tuple(values[d][0] for d in result.dimensions), Cell())
        cell.add_units(row.unit, count)
