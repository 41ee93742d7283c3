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

A dimension the source does not capture (concealment, transport mode, conveyance and port in
CBP's public files) takes the value ``NOT_REPORTED``, never a made-up category. Events linked as
duplicates of another source's event are left out (counted once, under the first source).
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alianza.codes import code_list, normalize_name
from alianza.codes.calendar import fiscal_quarter_label, fiscal_year_of, quarter_label
from alianza.codes.reference import find_area, find_port
from alianza.releasability import visible_to
from alianza.seizures.models import AggregateRow, DrugItem, DuplicateLink, Event

NOT_REPORTED = "NOT_REPORTED"
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
)
MEASURES = ("seizures", "amount_kg", "records_without_kg")
MULTI = frozenset({"drug", "drug_group", "concealment"})


MX_BORDER_STATES = frozenset(
    normalize_name(state)
    for state in ("Baja California", "Sonora", "Chihuahua", "Coahuila", "Nuevo León", "Tamaulipas")
)


class UnknownDimension(ValueError):
    """A dimension name Alianza does not aggregate by."""


@dataclass
class Cell:
    seizures: int = 0
    amount_kg: float | None = None
    records_without_kg: int = 0

    def add_mass(self, kg: float | None) -> None:
        if kg is None:
            self.records_without_kg += 1
        else:
            self.amount_kg = (self.amount_kg or 0.0) + kg

    def add_sums(self, seizures: int, kg: float | None, without_kg: int) -> None:
        """Add a group of records summed together (``kg`` None: none of them had a mass)."""
        self.seizures += seizures
        if kg is not None:
            self.amount_kg = (self.amount_kg or 0.0) + kg
        self.records_without_kg += without_kg


@dataclass
class AggregateResult:
    dimensions: tuple[str, ...]
    cells: dict[tuple[str, ...], Cell] = field(default_factory=dict)
    duplicates_excluded: int = 0

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for key in sorted(self.cells):
            cell = self.cells[key]
            row: dict[str, Any] = dict(zip(self.dimensions, key, strict=True))
            row["seizures"] = cell.seizures
            row["amount_kg"] = cell.amount_kg
            row["records_without_kg"] = cell.records_without_kg
            out.append(row)
        return out

    def as_json(self) -> str:
        body = {
            "dimensions": list(self.dimensions),
            "measures": list(MEASURES),
            "rows": self.rows(),
            "duplicates_excluded": self.duplicates_excluded,
            "note": "amount_kg null = not reported (no mass in the cell), not zero",
        }
        return json.dumps(body, ensure_ascii=False, indent=2) + "\n"

    def as_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([*self.dimensions, *MEASURES])
        for row in self.rows():
            kg = row["amount_kg"]
            writer.writerow(
                [
                    *(row[d] for d in self.dimensions),
                    row["seizures"],
                    "" if kg is None else repr(kg),
                    row["records_without_kg"],
                ]
            )
        return buffer.getvalue()


def parse_where(items: Sequence[str]) -> dict[str, set[str]]:
    """``["drug=HEROIN", "drug=COCAINE_HCL", "region=SOUTHWEST_BORDER"]`` → filters."""
    where: dict[str, set[str]] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or name not in DIMENSIONS:
            raise UnknownDimension(
                f"bad filter {item!r}: use DIM=VALUE with DIM one of {', '.join(DIMENSIONS)}"
            )
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
        if event.reporting_country == "MX" and not area:
            # Mexico's side of the common border: a port pair, or one of the six border states
            state = normalize_name(event.admin_area or "")
            if port or state in MX_BORDER_STATES:
                region = "MX_NORTHERN_BORDER"
            elif state:
                region = "MX_INTERIOR"
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
        }
        values.update({k: [v] for k, v in _period_values(event.event_date).items()})
        return values


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
    "region": lambda _f, row: str(row.region or NOT_REPORTED),
    "location": lambda _f, row: str(row.area or NOT_REPORTED),
    "location_type": lambda _f, row: str(row.location_type),
    "land_filter": lambda _f, row: str(row.land_filter or NOT_REPORTED),
    "source": lambda _f, row: str(row.source_system),
    "releasability": lambda _f, row: str(row.releasability),
    **{name: _period_of_row(name) for name in _PERIODS},
    **dict.fromkeys(_ROW_CONSTANT, lambda _f, _r: NOT_REPORTED),
}
_EVENT_COLUMNS = (
    Event.id,
    Event.reporting_country,
    Event.reporting_agency,
    Event.port_code,
    Event.area,
    Event.admin_area,
    Event.location_type,
    Event.concealment,
    Event.transport_mode,
    Event.conveyance,
    Event.source_system,
    Event.releasability,
    Event.event_date,
)


