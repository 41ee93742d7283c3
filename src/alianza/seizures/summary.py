"""Summary tables of the counted seizure events (issue 19), kept in the import's transaction,
and the totals read from them: every event total is a ``GROUP BY`` over a few summary rows
instead of over every event and drug item.

Counted events are current (not superseded) and not linked as a duplicate of another
source's event; an event without a drug item counts nowhere (as in
:mod:`alianza.seizures.event_sums`). Three tables, all keyed by the event columns the
dimensions read (:data:`~alianza.seizures.models.SUMMARY_KEYS`: country, agency, source,
releasability, location type, port, area, place, concealment, transport, conveyance, year and
month; releasability is kept so that a viewer of another country never sees national-only
events through a total):

- :class:`~alianza.seizures.models.SummaryEvent`: how many events, by their *set* of drug
  codes (one bit a code in ``drugs``). An event with several items counts once in one row, so
  "events with a drug of this group" or "events with any of these drugs" is a sum over the rows
  whose set meets the group or the filter, never a sum over drugs (which would count an event
  with heroin and fentanyl twice);
- :class:`~alianza.seizures.models.SummaryItem`: by drug code, the events having that drug,
  their items, kilograms and items with a mass (the amount of a cell);
- :class:`~alianza.seizures.models.SummaryUnit`: by drug code and unit, the counted units of
  items without a mass (tablets, plants).

Maintenance is by difference: an import adds its new counted events (one ``INSERT … SELECT …
GROUP BY … ON CONFLICT DO UPDATE`` a table, over the batch's events) and subtracts the events
it superseded (:func:`after_import`); :func:`rebuild` recomputes the tables from the events
(the migration that creates them, the consistency tests, ``alianza seizures summary
rebuild``). One code path for SQLite and PostgreSQL: only the ``INSERT … ON CONFLICT``
construct is the dialect's own.

The rollup tables (:class:`~alianza.seizures.models.RollupEvent`, ``RollupItem``,
``RollupUnit``) hold the same totals at a coarser grain,
:data:`~alianza.seizures.models.ROLLUP_KEYS`: without the place and concealment columns, which
multiply the rows most. The place rollup tables (:class:`~alianza.seizures.models.PlaceEvent`,
``PlaceItem``, ``PlaceUnit``) hold them keyed by place instead,
:data:`~alianza.seizures.models.PLACE_ROLLUP_KEYS`: without location type, concealment,
transport mode and conveyance, which the place questions (the map, totals by port or region,
the exchange's common-border and location tables, the joint analysis) do not read. The method
rollup tables (:class:`~alianza.seizures.models.MethodEvent`, ``MethodItem``, ``MethodUnit``)
hold them without the place columns only,
:data:`~alianza.seizures.models.METHOD_ROLLUP_KEYS`: what a question by concealment over a
region reads once the database has decided its region (the package's concealment table).
All are kept by the same statements, in the same transaction, and a question whose columns
(dimensions, the filters not decided by the database, the columns of those it decides where
some value fails them, the viewer's restriction) all fall within one grain reads that grain
instead (:func:`sums`, the smaller first: :data:`READ_ORDER`): the same cells from fewer
rows. :func:`values` reads the distinct values of a question's filter columns, for
:func:`alianza.seizures.aggregate.aggregate` to decide its filters on them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Integer,
    MetaData,
    Select,
    Table,
    and_,
    case,
    delete,
    distinct,
    extract,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    true,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from alianza.codes import code_list
from alianza.releasability import MAY_LEAVE
from alianza.seizures.event_sums import EVENT_UNITS, EventQuery, allowed_condition
from alianza.seizures.models import (
    METHOD_ROLLUP_KEYS,
    PLACE_ROLLUP_KEYS,
    ROLLUP_KEYS,
    SUMMARY_KEYS,
    DrugItem,
    DuplicateLink,
    Event,
    MethodEvent,
    MethodItem,
    MethodUnit,
    PlaceEvent,
    PlaceItem,
    PlaceUnit,
    RollupEvent,
    RollupItem,
    RollupUnit,
    SummaryEvent,
    SummaryItem,
    SummaryUnit,
)

EVENT_TABLE = cast(Table, SummaryEvent.__table__)
ITEM_TABLE = cast(Table, SummaryItem.__table__)
UNIT_TABLE = cast(Table, SummaryUnit.__table__)
SUMMARY_TABLES = (EVENT_TABLE, ITEM_TABLE, UNIT_TABLE)
ROLLUP_TABLES = tuple(cast(Table, m.__table__) for m in (RollupEvent, RollupItem, RollupUnit))
PLACE_TABLES = tuple(cast(Table, m.__table__) for m in (PlaceEvent, PlaceItem, PlaceUnit))
METHOD_TABLES = tuple(cast(Table, m.__table__) for m in (MethodEvent, MethodItem, MethodUnit))
# each grain: its key columns and its (event, item, unit) tables, the finest first (numbered
# in the order the migrations made them: see rebuild's grains)
LEVELS: tuple[tuple[tuple[str, ...], tuple[Table, ...]], ...] = (
    (SUMMARY_KEYS, SUMMARY_TABLES),
    (ROLLUP_KEYS, ROLLUP_TABLES),
    (PLACE_ROLLUP_KEYS, PLACE_TABLES),
    (METHOD_ROLLUP_KEYS, METHOD_TABLES),
)
# the grains a question may read, the fewest rows first (at a million generated events the
# rollup's event table holds about a tenth of the summary's rows; the place rollup's and the
# method rollup's fewer than the summary's, more than the rollup's where it holds a question;
# a question the place and the method rollups both hold, the rollup holds)
READ_ORDER = (1, 2, 3, 0)
TABLES = tuple(table for _names, tables in LEVELS for table in tables)
MAINTAIN = True  # False only in the benchmark that measures the import without the upkeep
_NULLABLE = ("port_code", "area", "admin_area")  # kept as "" in the summary
GROUPING_MEMORY = "64MB"  # PostgreSQL's work_mem while the tables are kept (see _memory)
UNKNOWN_DRUG = 1 << 62  # the bit of a drug code not in the code list (counted as OTHER)
# groups a Tally holds in memory before it writes them out (about 300 bytes each)
TALLY_MAX_GROUPS = 200_000
# The order the grouping columns are compared in (a ``GROUP BY``'s sort on SQLite, which
# compares the columns of two rows in its order until one differs): those that vary most
# first, so that most comparisons end at the first or second column instead of walking
# through the country, agency and source that nearly every row of an import shares (the
# grouping of 100,000 events' rows took a fifth to a quarter less CPU in this order).
GROUPING_ORDER = (
    "year",
    "month",
    "drugs",
    "drug_code",
    "port_code",
    "area",
    "admin_area",
    "concealment",
    "unit",
    "conveyance",
    "transport_mode",
    "location_type",
    "source_system",
    "reporting_agency",
    "releasability",
    "reporting_country",
)


def drug_bits() -> dict[str, int]:
    """The bit of each drug code of the code list in ``drugs`` (codes in order). A change of
    the code list changes the bits: :func:`rebuild` then (a migration does)."""
    return {code: 1 << n for n, code in enumerate(sorted(code_list("drug").codes))}


def _grouping(columns: Iterable[ColumnElement[Any]]) -> list[ColumnElement[Any]]:
    """``columns`` in :data:`GROUPING_ORDER` (the rest after them, as given)."""
    rank = {name: n for n, name in enumerate(GROUPING_ORDER)}
    listed = list(columns)
    return sorted(listed, key=lambda c: rank.get(getattr(c, "name", ""), len(rank)))


def _keys(names: tuple[str, ...], dialect: str = "") -> list[ColumnElement[Any]]:
    out: list[ColumnElement[Any]] = []
    for name in names:
        if name in ("year", "month") and dialect == "sqlite":
            # SQLite holds a date as 'YYYY-MM-DD' text: its digits, read without strftime's
            # parsing of the date (about half strftime's time)
            start, length = (1, 4) if name == "year" else (6, 2)
            part = func.substr(Event.event_date, start, length)
            out.append(sql_cast(part, Integer).label(name))
        elif name in ("year", "month"):
            out.append(extract(name, Event.event_date).label(name))
        elif name in _NULLABLE:
            out.append(func.coalesce(getattr(Event, name), "").label(name))
        else:
            out.append(getattr(Event, name).label(name))
    return out


def _counted() -> list[ColumnElement[bool]]:
    return [Event.superseded_at.is_(None), Event.id.not_in(select(DuplicateLink.event_id))]


def _contributions(
    events: Iterable[ColumnElement[bool]],
    sign: int,
    names: tuple[str, ...] = SUMMARY_KEYS,
    tables: tuple[Table, ...] = SUMMARY_TABLES,
    dialect: str = "",
) -> list[tuple[Table, Select[Any], tuple[str, ...]]]:
    """For each table of one grain (key columns ``names``; ``tables``: event, item, unit):
    the ``SELECT … GROUP BY`` of the events matching ``events`` (their rows, measures times
    ``sign``), and its measure columns. ``dialect``: the database's (how a date's year and
    month are read)."""
    where = list(events)
    keys = _keys(names, dialect)
    bits = drug_bits()
    n = literal(sign)
    # an event's set of drugs: the sum of the distinct bits of its items' codes
    bit = case(bits, value=DrugItem.drug_code, else_=UNKNOWN_DRUG)
    per_event = (
        select(*keys, func.sum(distinct(bit)).label("drugs"))
        .join_from(Event, DrugItem, DrugItem.event_id == Event.id)
        .where(*where)
        .group_by(Event.id)  # the key columns depend on it (the primary key)
        .subquery()
    )
    grouped = [per_event.c[name] for name in (*names, "drugs")]
    event_rows = select(*grouped, (func.count() * n).label("events")).group_by(*_grouping(grouped))
    item_keys = [*keys, DrugItem.drug_code.label("drug_code")]
    per_drug = (  # an event's items of one drug (an event counts once a drug)
        select(
            *item_keys,
            func.count().label("items"),
            func.sum(DrugItem.net_mass_kg).label("kg"),
            func.count(DrugItem.net_mass_kg).label("kg_items"),
        )
        .join_from(Event, DrugItem, DrugItem.event_id == Event.id)
        .where(*where)
        .group_by(Event.id, DrugItem.drug_code)
        .subquery()
    )
    drug_keys = [per_drug.c[name] for name in (*names, "drug_code")]
    item_rows = select(
        *drug_keys,
        (func.count() * n).label("events"),
        (func.sum(per_drug.c["items"]) * n).label("items"),
        (func.coalesce(func.sum(per_drug.c.kg), 0.0) * n).label("kg"),
        (func.sum(per_drug.c.kg_items) * n).label("kg_items"),
    ).group_by(*_grouping(drug_keys))
    unit_keys = [*item_keys, DrugItem.unit.label("unit")]
    unit_rows = (
        select(
            *unit_keys,
            (func.sum(DrugItem.unit_count) * n).label("counted"),
            (func.count() * n).label("counted_items"),
        )
        .join_from(Event, DrugItem, DrugItem.event_id == Event.id)
        .where(*where, DrugItem.net_mass_kg.is_(None), DrugItem.unit_count.is_not(None))
        .group_by(*_grouping(unit_keys))
    )
    event_table, item_table, unit_table = tables
    return [
        (event_table, event_rows, ("events",)),
        (item_table, item_rows, ("events", "items", "kg", "kg_items")),
        (unit_table, unit_rows, ("counted", "counted_items")),
    ]


def _add(
    connection: Connection,
    events: Iterable[ColumnElement[bool]],
    sign: int,
    tally: Tally | None = None,
) -> None:
    """Add (``sign`` 1) or take away (-1) the events matching ``events`` from the tables of
    every grain; rows left at zero are deleted. The events are read once: for each table of
    the finest grain, its ``SELECT … GROUP BY`` over them fills a temporary table (the
    change), which is added to that table (upsert) and, summed over the columns a coarser
    grain drops, to that grain's table. With a ``tally`` (SQLite), its rows fill the
    temporary tables instead: the events are not read back."""
    dialect = connection.dialect.name
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    _memory(connection)
    (finest, fine_tables), *coarser = LEVELS
    written = tally.write(connection) if tally is not None else None
    for n, (table, rows, measures) in enumerate(
        _contributions(list(events), sign, finest, fine_tables, dialect)
    ):
        names = [c.name for c in rows.selected_columns]
        if written is not None:  # the tally's rows (one key may be on several: summed)
            change = written[n]
        else:
            change = _change_table(n, table, names)
            change.create(connection)
            connection.execute(change.insert().from_select(names, rows))
        _upsert(connection, make, table, select(*change.c).where(true()), measures, sign)
        for keys, tables in coarser:
            by = [
                change.c[k] for k in names if k not in measures and (k in keys or k not in finest)
            ]
            summed = select(*by, *(func.sum(change.c[m]).label(m) for m in measures))
            summed = summed.group_by(*_grouping(by))
            _upsert(connection, make, tables[n], summed, measures, sign)
        change.drop(connection)


def _year_month(day: Any) -> tuple[int, int]:
    """The year and month of an event date as the driver takes it: SQLite's 'YYYY-MM-DD'
    text, or a date."""
    if isinstance(day, str):
        return int(day[:4]), int(day[5:7])
    return day.year, day.month


def _change_table(n: int, table: Table, names: list[str], kind: str = "change") -> Table:
    """The temporary table of the change of the finest grain's ``n``-th table (``kind``:
    ``tally`` for a :class:`Tally`'s, which lives beside the others while an import runs)."""
    return Table(
        f"seizure_summary_{kind}_{n}",
        MetaData(),
        *(Column(name, table.c[name].type) for name in names),
        prefixes=["TEMPORARY"],
    )


