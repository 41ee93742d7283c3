"""Write checked records in the caller's transaction: new, unchanged or revised; quarantine
rejected rows; release quarantined rows that a corrected file fixes.

Work is done in chunks (bulk inserts, key look-ups with ``IN``), so a million-row file streams
through in bounded memory while staying one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import wraps
from itertools import repeat
from operator import countOf, itemgetter
from threading import Thread
from time import perf_counter
from typing import Any, TypeVar, cast

import numpy as np
from sqlalchemy import Connection, CursorResult, Table, func, insert, or_, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from alianza.seizures.fingerprint import (
    aggregate_content,
    aggregate_key,
    event_content,
    event_fingerprint,
    event_key,
)
from alianza.seizures.models import AggregateRow, DrugItem, Event, QuarantinedRow
from alianza.seizures.records import AggregateRecord, EventRecord, PreparedEvents
from alianza.seizures.summary import TALLY_MAX_GROUPS, Tally

LOOKUP_CHUNK = 500
# Indexes a large SQLite import builds once at the end (not the record key: loading reads it).
DEFERRED_INDEXES = frozenset(
    {
        "ix_seizure_event_event_date",
        "ix_seizure_event_fingerprint",
        "ix_seizure_event_port_day",
        "ix_seizure_drug_item_event_id",
        "ix_seizure_event_current_source",
        "ix_seizure_drug_item_near",
    }
)
EVENT_KEY_INDEX = "ix_seizure_event_record_key"
DEFER_INDEXES_MIN_ROWS = 50_000
# PostgreSQL keeps indexes up to date on its own core while the import checks the next chunk:
# that upkeep costs the import nothing until the indexes outgrow the server's cache (the bare
# COPY floor grew linearly to 100,000 events and 16-fold from there to 1,000,000), whereas a
# rebuild at the end is waited for. So only imports this large defer there.
DEFER_INDEXES_MIN_ROWS_POSTGRESQL = 250_000
# PostgreSQL: how long a large import waits for the event tables before it keeps the indexes
# (a reader holding them: the import then goes on with the indexes in place).
DEFER_LOCK_TIMEOUT = "5s"
DEFER_TABLES = "seizure_event, seizure_drug_item"
INDEX_BUILD_MEMORY = "256MB"  # maintenance_work_mem while the deferred indexes are built
PG_INDEXES = """
SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index AS i
JOIN pg_class AS c ON c.oid = i.indexrelid
WHERE i.indrelid IN (CAST('seizure_event' AS regclass), CAST('seizure_drug_item' AS regclass))
ORDER BY c.relname
"""
# The foreign keys between the two tables (the items' event): dropping one locks the table it
# refers to as well, so the event's key to its import batch stays (batches stay readable).
PG_FOREIGN_KEYS = """
SELECT CAST(CAST(conrelid AS regclass) AS text), conname, pg_get_constraintdef(oid)
FROM pg_constraint WHERE contype = 'f'
AND conrelid IN (CAST('seizure_event' AS regclass), CAST('seizure_drug_item' AS regclass))
AND confrelid IN (CAST('seizure_event' AS regclass), CAST('seizure_drug_item' AS regclass))
ORDER BY conname
"""
# ``n`` values of the event id sequence: the lowest and highest, and all of them only when
# another session took values in between (so a chunk's ids cost one row, not one each).
RESERVE_IDS = """
SELECT min(v), max(v), CASE WHEN max(v) - min(v) + 1 = count(*) THEN NULL ELSE array_agg(v) END
FROM (SELECT nextval(CAST(:sequence AS regclass)) AS v FROM generate_series(1, :n)) AS ids
"""
ANALYZE_MIN_ROWS = 10_000  # PostgreSQL: statistics brought up to date after loads this large
EVENT_COLUMNS = (  # the loader's own values first, then PreparedEvents.event_columns
    "id",
    "batch_id",
    "version",
    "created_at",
    "superseded_at",
    "source_row",
    "source_system",
    "source_record_id",
    "record_key",
    "content_hash",
    "fingerprint",
    "reporting_country",
    "reporting_agency",
    "participating_agencies",
    "event_date",
    "event_day",
    "date_precision",
    "location_type",
    "port_code",
    "area",
    "admin_area",
    "latitude",
    "longitude",
    "direction",
    "transport_mode",
    "conveyance",
    "conveyance_other",
    "concealment",
    "concealment_other",
    "detection",
    "record_status",
    "releasability",
)
KEY_AT = EVENT_COLUMNS.index("record_key")
PORT_AT = EVENT_COLUMNS.index("port_code")
DAY_AT = EVENT_COLUMNS.index("event_day")
SYSTEM_AT = EVENT_COLUMNS.index("source_system")
LOADER_VALUES = 5  # id, batch_id, version, created_at, superseded_at: the loader's own values
ITEM_COLUMNS = (  # event_id and position, then PreparedEvents.item_columns
    "event_id",
    "position",
    "source_row",
    "drug_code",
    "drug_reported",
    "drug_other",
    "form",
    "quantity_reported",
    "unit",
    "net_mass_kg",
    "conversion_method",
    "conversion_factor",
    "is_estimated",
    "unit_count",
    "package_count",
    "port_code",  # the event's, for the near-match index (models.DrugItem)
    "event_day",
)
# Core tables for executemany inserts (the ORM bulk path adds per-row work).
EVENT_TABLE = cast(Table, Event.__table__)
ITEM_TABLE = cast(Table, DrugItem.__table__)
AGGREGATE_TABLE = cast(Table, AggregateRow.__table__)


USE_COPY = True  # PostgreSQL with psycopg: COPY rather than executemany (tests compare both)
# COPY's format: "binary" (values sent as PostgreSQL's own binary forms: the client formats
# no text and the server parses none) or "text". The benchmark measures both.
COPY_FORMAT = "binary"
# PostgreSQL's names of the column types, for binary COPY (psycopg picks each value's dumper).
_PG_TYPES = {"INTEGER": "int4", "FLOAT": "float8", "BOOLEAN": "bool", "DATE": "date"}
# PostgreSQL with COPY: a chunk's rows are written by a thread of their own on the import's
# connection while the importing thread reads and checks the next chunk, so the server's
# work (inserts, index upkeep: another process, another core) overlaps the client's. Every
# loader method that uses the connection first waits for that write (:meth:`Loader.wait`).
BACKGROUND_WRITES = True


_R = TypeVar("_R")


def _storing(method: _R) -> _R:
    """A loader method that uses the import's connection: it first waits for the chunk
    still being written in the background (:meth:`Loader.wait`); its time counts as storing
    (:attr:`Loader.seconds`)."""
    function = cast(Callable[..., Any], method)

    @wraps(function)
    def timed(self: Loader, *args: Any, **kwargs: Any) -> Any:
        started = perf_counter()
        try:
            self.wait()
            return function(self, *args, **kwargs)
        finally:
            self.seconds += perf_counter() - started

    return cast(_R, timed)


def _same(value: Any) -> Any:
    return value


def _file_order(parts: Sequence[_Fresh]) -> np.ndarray[Any, np.dtype[np.int64]] | None:
    """The order of the parts' events in the file (by first row), or None if they are in it
    already. Parts are in file order among records of the row path, and the columnar path
    hands a chunk's clean events as one part beside its other groups."""
    if len(parts) < 2:
        return None
    rows = np.asarray([row for part in parts for row in part.source_rows()], dtype=np.int64)
    if not len(rows) or bool(np.all(rows[1:] > rows[:-1])):
        return None
    return np.argsort(rows, kind="stable")