# the columns of a published row each dimension is computed from
_ROW_SOURCES: dict[str, tuple[str, ...]] = {
    "drug": ("drug_code",),
    "drug_group": ("drug_code",),
    "country": ("reporting_country",),
    "agency": ("reporting_agency",),
    "component": ("reporting_agency",),
    "region": ("region",),
    "location": ("area",),
    "location_type": ("location_type",),
    "land_filter": ("land_filter",),
    "source": ("source_system",),
    "releasability": ("releasability",),
    **dict.fromkeys(_PERIODS, ("period_month",)),
}
if set(DIMENSIONS) != set(_ROW_SOURCES) | _ROW_CONSTANT:  # a new dimension needs its columns
    raise RuntimeError("aggregate: _ROW_SOURCES does not cover DIMENSIONS")
if set(DIMENSIONS) != set(_ROW_VALUES):
    raise RuntimeError("aggregate: _ROW_VALUES does not cover DIMENSIONS")


def _row_columns(dims: Sequence[str], where: Mapping[str, set[str]]) -> set[str]:
    return {column for d in (*dims, *where) for column in _ROW_SOURCES.get(d, ())}


def _events(session: Session) -> Iterator[tuple[Any, list[Any]]]:
    """Current events that are not duplicates, each with its drug items, as plain rows (the
    columns the dimensions need; no ORM objects: this runs over every record)."""
    duplicates = select(DuplicateLink.event_id)
    query = (
        select(*_EVENT_COLUMNS, DrugItem.drug_code, DrugItem.net_mass_kg)
        .join(DrugItem, DrugItem.event_id == Event.id)
        .where(Event.superseded_at.is_(None), Event.id.not_in(duplicates))
        .order_by(Event.id, DrugItem.position)
        .execution_options(yield_per=5000)
    )
    rows = session.execute(query)
    for _event_id, group in itertools.groupby(rows, key=lambda r: r.id):
        pairs = list(group)
        yield pairs[0], pairs


def aggregate(
    session: Session,
    by: Sequence[str],
    where: Mapping[str, set[str]] | None = None,
    *,
    releasability: set[str] | None = None,
    viewer_country: str | None = None,
) -> AggregateResult:
    """Cells of ``seizures`` and ``amount_kg`` by the dimensions ``by``, over current records
    that match every ``where`` filter (and, if given, whose releasability is in the set, and
    that a user of ``viewer_country`` may see: see :mod:`alianza.seizures.access`)."""
    for name in by:
        if name not in DIMENSIONS:
            raise UnknownDimension(f"unknown dimension {name!r}; use: {', '.join(DIMENSIONS)}")
    where = dict(where or {})
    if releasability is not None:
        where["releasability"] = releasability
    result = AggregateResult(tuple(by))
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
        cell.add_sums(int(group.events), kg, int(group.without_kg))

    result.duplicates_excluded = len(session.scalars(select(DuplicateLink.id)).all())
    drug_filter = where.get("drug"), where.get("drug_group")
    for event, items in _events(session):
        if not visible_to(viewer_country, event.reporting_country, event.releasability):
            continue
        values = facts.event(event)
        kept = [
            i
            for i in items
            if (drug_filter[0] is None or _matches({"d": [i.drug_code]}, {"d": drug_filter[0]}))
            and (
                drug_filter[1] is None
                or _matches({"d": [facts.groups.get(i.drug_code, "OTHER")]}, {"d": drug_filter[1]})
            )
        ]
        if not kept:
            continue
        values["drug"] = sorted({i.drug_code for i in kept})
        values["drug_group"] = sorted({facts.groups.get(i.drug_code, "OTHER") for i in kept})
        if not _matches(values, where):
            continue
        choices = [
            [v for v in values[d] if d not in where or _matches({d: [v]}, {d: where[d]})]
            for d in dims
        ]
        for key in itertools.product(*choices):
            cell = result.cells.setdefault(key, Cell())
            cell.seizures += 1
            for item in kept:
                if "drug" in dims and item.drug_code != key[dims.index("drug")]:
                    continue
                if (
                    "drug_group" in dims
                    and facts.groups.get(item.drug_code, "OTHER") != key[dims.index("drug_group")]
                ):
                    continue
                cell.add_mass(item.net_mass_kg)
    return result