class Tally:
    """The finest grain's change made by events as the loader writes them (SQLite): the rows
    of the three temporary tables of :func:`_add`, summed in Python from the very values
    stored (the driver's rows, columns named by ``event_columns`` and ``item_columns``), so
    that the upkeep of a large import does not read its events back and group them again
    (SQLite groups by sorting: a 100,000-event import spent about a third of its time there).
    Every event added counts: those that end up superseded or linked as duplicates are taken
    away after (:func:`after_import`)."""

    def __init__(self, event_columns: Sequence[str], item_columns: Sequence[str]) -> None:
        at = {name: n for n, name in enumerate(event_columns)}
        named = [name for name in SUMMARY_KEYS if name not in ("year", "month")]
        self._keys = itemgetter(*(at[name] for name in named))
        self._id, self._date = at["id"], at["event_date"]
        at = {name: n for n, name in enumerate(item_columns)}
        self._item = itemgetter(
            *(at[name] for name in ("event_id", "drug_code", "net_mass_kg", "unit", "unit_count"))
        )
        self._bits = drug_bits()
        self.events: dict[tuple[Any, ...], int] = {}
        self.items: dict[tuple[Any, ...], list[Any]] = {}  # events, items, kg, kg_items
        self.units: dict[tuple[Any, ...], list[int]] = {}  # counted, counted items
        self._made: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self._months: dict[Any, tuple[int, int]] = {}
        self._drugs: dict[int, int] = {}  # of a chunk's events: the bits of their drugs
        self._changes: list[Table] | None = None  # the temporary tables written to, once made

    def add(self, event_rows: Sequence[Sequence[Any]], item_rows: Sequence[Sequence[Any]]) -> None:
        # the key columns of an event: few distinct values but for the date, so each distinct
        # value and each distinct date is made once
        made, months = self._made, self._months
        keys: dict[int, tuple[Any, ...]] = {}
        at_id, at_date, key_of = self._id, self._date, self._keys
        for row in event_rows:
            values = key_of(row)
            base = made.get(values)
            if base is None:
                base = made[values] = tuple("" if v is None else v for v in values)
            day = row[at_date]
            month = months.get(day)
            if month is None:
                month = months[day] = _year_month(day)
            keys[row[at_id]] = base + month
        bits, drugs, others = self._bits, self._drugs, set[tuple[int, str]]()
        items, units = self.items, self.units
        for event, drug, kg, unit, count in map(self._item, item_rows):
            held = drugs.get(event, 0)
            bit = bits.get(drug, UNKNOWN_DRUG)
            drugs[event] = held | bit
            if bit == UNKNOWN_DRUG:  # codes not in the list share a bit
                first = (event, drug) not in others
                others.add((event, drug))
            else:
                first = not held & bit
            key = keys[event] + (drug,)
            sums = items.get(key)
            if sums is None:
                sums = items[key] = [0, 0, 0.0, 0]
            sums[0] += first  # the events having this drug
            sums[1] += 1
            if kg is not None:
                sums[2] += kg
                sums[3] += 1
            elif count is not None:
                key += (unit,)
                counted = units.get(key)
                if counted is None:
                    counted = units[key] = [0, 0]
                counted[0] += count
                counted[1] += 1
        events = self.events
        for event, found in drugs.items():
            key = keys[event] + (found,)
            events[key] = events.get(key, 0) + 1
        drugs.clear()

    @property
    def groups(self) -> int:
        """The groups held in memory (written out past :data:`TALLY_MAX_GROUPS`)."""
        return len(self.events) + len(self.items) + len(self.units)

    def write(self, connection: Connection) -> list[Table]:
        """Write the groups held to the temporary change tables (made at the first call) and
        forget them, so that a tally's memory stays bounded however large the import: a
        group may then be on several rows of a table, which the upsert of :func:`_add`
        sums. The tables, in the finest grain's order."""
        if self._changes is None:
            self._changes = []
            contributions = _contributions([], 1, SUMMARY_KEYS, SUMMARY_TABLES, "sqlite")
            for n, (table, rows, _measures) in enumerate(contributions):
                names = [c.name for c in rows.selected_columns]
                change = _change_table(n, table, names, "tally")
                change.create(connection)
                self._changes.append(change)
        for change, tallied in zip(self._changes, self.rows(), strict=True):
            if tallied:
                marks = ", ".join("?" * len(change.c))
                connection.exec_driver_sql(f"INSERT INTO {change.name} VALUES ({marks})", tallied)
        self.events, self.items, self.units = {}, {}, {}
        return self._changes

    def rows(self) -> tuple[list[tuple[Any, ...]], ...]:
        """The rows of the event, item and unit changes, columns as :func:`_contributions`
        selects them (keys, then measures)."""
        return (
            [(*key, events) for key, events in self.events.items()],
            [(*key, *sums) for key, sums in self.items.items()],
            [(*key, *sums) for key, sums in self.units.items()],
        )


