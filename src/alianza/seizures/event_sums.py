"""Sums of current events computed by the database: one ``GROUP BY`` over the columns a
question reads, the same SQL (SQLAlchemy Core) on SQLite and PostgreSQL.

A group holds the events alike in those columns (and, for a question by drug or drug group,
in that drug value): how many events, their kilograms and their drug items without a mass.
:func:`alianza.seizures.aggregate.aggregate` then decides each group's dimension values once
(a few hundred or thousand groups instead of every event). Events superseded or linked as
duplicates of another source's event are left out here, and so are those a viewer of another
country may not see.

Each event counts once per group: its drug items are summed per event (and drug value) first,
so an event with two items of one drug is one seizure of that drug, as it always was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, extract, false, func, or_, select, tuple_
from sqlalchemy.orm import Session

from alianza.codes import code_list
from alianza.db.database import database_of_reader
from alianza.releasability import MAY_LEAVE
from alianza.seizures.models import DrugItem, DuplicateLink, Event

PERIOD_COLUMNS = ("year", "month")  # of the event date, computed in SQL
NULLABLE = ("port_code", "area", "admin_area")  # a value of these columns is "" for none in
# the summary tables and in EventQuery.allowed (a key column of an upsert cannot be null)
# the columns of an event each dimension is computed from (drug dimensions read the items)
EVENT_SOURCES: dict[str, tuple[str, ...]] = {
    "drug": (),
    "drug_group": (),
    "country": ("reporting_country",),
    "agency": ("reporting_agency",),
    "component": ("reporting_agency",),
    "region": ("area", "port_code", "reporting_country", "admin_area"),
    "location": ("area", "port_code", "admin_area"),
    "location_type": ("location_type",),
    "port": ("port_code",),
    "concealment": ("concealment",),
    "transport_mode": ("transport_mode",),
    "conveyance": ("conveyance",),
    "land_filter": (),
    "source": ("source_system",),
    "releasability": ("releasability",),
    "state": ("reporting_country", "admin_area"),
    "municipality": ("reporting_country", "admin_area"),
    "border_zone": ("reporting_country", "admin_area"),
    "corridor": ("port_code", "reporting_country", "admin_area"),
    **dict.fromkeys(("year", "quarter", "month", "fiscal_year", "fiscal_quarter"), PERIOD_COLUMNS),
}
# the coarsest period of an event's month each period dimension is told from (the fiscal year
# begins with a calendar quarter: October), coarse to fine; see EventQuery.grain
GRAINS = ("year", "quarter", "month")
PERIOD_GRAIN = {
    "year": "year",
    "quarter": "quarter",
    "fiscal_year": "quarter",
    "fiscal_quarter": "quarter",
    "month": "month",
}
EVENT_UNITS = tuple(sorted(code_list("unit").codes))  # every unit an item may be reported in
Months = Sequence[tuple[date, date]]  # [first day, first day after) ranges of event dates


def _column(name: str) -> ColumnElement[Any]:
    if name in PERIOD_COLUMNS:
        return extract(name, Event.event_date).label(name)
    column: ColumnElement[Any] = getattr(Event, name)
    return column


def _count_of(unit: str) -> ColumnElement[Any]:
    """An item's count of ``unit`` (tablets, plants…) where it has no mass, else null."""
    return case((and_(DrugItem.net_mass_kg.is_(None), DrugItem.unit == unit), DrugItem.unit_count))


def _current(viewer_country: str | None, months: Months | None) -> list[ColumnElement[bool]]:
    """Current events, not duplicates, visible to the viewer, in the months asked for."""
    conditions: list[ColumnElement[bool]] = [
        Event.superseded_at.is_(None),
        Event.id.not_in(select(DuplicateLink.event_id)),
    ]
    if viewer_country is not None:  # alianza.releasability.visible_to, in SQL
        conditions.append(
            or_(Event.reporting_country == viewer_country, Event.releasability.in_(MAY_LEAVE))
        )
    if months is not None:
        spans = [and_(Event.event_date >= a, Event.event_date < b) for a, b in months]
        conditions.append(or_(*spans) if spans else false())
    return conditions


def allowed_condition(
    columns: Sequence[ColumnElement[Any]], values: Iterable[tuple[Any, ...]]
) -> ColumnElement[bool]:
    """The rows whose ``columns`` hold one of the tuples ``values`` (in a stable order, so
    that the statement reads the same each time)."""
    chosen = sorted(values)
    if not chosen:
        return false()
    if len(columns) == 1:
        return columns[0].in_([value[0] for value in chosen])
    return tuple_(*columns).in_(chosen)


def period_grain(names: Iterable[str]) -> str:
    """The finest period the dimensions and filters ``names`` tell apart (``year``,
    ``quarter`` or ``month``; ``month`` where none is a period)."""
    grains = [GRAINS.index(PERIOD_GRAIN[n]) for n in names if n in PERIOD_GRAIN]
    return GRAINS[max(grains)] if grains else "month"