def _pg_type(column: Any) -> str:
    name = type(column.type).__name__.upper()
    if name == "DATETIME":
        return "timestamptz" if column.type.timezone else "timestamp"
    return _PG_TYPES.get(name, "text")  # String, Text: text and varchar take the same bytes


class BulkInsert:
    """One INSERT statement, built once, run by the driver itself over rows of driver-level
    values (what SQLAlchemy's bind processors would hand the driver: dates as text on SQLite,
    native objects on PostgreSQL): ``executemany`` on SQLite, ``COPY … FROM STDIN`` on
    PostgreSQL with psycopg (one stream instead of a statement a row; binary unless
    :data:`COPY_FORMAT` says text). Skips SQLAlchemy's per-row parameter processing, which
    was most of the time of a large import."""

    def __init__(self, connection: Connection, table: Table, columns: Sequence[str]) -> None:
        dialect = connection.dialect
        quote = dialect.identifier_preparer.quote
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        self.connection = connection
        names = (
            f"{dialect.identifier_preparer.format_table(table)} ({', '.join(map(quote, columns))})"
        )
        self.sql = f"INSERT INTO {names} VALUES ({', '.join([mark] * len(columns))})"
        self.names, self.mark = names, mark
        self.copy: str | None = None
        self.types: list[str] | None = None
        if USE_COPY and dialect.name == "postgresql" and dialect.driver == "psycopg":
            self.copy = f"COPY {names} FROM STDIN"
            if COPY_FORMAT == "binary":
                self.copy += " (FORMAT BINARY)"
                self.types = [_pg_type(table.c[name]) for name in columns]
        self.processors: dict[str, Any] = {}
        for name in columns:
            processor = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                self.processors[name] = processor

    def converter(self, name: str) -> Any:
        return self.processors.get(name, _same)

    def bind(self, name: str, value: Any) -> Any:
        return self.converter(name)(value)

    def execute(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self.copy is None:
            self._executemany(rows)
            return
        # the same DB-API connection, so the same transaction as the rest of the import
        driver = self.connection.connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor, cursor.copy(self.copy) as copy:
            if self.types is not None:
                copy.set_types(self.types)
            for row in rows:
                copy.write_row(row)

    def _executemany(self, rows: list[tuple[Any, ...]]) -> None:
        """``executemany`` (SQLite; PostgreSQL without ``COPY``), with the columns that are
        empty in every row written as ``NULL`` in the statement instead of bound row by row:
        SQLite's standard driver binds ``None`` through its adaptation look-ups, about 0.3 µs
        a value, and a chunk of imported events typically leaves several columns empty
        (coordinates, free-text "other" fields). ``NULL`` stores what a bound ``None``
        stores, on both engines (a column's default does not apply)."""
        first = rows[0]
        empty = [n for n, value in enumerate(first) if value is None]
        empty = [n for n in empty if countOf(map(itemgetter(n), rows), None) == len(rows)]
        if not empty or len(empty) == len(first):
            self.connection.exec_driver_sql(self.sql, rows)
            return
        skipped = set(empty)
        kept = [n for n in range(len(first)) if n not in skipped]
        marks = ", ".join("NULL" if n in skipped else self.mark for n in range(len(first)))
        sql = f"INSERT INTO {self.names} VALUES ({marks})"
        pick = itemgetter(*kept)
        if len(kept) == 1:
            self.connection.exec_driver_sql(sql, [(value,) for value in map(pick, rows)])
            return
        self.connection.exec_driver_sql(sql, list(map(pick, rows)))


@dataclass
class LoadCounts:
    loaded: int = 0  # source rows written (new or revised records)
    unchanged: int = 0  # source rows whose record is already held as is
    revised: int = 0  # records that replaced an earlier version
    quarantined_new: int = 0  # quarantine entries written (not already held)
    released: int = 0  # quarantine entries a valid row of this file fixed
    loaded_keys: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Rejected:
    row: int
    raw: dict[str, str]
    raw_hash: str
    raw_key: str | None
    issues: list[dict[str, Any]]


def _chunks(values: Sequence[str], size: int = LOOKUP_CHUNK) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _current(
    session: Session, model: type[Event] | type[AggregateRow], keys: list[str]
) -> dict[str, tuple[int, str, int]]:
    """Current (not superseded) records by key. The ``superseded_at`` test is done here, not
    in SQL, so that the planner uses the key index rather than an index on superseded_at
    (aggregates have one; all current rows share NULL there, which made each look-up a scan
    of the table)."""
    found: dict[str, tuple[int, str, int]] = {}
    for part in _chunks(keys):
        rows = session.execute(
            select(
                model.record_key, model.id, model.content_hash, model.version, model.superseded_at
            ).where(model.record_key.in_(part))
        )
        for key, ident, content, version, superseded in rows:
            if superseded is None:
                found[key] = (ident, content, version)
    return found


class _Fresh:
    """Events of one part of a chunk that are to be written, in file order."""

    def __len__(self) -> int:
        raise NotImplementedError

    def source_rows(self) -> list[int]:
        """The file row of each event (its first row), in order."""
        raise NotImplementedError

    def rows(
        self,
        loader: Loader,
        ids: list[int],
        event_rows: list[tuple[Any, ...]],
        item_rows: list[tuple[Any, ...]],
    ) -> None:
        """Append the driver's rows of these events, given their ids, and of their items."""
        raise NotImplementedError


class _FreshPrepared(_Fresh):
    """Prepared events: rows zipped from the columns (no Python work a row)."""

    def __init__(self, prepared: PreparedEvents, versions: list[int] | None) -> None:
        self.prepared = prepared
        self.versions = versions  # None: all new (version 1)

    def __len__(self) -> int:
        return len(self.prepared)

    def source_rows(self) -> list[int]:
        return self.prepared.column(0)

    def rows(
        self,
        loader: Loader,
        ids: list[int],
        event_rows: list[tuple[Any, ...]],
        item_rows: list[tuple[Any, ...]],
    ) -> None:
        events, _items = loader._inserts()
        now = events.bind("created_at", loader.now)
        versions: Iterable[int] = repeat(1) if self.versions is None else self.versions
        columns = [c.tolist() for c in self.prepared.event_columns]
        batch = repeat(loader.batch_id)
        event_rows.extend(zip(ids, batch, versions, repeat(now), repeat(None), *columns))
        ports, days = columns[PORT_AT - LOADER_VALUES], columns[DAY_AT - LOADER_VALUES]
        columns = [c.tolist() for c in self.prepared.item_columns]
        sizes = self.prepared.sizes
        if self.prepared.items == len(ids):  # one item an event
            item_rows.extend(zip(ids, repeat(1), *columns, ports, days))
            return
        offsets = self.prepared.offsets
        owners = np.repeat(np.asarray(ids, dtype=np.int64), sizes).tolist()
        positions = np.arange(1, self.prepared.items + 1) - np.repeat(offsets[:-1], sizes)
        by_event = self.prepared.event_columns
        ports = np.repeat(by_event[PORT_AT - LOADER_VALUES], sizes).tolist()
        days = np.repeat(by_event[DAY_AT - LOADER_VALUES], sizes).tolist()
        item_rows.extend(zip(owners, positions.tolist(), *columns, ports, days, strict=True))


class _FreshRecords(_Fresh):
    """Records of the row path: key, content hash, fingerprint, version and record each."""

    def __init__(self, fresh: list[tuple[str, str, str, int, EventRecord]]) -> None:
        self.fresh = fresh

    def __len__(self) -> int:
        return len(self.fresh)

    def source_rows(self) -> list[int]:
        return [record.source_row for *_hashes, record in self.fresh]

    def rows(
        self,
        loader: Loader,
        ids: list[int],
        event_rows: list[tuple[Any, ...]],
        item_rows: list[tuple[Any, ...]],
    ) -> None:
        events, items = loader._inserts()
        bind_date, dates = events.converter("event_date"), loader._bound_dates
        bind_bool = items.converter("is_estimated")
        booleans = {True: bind_bool(True), False: bind_bool(False)}
        batch, now = loader.batch_id, events.bind("created_at", loader.now)
        for event_id, (key, content, fingerprint, version, record) in zip(
            ids, self.fresh, strict=True
        ):
            day = record.event_date
            ordinal = day.toordinal()
            event_rows.append(
                (
                    event_id,
                    batch,
                    version,
                    now,
                    None,
                    record.source_row,
                    record.source_system,
                    record.source_record_id,
                    key,
                    content,
                    fingerprint,
                    record.reporting_country,
                    record.reporting_agency,
                    ";".join(record.participating_agencies),
                    dates.get(day) or dates.setdefault(day, bind_date(day)),
                    ordinal,
                    record.date_precision,
                    record.location_type,
                    record.port_code,
                    record.area,
                    record.admin_area,
                    record.latitude,
                    record.longitude,
                    record.direction,
                    record.transport_mode,
                    record.conveyance,
                    record.conveyance_other,
                    ";".join(record.concealment),
                    record.concealment_other,
                    ";".join(record.detection),
                    record.record_status,
                    record.releasability,
                )
            )
            for position, item in enumerate(record.items, start=1):
                q = item.quantity
                item_rows.append(
                    (
                        event_id,
                        position,
                        item.source_row,
                        item.drug_code,
                        item.drug_reported,
                        item.drug_other,
                        item.form,
                        str(q.reported),
                        q.unit,
                        q.net_mass_kg,
                        q.method,
                        None if q.factor is None else str(q.factor),
                        booleans[q.is_estimated],
                        q.unit_count,
                        item.package_count,
                        record.port_code,
                        ordinal,
                    )
                )


# SQLite's default page cache (2 MB) makes a large one-transaction import spill and rewrite
# pages in the WAL over and over; a bigger cache for the importing connection keeps them in
# memory until commit. PostgreSQL needs nothing here.
SQLITE_IMPORT_CACHE_KIB = 256 * 1024


class Loader:
    """Loads one batch's records; counts what it did."""

    def __init__(self, session: Session, batch_id: int, now: datetime | None = None) -> None:
        if session.get_bind().dialect.name == "sqlite":
            session.execute(text(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}"))
        self.session = session
        self.batch_id = batch_id
        self.now = now or datetime.now(UTC)
        self.counts = LoadCounts()
        self._event_insert: BulkInsert | None = None
        self._item_insert: BulkInsert | None = None
        self._next_id: int | None = None  # SQLite: the next event id to give
        self._sequence: str | None = None  # PostgreSQL: the event ids' sequence
        self.seconds = 0.0  # spent storing (events, aggregates, quarantine), for benchmarks
        self.hashing = 0.0  # of which hashing records of the row path (checking, really)
        self.loaded_events = 0
        self._analyzed = False  # PostgreSQL: event statistics checked before look-ups
        self._writing: Thread | None = None  # PostgreSQL: the chunk being written, if any
        self._failed: BaseException | None = None
        self._dropped: list[str] = []  # statements building deferred indexes (and keys) again
        self._bound_dates: dict[date, Any] = {}  # event dates as the driver takes them
        self._earlier: dict[str, bool] = {}  # source system → has events from before
        # SQLite: the summary tables' change, summed from the rows written (summary.Tally)
        self.tally: Tally | None = None
        if session.get_bind().dialect.name == "sqlite":
            self.tally = Tally(EVENT_COLUMNS, ITEM_COLUMNS)

    @_storing
    def defer_indexes(self, rows: int) -> None:
        """For a large import into a table not much larger than it: drop the event and item
        indexes that loading does not read, to build them again once at the end
        (:meth:`restore_indexes`, same transaction). Building an index from sorted rows is
        cheaper than keeping it up to date one random key at a time (on PostgreSQL, once the
        indexes outgrow the server's cache, that upkeep was half a million-event import). A
        rollback brings the indexes back as they were: the DDL of both backends is
        transactional. On PostgreSQL the items' foreign key to their events is dropped too
        and added again at the end, which checks every row at once instead of one row at a
        time; the import then holds the two tables for itself until it commits (their readers
        wait), so it defers only when it gets them within :data:`DEFER_LOCK_TIMEOUT`."""
        dialect = self.session.get_bind().dialect.name
        least = {"sqlite": DEFER_INDEXES_MIN_ROWS, "postgresql": DEFER_INDEXES_MIN_ROWS_POSTGRESQL}
        if dialect not in least or rows < least[dialect]:
            return
        held = self.session.execute(select(func.max(Event.id))).scalar() or 0
        if held > rows:
            return
        # Into empty tables, no key can be held, so loading does not read the key index either.
        deferred = DEFERRED_INDEXES | ({EVENT_KEY_INDEX} if not held else set())
        if dialect == "postgresql":
            self._defer_postgresql(deferred)
            return
        found = self.session.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "AND tbl_name IN ('seizure_event', 'seizure_drug_item')"
            )
        ).all()
        for name, sql in found:
            if name in deferred:
                self.session.execute(text(f'DROP INDEX "{name}"'))
                self._dropped.append(sql)

    def _defer_postgresql(self, deferred: frozenset[str]) -> None:
        session = self.session
        waited = session.execute(text("SELECT current_setting('lock_timeout')")).scalar_one()
        dropped: list[str] = []
        try:
            with session.begin_nested():  # a savepoint: a lock not granted in time undoes it
                session.execute(text(f"SET LOCAL lock_timeout = '{DEFER_LOCK_TIMEOUT}'"))
                session.execute(text(f"LOCK TABLE {DEFER_TABLES} IN ACCESS EXCLUSIVE MODE"))
                indexes = session.execute(text(PG_INDEXES)).all()
                keys = session.execute(text(PG_FOREIGN_KEYS)).all()
                for table, name, definition in keys:
                    session.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
                    dropped.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
                for name, definition in indexes:
                    if name in deferred:
                        session.execute(text(f'DROP INDEX "{name}"'))
                        dropped.insert(0, definition)  # indexes first: the keys' checks use them
        except OperationalError:  # another session holds the tables: keep the indexes
            return
        finally:
            session.execute(text("SELECT set_config('lock_timeout', :v, true)"), {"v": waited})
        self._dropped = dropped

    def restore_indexes(self) -> None:
        if self._dropped and self._is_postgresql():  # sorts in memory up to this much
            self.session.execute(text(f"SET LOCAL maintenance_work_mem = '{INDEX_BUILD_MEMORY}'"))
        for sql in self._dropped:
            self.session.execute(text(sql))
        self._dropped = []

    @_storing
    def finish(self) -> None:
        """After the last chunk: deferred indexes built again (SQLite); on PostgreSQL, the
        planner's statistics of the event tables brought up to date after a large load, in
        the same transaction. Without them a table that grew from nothing still looks empty
        to the planner until autovacuum comes by, and the next import's key look-ups scan
        the whole table (one scan per look-up: a re-import of 100,000 events took minutes)."""
        self.restore_indexes()
        if self.loaded_events >= ANALYZE_MIN_ROWS and self._is_postgresql():
            self.session.execute(text("ANALYZE seizure_event, seizure_drug_item"))

    def _is_postgresql(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    def _fresh_statistics(self) -> None:
        """Before the first key look-up on PostgreSQL: statistics for an event table that
        was never analyzed (loaded by an earlier version, or autovacuum not yet run)."""
        if self._analyzed or not self._is_postgresql():
            return
        self._analyzed = True
        tuples = self.session.execute(
            text("SELECT reltuples FROM pg_class WHERE oid = CAST('seizure_event' AS regclass)")
        ).scalar()
        if tuples is not None and tuples < 0:
            self.session.execute(text("ANALYZE seizure_event, seizure_drug_item"))

    def _supersede(self, model: type[Event] | type[AggregateRow], ids: list[int]) -> None:
        for start in range(0, len(ids), LOOKUP_CHUNK):
            self.session.execute(
                update(model)
                .where(model.id.in_(ids[start : start + LOOKUP_CHUNK]))
                .values(superseded_at=self.now)
            )

    @_storing
    def aggregates(self, records: list[AggregateRecord]) -> None:
        keyed = [(aggregate_key(r), aggregate_content(r), r) for r in records]
        current = _current(self.session, AggregateRow, [k for k, _, _ in keyed])
        rows: list[dict[str, Any]] = []
        replaced: list[int] = []
        for key, content, record in keyed:
            held = current.get(key)
            if held is not None and held[1] == content:
                self.counts.unchanged += 1
                continue
            version = 1
            if held is not None:
                replaced.append(held[0])
                version = held[2] + 1
                self.counts.revised += 1
            q = record.quantity
            rows.append(
                {
                    "batch_id": self.batch_id,
                    "source_row": record.source_row,
                    "source_system": record.source_system,
                    "record_key": key,
                    "content_hash": content,
                    "version": version,
                    "reporting_country": record.reporting_country,
                    "reporting_agency": record.reporting_agency,
                    "component": record.component,
                    "region": record.region,
                    "land_filter": record.land_filter,
                    "area": record.area,
                    "location_type": record.location_type,
                    "period_month": record.period_month,
                    "fiscal_year": record.fiscal_year,
                    "fiscal_year_to_date": record.fiscal_year_to_date,
                    "drug_code": record.drug_code,
                    "drug_reported": record.drug_reported,
                    "events": record.events,
                    "state": record.state,
                    "municipality": record.municipality,
                    "quantity_reported": str(q.reported),
                    "unit": q.unit,
                    "net_mass_kg": q.net_mass_kg,
                    "conversion_method": q.method,
                    "conversion_factor": None if q.factor is None else str(q.factor),
                    "flags": ";".join(record.flags),
                    "record_status": record.record_status,
                    "releasability": record.releasability,
                    "created_at": self.now,
                    "superseded_at": None,
                }
            )
        self._supersede(AggregateRow, replaced)
        if rows:
            self.session.connection().execute(insert(AGGREGATE_TABLE), rows)
        self.counts.loaded += len(rows)

    def _inserts(self) -> tuple[BulkInsert, BulkInsert]:
        if self._event_insert is None or self._item_insert is None:
            connection = self.session.connection()
            self._event_insert = BulkInsert(connection, EVENT_TABLE, EVENT_COLUMNS)
            self._item_insert = BulkInsert(connection, ITEM_TABLE, ITEM_COLUMNS)
        return self._event_insert, self._item_insert

    def binders(self) -> tuple[Callable[[Any], Any], Callable[[bool], Any]]:
        """How an event date and a boolean go to the driver (for rows made elsewhere)."""
        events, items = self._inserts()
        return events.converter("event_date"), items.converter("is_estimated")

    def _has_earlier(self, systems: set[str]) -> dict[str, bool]:
        """Whether any event of each source system was loaded before this import: when none
        was, no key of that system can be held, and its look-ups are skipped."""
        for system in systems - self._earlier.keys():
            query = select(Event.id).where(
                Event.source_system == system, Event.batch_id != self.batch_id
            )
            self._earlier[system] = self.session.execute(query.limit(1)).first() is not None
        return self._earlier

    @_storing
    def events(self, records: Sequence[EventRecord | PreparedEvents]) -> None:
        """Load events in order: records of the row path, and events the columnar path
        prepared as columns. Whatever their mix, the chunk's new events go to the database
        in one statement (``COPY`` on PostgreSQL) and their items in a second, with ids
        the loader reserved beforehand (:meth:`reserve_ids`): nothing is read back."""
        parts: list[_Fresh] = []
        pending: list[EventRecord] = []
        for record in records:
            if isinstance(record, EventRecord):
                pending.append(record)
                continue
            parts.extend(self._fresh_records(pending))
            pending = []
            parts.extend(self._fresh_prepared(record))
        parts.extend(self._fresh_records(pending))
        total = sum(len(part) for part in parts)
        if total:
            events, items = self._inserts()
            ids = self.reserve_ids(total)
            order = _file_order(parts)
            if order is not None:  # ids in file order, as the row path gives them
                given = np.empty(total, dtype=np.int64)
                given[order] = ids
                ids = given.tolist()
            event_rows: list[tuple[Any, ...]] = []
            item_rows: list[tuple[Any, ...]] = []
            at = 0
            for part in parts:
                taken = ids[at : at + len(part)]
                at += len(part)
                part.rows(self, taken, event_rows, item_rows)
            if order is not None:  # rows written in file order (item ids follow it)
                event_rows = [event_rows[n] for n in order.tolist()]
                item_order = np.argsort(
                    np.fromiter(map(itemgetter(2), item_rows), np.int64, len(item_rows)),
                    kind="stable",
                )
                item_rows = [item_rows[n] for n in item_order.tolist()]
            self.counts.loaded += len(item_rows)
            self.loaded_events += total
            if self.tally is not None:
                self.tally.add(event_rows, item_rows)
                if self.tally.groups > TALLY_MAX_GROUPS:
                    self.tally.write(self.session.connection())
            if events.copy is None or not BACKGROUND_WRITES:
                events.execute(event_rows)
                items.execute(item_rows)
                return
            self._writing = Thread(
                target=self._write,
                args=(events, event_rows, items, item_rows),
                name=f"alianza-copy-{self.batch_id}",
                daemon=True,
            )
            self._writing.start()

    def _write(
        self,
        events: BulkInsert,
        event_rows: list[tuple[Any, ...]],
        items: BulkInsert,
        item_rows: list[tuple[Any, ...]],
    ) -> None:
        try:
            events.execute(event_rows)
            items.execute(item_rows)
        except BaseException as error:  # handed to the importing thread (wait)
            self._failed = error

    def wait(self) -> None:
        """Wait for the chunk being written in the background, if any; raise its error."""
        if self._writing is None:
            return
        self._writing.join()
        self._writing = None
        failed, self._failed = self._failed, None
        if failed is not None:
            raise failed

    def abandon(self) -> None:
        """The import failed: wait for a background write to end (so the transaction can
        be rolled back on a connection nobody else is using); its own error, if any, is
        superseded by the one being handled."""
        with suppress(Exception):  # the import's own error is raised instead
            self.wait()

    def _fresh_records(self, records: list[EventRecord]) -> list[_Fresh]:
        """The records of the row path to write (new or revised), with their versions."""
        if not records:
            return []
        started = perf_counter()
        keyed = [
            (event_key(r), event_content(r), event_fingerprint(r), r.source_system, r)
            for r in records
        ]
        self.hashing += perf_counter() - started
        earlier = self._has_earlier({system for _, _, _, system, _ in keyed})
        lookup = [k for k, _, _, system, _ in keyed if earlier[system]]
        if lookup:
            self._fresh_statistics()
        current = _current(self.session, Event, lookup)
        fresh: list[tuple[str, str, str, int, EventRecord]] = []
        replaced: list[int] = []
        for key, content, fingerprint, _system, record in keyed:
            held = current.get(key)
            if held is not None and held[1] == content:
                self.counts.unchanged += len(record.items)
                continue
            version = 1
            if held is not None:
                replaced.append(held[0])
                version = held[2] + 1
                self.counts.revised += 1
            fresh.append((key, content, fingerprint, version, record))
        self._supersede(Event, replaced)
        return [_FreshRecords(fresh)] if fresh else []

    def _fresh_prepared(self, prepared: PreparedEvents) -> list[_Fresh]:
        """The events prepared as columns to write: all of them, with version 1,
        unless some of their keys are held already (no Python work a row then)."""
        if not len(prepared):
            return []
        systems = prepared.column(SYSTEM_AT - LOADER_VALUES)
        named = set(systems)
        earlier = self._has_earlier(named)
        if not any(earlier[system] for system in named):
            return [_FreshPrepared(prepared, None)]
        keys = prepared.column(KEY_AT - LOADER_VALUES)
        lookup = [k for k, system in zip(keys, systems, strict=True) if earlier[system]]
        self._fresh_statistics()
        current = _current(self.session, Event, lookup)
        if not current:
            return [_FreshPrepared(prepared, None)]
        contents = prepared.column(KEY_AT + 1 - LOADER_VALUES)
        sizes = prepared.sizes
        keep: list[int] = []
        numbers: list[int] = []
        replaced: list[int] = []
        for at, (key, content) in enumerate(zip(keys, contents, strict=True)):
            held = current.get(key)
            if held is not None and held[1] == content:
                self.counts.unchanged += int(sizes[at])
                continue
            keep.append(at)
            numbers.append(1 if held is None else held[2] + 1)
            if held is not None:
                replaced.append(held[0])
                self.counts.revised += 1
        self._supersede(Event, replaced)
        if not keep:
            return []
        if len(keep) < len(keys):
            prepared = prepared.take(np.asarray(keep, dtype=np.int64))
        return [_FreshPrepared(prepared, numbers)]

    def reserve_ids(self, count: int) -> list[int]:
        """Ids for ``count`` new events, ascending, given by the database before the rows
        are written (so nothing has to be read back after them). PostgreSQL: that many
        values of the table's own sequence, in one statement (other sessions may take
        values in between: the ids are unique, not always consecutive). SQLite: the next
        ``count`` after the highest id held, read once per import (the import's write
        transaction holds the database's write lock; these are the rowids SQLite itself
        would have given)."""
        self.wait()
        connection = self.session.connection()
        if connection.dialect.name == "postgresql":
            if self._sequence is None:
                self._sequence = connection.execute(
                    text("SELECT pg_get_serial_sequence('seizure_event', 'id')")
                ).scalar_one()
            low, high, values = connection.execute(
                text(RESERVE_IDS), {"sequence": self._sequence, "n": count}
            ).one()
            return list(range(low, high + 1)) if values is None else sorted(values)
        if self._next_id is None:
            held = connection.execute(select(func.max(Event.id))).scalar()
            self._next_id = (held or 0) + 1
        first, self._next_id = self._next_id, self._next_id + count
        return list(range(first, self._next_id))

    @_storing
    def quarantine(self, source: str, profile: str, rejected: list[Rejected]) -> None:
        held: set[str] = set()
        hashes = [r.raw_hash for r in rejected]
        for part in _chunks(hashes):
            found = self.session.execute(
                select(QuarantinedRow.raw_hash, QuarantinedRow.released_at).where(
                    QuarantinedRow.raw_hash.in_(part)  # released_at tested here: see _current
                )
            )
            held.update(raw for raw, released in found if released is None)
        rows = [
            {
                "batch_id": self.batch_id,
                "source": source,
                "profile": profile,
                "source_row": r.row,
                "raw_hash": r.raw_hash,
                "raw_key": r.raw_key,
                "raw": r.raw,
                "issues": r.issues,
                "quarantined_at": self.now,
                "released_at": None,
                "released_by_batch_id": None,
            }
            for r in rejected
            if r.raw_hash not in held
        ]
        if rows:
            self.session.execute(insert(QuarantinedRow), rows)
        self.counts.quarantined_new += len(rows)

    def has_open_quarantine(self, profile: str) -> bool:
        self.wait()
        query = select(QuarantinedRow.id).where(
            QuarantinedRow.profile == profile, QuarantinedRow.released_at.is_(None)
        )
        return self.session.scalars(query.limit(1)).first() is not None

    @_storing
    def release(
        self,
        source: str,
        profile: str,
        raw_keys: list[str],
        rows: list[int],
        still_rejected: set[str],
    ) -> None:
        """Release open quarantine entries of ``profile`` that these valid rows fix: same raw
        key, or same file name and row number (a corrected copy of the file) — unless the
        same raw row was rejected again in this run."""
        for start in range(0, max(len(raw_keys), len(rows)), LOOKUP_CHUNK):
            keys = raw_keys[start : start + LOOKUP_CHUNK]
            numbers = rows[start : start + LOOKUP_CHUNK]
            result: CursorResult[Any] = self.session.execute(  # type: ignore[assignment]
                update(QuarantinedRow)
                .where(
                    QuarantinedRow.profile == profile,
                    QuarantinedRow.released_at.is_(None),
                    QuarantinedRow.batch_id != self.batch_id,
                    QuarantinedRow.raw_hash.not_in(still_rejected),
                    or_(
                        QuarantinedRow.raw_key.in_(keys),
                        (QuarantinedRow.source == source) & QuarantinedRow.source_row.in_(numbers),
                    ),
                )
                .values(released_at=self.now, released_by_batch_id=self.batch_id)
                .execution_options(synchronize_session=False)
            )
            self.counts.released += result.rowcount