def _upsert(
    connection: Connection,
    make: Any,
    table: Table,
    rows: Select[Any],
    measures: tuple[str, ...],
    sign: int,
) -> None:
    """``rows`` added to ``table`` (``INSERT … SELECT … ON CONFLICT DO UPDATE``: the measures
    of a row already there summed); where ``sign`` is negative, rows left at zero deleted."""
    names = [c.name for c in rows.selected_columns]
    statement = make(table).from_select(names, rows)
    statement = statement.on_conflict_do_update(
        index_elements=[n for n in names if n not in measures],
        set_={m: table.c[m] + statement.excluded[m] for m in measures},
    )
    connection.execute(statement)
    if sign < 0:
        unit = "counted_items" in table.c
        empty = table.c["counted_items" if unit else "events"] <= 0
        connection.execute(delete(table).where(empty))


def after_import(
    session: Session,
    batch_id: int,
    now: datetime,
    loaded: int = 0,
    superseded: bool = True,
    tally: Tally | None = None,
    linked: bool = True,
) -> None:
    """Bring the tables up to date after an import stored its events and linked its
    duplicates (the one call the import makes, in its transaction): add the batch's new
    counted events, take away the events it superseded (``superseded_at`` = the import's
    time; they were counted: an event linked as a duplicate is always a new one). After a
    large import (``loaded`` events) on PostgreSQL, the planner's statistics of the tables
    are brought up to date, as the import does for the events: a table that grew from
    nothing looks empty to the planner until autovacuum comes by, and a read then sorts its
    rows on disk instead of hashing them (at 100,000 events, 0.23 s instead of 0.06 s).
    ``superseded``: False when the import superseded no event (nothing to take away: the
    search for them, a scan of every event, is skipped). ``tally``: the batch's events as
    the loader wrote them (:class:`Tally`), added as they are; those of them not counted
    (linked as duplicates) are then taken away, read from the database; ``linked``: False
    when the import linked none of its events as a duplicate, so that none is to be taken
    away (its events are new, hence current: a file's repeated keys are refused)."""
    from alianza.seizures.load import ANALYZE_MIN_ROWS  # loaded by the import, not by reads

    connection = session.connection()
    if not MAINTAIN:
        for change in tally.write(connection) if tally is not None else []:
            change.drop(connection)  # the tally's tables, made while loading, are not read
        return
    if superseded:
        taken = [
            Event.superseded_at == now,
            Event.batch_id != batch_id,
            Event.id.not_in(select(DuplicateLink.event_id)),
        ]
        _add(connection, taken, -1)
    if tally is None:
        _add(connection, [Event.batch_id == batch_id, *_counted()], 1)
    else:
        _add(connection, [], 1, tally)
        if linked:
            uncounted = or_(
                Event.superseded_at.is_not(None), Event.id.in_(select(DuplicateLink.event_id))
            )
            _add(connection, [Event.batch_id == batch_id, uncounted], -1)
    if loaded >= ANALYZE_MIN_ROWS and connection.dialect.name == "postgresql":
        connection.execute(text(f"ANALYZE {', '.join(t.name for t in TABLES)}"))