@dataclass(frozen=True)
class EventQuery:
    """Which events a question sums and by what: ``columns`` (event columns, ``year``,
    ``month``), ``drug`` (``drug``: by drug code, ``drug_group``: by its group in ``groups``,
    None: neither), the drug items whose code is in ``codes`` (None: all), events in
    ``months`` (None: all), visible to ``viewer_country`` (None: no restriction). ``grain``:
    the period the question tells apart (:func:`period_grain`): where it is ``quarter``, a
    reader may give each group's ``month`` as the first month of its quarter, and where it is
    ``year`` as January (the summary read groups no finer; :meth:`sums` groups by month,
    which gives the same cells)."""

    columns: tuple[str, ...]
    drug: str | None
    groups: Mapping[str, str]
    codes: frozenset[str] | None
    months: Months | None
    viewer_country: str | None
    grain: str = "month"
    # filters decided by the database: for each, the event columns it reads and the values
    # of those columns (as the summary holds them: "" for none) whose events pass it
    allowed: tuple[tuple[tuple[str, ...], frozenset[tuple[Any, ...]]], ...] = ()

    def _keys(self) -> tuple[list[ColumnElement[Any]], ColumnElement[Any] | None]:
        value: ColumnElement[Any] | None = None
        if self.drug == "drug":
            value = DrugItem.drug_code.expression
        elif self.drug == "drug_group":
            value = case(dict(self.groups), value=DrugItem.drug_code, else_="OTHER")
        return [_column(name) for name in self.columns], value

    def _items(self) -> list[ColumnElement[bool]]:
        if self.codes is None:
            return []
        return [DrugItem.drug_code.in_(sorted(self.codes))]

    def _allowed(self) -> list[ColumnElement[bool]]:
        def column(name: str) -> ColumnElement[Any]:
            if name in NULLABLE:
                return func.coalesce(getattr(Event, name), "")
            return _column(name)

        return [allowed_condition([column(n) for n in names], values)
                for names, values in self.allowed]  # fmt: skip

    def sums(self, session: Session) -> list[Any]:
        """Rows of the columns, ``drug_value``, ``events``, ``kg`` (None: no item had a
        mass), ``without_kg`` (items without a mass) and ``units_0``, ``units_1``…: for each unit
        of :data:`EVENT_UNITS` in order, the counted units of the items without a mass (None:
        no such item with a count)."""
        keys, value = self._keys()
        if value is not None:
            keys.append(value.label("drug_value"))
        per_event = [Event.id, *keys]  # an event's items summed once per drug value
        units = [f"units_{n}" for n in range(len(EVENT_UNITS))]
        summed = (
            select(
                *per_event,
                func.sum(DrugItem.net_mass_kg).label("kg"),
                (func.count() - func.count(DrugItem.net_mass_kg)).label("without_kg"),
                *(func.sum(_count_of(u)).label(n) for n, u in zip(units, EVENT_UNITS, strict=True)),
            )
            .join_from(Event, DrugItem, DrugItem.event_id == Event.id)
            .where(*_current(self.viewer_country, self.months), *self._items(), *self._allowed())
            .group_by(*per_event)
            .subquery()
        )
        names = [*self.columns, *(["drug_value"] if value is not None else [])]
        groups = [summed.c[name] for name in names]
        query = select(
            *groups,
            func.count().label("events"),
            func.sum(summed.c.kg).label("kg"),
            func.sum(summed.c.without_kg).label("without_kg"),
            *(func.sum(summed.c[name]).label(name) for name in units),
        ).group_by(*groups)
        return list(session.execute(query))


def date_range(session: Session) -> tuple[date | None, date | None]:
    """The first and last event dates held (any record; read from the date index: two
    queries, since SQLite reads one end of an index only for a lone ``min`` or ``max``)."""
    first = session.scalar(select(func.min(Event.event_date)))
    last = session.scalar(select(func.max(Event.event_date)))
    return first, last


_DUPLICATES_HELD = "alianza_duplicates_held"


def duplicates_held(session: Session) -> int:
    """The duplicate links held (the events every total leaves out). Counted once per reader
    session: it reads one snapshot, so the count cannot change within it, and a page asking
    several questions (the joint analysis: five) would count the whole table each time (about
    13 ms each on PostgreSQL at 200,000 links)."""
    if database_of_reader(session) is None:  # a write transaction: it may link more
        return _count_links(session)
    if _DUPLICATES_HELD not in session.info:
        session.info[_DUPLICATES_HELD] = _count_links(session)
    return int(session.info[_DUPLICATES_HELD])


def _count_links(session: Session) -> int:
    return int(session.scalar(select(func.count(DuplicateLink.id))) or 0)
