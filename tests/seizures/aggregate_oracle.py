"""The Python pass over every event that ``seizures aggregate`` made before issue 19 (commit
2d3a610), kept verbatim as the oracle of the SQL ``GROUP BY`` that replaced it: the tests and
``benchmarks/aggregate_scale.py`` compare the two cell for cell. Not product code."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alianza.releasability import visible_to
from alianza.seizures.aggregate import (
    DIMENSIONS,
    UNITS,
    AggregateResult,
    Cell,
    UnknownDimension,
    _add_row_units,
    _Facts,
    _matches,
    _row_columns,
    _to_date_years,
)
from alianza.seizures.models import AggregateRow, DrugItem, DuplicateLink, Event
from alianza.seizures.scopes import SCOPES, Scope, scoped_where

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


def _events(session: Session) -> Iterator[tuple[Any, list[Any]]]:
    """Current events that are not duplicates, each with its drug items, as plain rows (the
    columns the dimensions need; no ORM objects: this runs over every record)."""
    duplicates = select(DuplicateLink.event_id)
    query = (
        select(
            *_EVENT_COLUMNS,
            DrugItem.drug_code,
            DrugItem.net_mass_kg,
            DrugItem.unit,
            DrugItem.unit_count,
        )
        .join(DrugItem, DrugItem.event_id == Event.id)
        .where(Event.superseded_at.is_(None), Event.id.not_in(duplicates))
        .order_by(Event.id, DrugItem.position)
        .execution_options(yield_per=5000)
    )
    rows = session.execute(query)
    for _event_id, group in itertools.groupby(rows, key=lambda r: r.id):
        pairs = list(group)
        yield pairs[0], pairs


def python_aggregate(
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
            raise UnknownDimension(f"unknown dimension {name!r}; use: {', '.join(DIMENSIONS)}")
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; use: {', '.join(UNITS)}")
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
            cell.records += 1
            for item in kept:
                if "drug" in dims and item.drug_code != key[dims.index("drug")]:
                    continue
                if (
                    "drug_group" in dims
                    and facts.groups.get(item.drug_code, "OTHER") != key[dims.index("drug_group")]
                ):
                    continue
                cell.add_mass(item.net_mass_kg)
                if item.net_mass_kg is None:
                    cell.add_units(item.unit, item.unit_count)
    return result