def _memory(connection: Connection) -> None:
    """PostgreSQL: group the events in memory (hashing) rather than by sorting on disk, for the
    rest of the transaction (the default 4 MB spilled a 100,000-event import's groups)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"SET LOCAL work_mem = '{GROUPING_MEMORY}'"))


def rebuild(connection: Connection, grains: Iterable[int] | None = None) -> None:
    """Recompute the tables from the events (in the caller's transaction): those of every
    grain, or of the grains numbered ``grains`` in :data:`LEVELS` only (a migration: the
    tables it made)."""
    _memory(connection)
    chosen = range(len(LEVELS)) if grains is None else grains
    for names, tables in (LEVELS[n] for n in chosen):
        for table in tables:
            connection.execute(delete(table))
        contributions = _contributions(_counted(), 1, names, tables, connection.dialect.name)
        for table, rows, _measures in contributions:
            columns = [c.name for c in rows.selected_columns]
            connection.execute(table.insert().from_select(columns, rows))


def snapshot(connection: Connection) -> dict[str, set[tuple[Any, ...]]]:
    """Every row of the tables of every grain without its id (kilograms rounded to 6 decimals: an
    upkept sum and a fresh one add the same numbers in another order), to compare."""
    out: dict[str, set[tuple[Any, ...]]] = {}
    for table in TABLES:
        columns = [c for c in table.c if c.name != "id"]
        kg = [n for n, c in enumerate(columns) if c.name == "kg"]
        rows = connection.execute(select(*columns)).all()
        out[table.name] = {
            tuple(round(v, 6) if n in kg else v for n, v in enumerate(row)) for row in rows
        }
    return out


# --- reading ----------------------------------------------------------------------------


def _where(table: Table, query: EventQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if query.viewer_country is not None:  # alianza.releasability.visible_to, in SQL
        conditions.append(
            or_(
                table.c.reporting_country == query.viewer_country,
                table.c.releasability.in_(MAY_LEAVE),
            )
        )
    if query.months is not None:  # [first day, first day after) of whole months, by year
        spans: list[ColumnElement[bool]] = []
        for a, b in query.months:
            last = b.year * 12 + b.month - 2  # the span's last month, counted from year 0
            for year in range(a.year, last // 12 + 1):
                low = a.month if year == a.year else 1
                high = last % 12 + 1 if year == last // 12 else 12
                spans.append(and_(table.c.year == year, table.c.month.between(low, high)))
        conditions.append(or_(*spans) if spans else false())
    for names, values in query.allowed:  # filters decided by the database
        conditions.append(allowed_condition([table.c[n] for n in names], values))
    return conditions


def values(session: Session, query: EventQuery) -> list[tuple[Any, ...]]:
    """The distinct values of ``query.columns`` (no period column) among the counted events
    of the question (its months, the viewer's restriction), as the tables hold them (``""``
    for no port, area or place), from the coarsest grain holding them: a few rows for the
    filters to be decided on (see
    :func:`alianza.seizures.aggregate.aggregate`). Read from the item table, whose keys are
    those of the event table (a counted event has an item of each of its drugs) in a fraction
    of its rows (by drug instead of by set of drugs)."""
    table = _coarsest(query)[1]
    columns = [table.c[name] for name in query.columns]
    rows = session.execute(select(*columns).where(*_where(table, query)).distinct())
    return [tuple(row) for row in rows]


@dataclass
class _Sums:
    events: int = 0
    kg: float = 0.0
    kg_items: int = 0
    without_kg: int = 0
    units: dict[int, int] | None = None


def sums(session: Session, query: EventQuery) -> list[Any]:
    """The rows :meth:`EventQuery.sums <alianza.seizures.event_sums.EventQuery.sums>` gives,
    read from the summary tables: the same groups, events, kilograms, items without a mass
    and counted units. The database groups each table by the question's columns (and drug
    value); the three results are then joined by group here."""
    # a question by year reads no month: every group's month is January (see _rows)
    names = [n for n in query.columns if n != "month" or query.grain != "year"]
    event_table, item_table, unit_table = _tables(query)
    bits = drug_bits()
    wanted = bits if query.codes is None else {c: b for c, b in bits.items() if c in query.codes}
    groups: dict[tuple[Any, ...], _Sums] = {}

    width = len(names)  # every query selects the question's columns first, in this order

    def group(row: Any, value: str | None) -> _Sums:
        key = (*row[:width], value)
        return groups.setdefault(key, _Sums())

    def value(table: Table) -> ColumnElement[Any] | None:
        if query.drug == "drug":
            return table.c.drug_code
        if query.drug == "drug_group":
            return case(dict(query.groups), value=table.c.drug_code, else_="OTHER")
        return None

    def codes(table: Table) -> list[ColumnElement[bool]]:
        return [] if query.codes is None else [table.c.drug_code.in_(sorted(query.codes))]

    # events: by drug, the events having it (item table); otherwise by the set of drugs, an
    # event counted once where its set meets the drugs asked for (or the group's drugs)
    if query.drug != "drug":
        t = event_table
        keys = _grouped(t, names, query.grain)
        if query.drug == "drug_group":
            masks: dict[str, int] = {}
            for code, b in wanted.items():
                name = query.groups.get(code, "OTHER")
                masks[name] = masks.get(name, 0) | b
            if query.codes is None:  # codes not in the list are OTHER (no filter keeps them)
                masks["OTHER"] = masks.get("OTHER", 0) | UNKNOWN_DRUG
        else:
            mask = sum(wanted.values()) | (UNKNOWN_DRUG if query.codes is None else 0)
            masks = {"": mask}
        order = sorted(masks)
        meets = [
            func.sum(case((t.c.drugs.op("&")(masks[name]) != 0, t.c.events), else_=0)).label(
                f"events_{n}"
            )
            for n, name in enumerate(order)
        ]
        where = _where(t, query)
        if query.codes is not None and query.drug is None:
            where.append(t.c.drugs.op("&")(masks[""]) != 0)
        for row in session.execute(select(*keys, *meets).where(*where).group_by(*keys)):
            for n, name in enumerate(order):
                counted = int(getattr(row, f"events_{n}") or 0)
                if counted:
                    group(row, name if query.drug == "drug_group" else None).events += counted
    # kilograms and items of the drugs asked for, by drug value
    t = item_table
    keys = _grouped(t, names, query.grain)
    drug = value(t)
    by = [*keys, *([] if drug is None else [drug.label("drug_value")])]
    rows = session.execute(
        select(
            *by,
            func.sum(t.c.events).label("events"),
            func.sum(t.c["items"]).label("items"),
            func.sum(t.c.kg).label("kg"),
            func.sum(t.c.kg_items).label("kg_items"),
        )
        .where(*_where(t, query), *codes(t))
        .group_by(*by)
    )
    for row in rows:
        sums_ = group(row, None if drug is None else row.drug_value)
        if query.drug == "drug":
            sums_.events += int(row.events)
        sums_.kg += float(row.kg or 0.0)
        sums_.kg_items += int(row.kg_items)
        sums_.without_kg += int(row.items) - int(row.kg_items)
    # counted units of the items without a mass
    t = unit_table
    keys = _grouped(t, names, query.grain)
    drug = value(t)
    by = [*keys, *([] if drug is None else [drug.label("drug_value")]), t.c.unit]
    rows = session.execute(
        select(*by, func.sum(t.c.counted).label("counted"))
        .where(*_where(t, query), *codes(t), t.c.unit.in_(EVENT_UNITS))
        .group_by(*by)
    )
    position = {u: n for n, u in enumerate(EVENT_UNITS)}
    for row in rows:
        sums_ = group(row, None if drug is None else row.drug_value)
        units = sums_.units if sums_.units is not None else {}
        sums_.units = units
        units[position[row.unit]] = units.get(position[row.unit], 0) + int(row.counted)
    fixed = {"month": 1} if len(names) < len(query.columns) else {}
    return _rows(groups, names, query.drug is not None, fixed)


def _tables(query: EventQuery) -> tuple[Table, ...]:
    """The tables :func:`sums` reads for ``query`` (see :func:`_coarsest`)."""
    return _coarsest(query)


def _coarsest(query: EventQuery) -> tuple[Table, ...]:
    """The tables of the coarsest grain holding every column the question reads: its
    dimensions' and filters' columns, the period, and the viewer's restriction's columns."""
    needed = {*query.columns, "year", "month"}
    needed |= {name for names, _values in query.allowed for name in names}
    if query.viewer_country is not None:
        needed |= {"reporting_country", "releasability"}
    for n in READ_ORDER:
        if n >= len(LEVELS):
            continue
        names, tables = LEVELS[n]
        if needed <= set(names):
            return tables
    return SUMMARY_TABLES


def _grouped(table: Table, names: list[str], grain: str) -> list[ColumnElement[Any]]:
    """The columns ``names`` of ``table`` to group by; at the grain of a quarter, ``month`` is
    the first month of its quarter (1, 4, 7, 10), so the database sums a quarter's months
    together."""
    out: list[ColumnElement[Any]] = []
    for name in names:
        column = table.c[name]
        if name == "month" and grain == "quarter":  # integer division on both backends
            one, three = (literal_column(n, Integer) for n in ("1", "3"))  # not bound: the
            out.append(((column - one) // three * three + one).label(name))  # same in GROUP BY
        else:
            out.append(column)
    return out


def _rows(
    groups: Mapping[tuple[Any, ...], _Sums],
    names: list[str],
    by_drug: bool,
    fixed: Mapping[str, Any],
) -> list[Any]:
    out = []
    for key, s in groups.items():
        if not s.events:  # no counted event of the drugs asked for
            continue
        values: dict[str, Any] = {**dict(zip(names, key[:-1], strict=True)), **fixed}
        for name in _NULLABLE:
            if name in values and values[name] == "":
                values[name] = None
        if by_drug:
            values["drug_value"] = key[-1]
        values["events"] = s.events
        values["kg"] = s.kg if s.kg_items else None
        values["without_kg"] = s.without_kg
        for n in range(len(EVENT_UNITS)):
            values[f"units_{n}"] = None if s.units is None else s.units.get(n)
        out.append(SimpleNamespace(**values))
    return out
