"""The parts of the columnar import that replaced work a row: hashing from Arrow buffers,
quantities converted a unit at a time, event ids reserved before the rows are written, one
write of events and one of items a chunk; and an import that fails halfway commits nothing."""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from alianza.actors import NodeSelf
from alianza.audit import AuditEntry
from alianza.codes.units import NoConversion, normalize_quantity
from alianza.db import Database
from alianza.seizures import columnar, load, service
from alianza.seizures.load import Loader
from alianza.seizures.models import DrugItem, Event, ImportBatch, QuarantinedRow
from alianza.seizures.service import import_file
from tests.seizures.test_columnar import generate


def test_hashes_from_buffers_are_the_sha256_of_each_text() -> None:
    texts = ["", "a", '{"x":"Ciudad Juárez"}', "ñ" * 300, "end"]
    array = pa.array(["skipped", *texts], pa.string()).slice(1)  # an offset into the buffers
    expected = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts]
    assert columnar.sha256_each(array) == expected
    assert columnar.sha256_each(pa.array([], pa.string())) == []
    with pytest.raises(ValueError, match="null"):
        columnar.sha256_each(pa.array(["a", None], pa.string()))


def test_quantities_converted_per_unit_as_row_by_row() -> None:
    values = ["1", "2.5", "0.001", "3", "7.25", "12", "0", "1E+2", "1000000.125"]
    units = ["KG", "LB", "G", "PLANT", "PLANT", "L", "PLANT", "KG", "LB"]

    def bind(flag: bool) -> str:
        return f"bound {flag}"

    decimals = np.empty(len(values), dtype=object)
    decimals[:] = [Decimal(v) for v in values]
    found = columnar.convert_quantities(decimals, np.array(units, dtype=object), bind)
    for n, (value, unit) in enumerate(zip(values, units, strict=True)):
        q = normalize_quantity(Decimal(value), unit)
        assert found.units[n] == q.unit
        assert found.kilograms[n] == q.net_mass_kg
        assert found.counts[n] == q.unit_count
        assert found.methods[n] == q.method
        assert found.factors[n] == (None if q.factor is None else str(q.factor))
        assert found.estimated[n] == bind(q.is_estimated)
    assert found.counts.tolist()[3:5] == [3, None]  # 7.25 plants is no count
    with pytest.raises(NoConversion, match="BUSHEL"):
        columnar.convert_quantities(decimals[:1], np.array(["BUSHEL"], dtype=object), bind)


def _event(ident: int, batch: int, key: str) -> Event:
    return Event(
        id=ident,
        batch_id=batch,
        source_row=ident,
        source_system="T",
        source_record_id=key,
        record_key=key,
        content_hash="c",
        fingerprint="f",
        version=1,
        reporting_country="US",
        reporting_agency="CBP-OFO",
        participating_agencies="",
        event_date=date(2024, 1, 1),
        event_day=date(2024, 1, 1).toordinal(),
        date_precision="day",
        location_type="POE_LAND_VEHICLE",
        direction="NOT_REPORTED",
        transport_mode="NOT_REPORTED",
        conveyance="NOT_REPORTED",
        concealment="NOT_REPORTED",
        detection="NOT_REPORTED",
        record_status="VALIDATED",
        releasability="BILATERAL",
        created_at=datetime.now(UTC),
    )


def _batch(session: Session) -> int:
    batch = ImportBatch(
        source="t",
        sha256="0",
        profile="canonical",
        imported_at=datetime.now(UTC),
        actor="test",
        stats={},
    )
    session.add(batch)
    session.flush()
    return batch.id


def test_event_ids_reserved_before_the_rows(fresh_db: Database) -> None:
    """Ids are given before the rows are written, ascending, after those held; on PostgreSQL
    from the table's sequence, so that values another session takes meanwhile are skipped
    (on SQLite the import's write lock keeps other writers out)."""
    with fresh_db.transaction() as session:
        batch = _batch(session)
        session.add_all([_event(n, batch, f"k{n}") for n in (1, 2)])
        session.flush()
        if fresh_db.url.startswith("postgresql"):  # ids given explicitly took no sequence value
            session.execute(text("SELECT setval('seizure_event_id_seq', 2)"))
        loader = Loader(session, batch)
        assert loader.reserve_ids(3) == [3, 4, 5]
        if fresh_db.url.startswith("postgresql"):
            with fresh_db.engine.connect() as other:  # another session takes 6 and 7
                taken = other.execute(
                    text("SELECT nextval('seizure_event_id_seq') FROM generate_series(1, 2)")
                ).scalars()
                assert list(taken) == [6, 7]
                other.commit()
            assert loader.reserve_ids(2) == [8, 9]
        else:
            assert loader.reserve_ids(2) == [6, 7]
        assert loader.reserve_ids(1)[0] > 7


def test_one_write_of_events_and_one_of_items_a_chunk(
    fresh_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Events of several rows (the row path) between one-row events (the columnar path) are
    written with the others of their chunk: one COPY (PostgreSQL) or executemany (SQLite)
    of events and one of items a chunk, not one a run of each kind; and nothing is read
    back from the event table to learn the new ids. (PostgreSQL imports slowed down much
    faster than the data grew: thousands of tiny COPYs, each followed by a scan.)"""
    monkeypatch.setattr(service, "CHUNK", 10_000)  # the whole file is one chunk
    path = tmp_path / "generated.csv"
    generate(path, 400, 31, bad_share=0.0)
    writes: list[tuple[str, int]] = []
    execute = load.BulkInsert.execute

    def counted(self: load.BulkInsert, rows: list[tuple[Any, ...]]) -> None:
        writes.append((self.sql.split()[2], len(rows)))
        execute(self, rows)

    monkeypatch.setattr(load.BulkInsert, "execute", counted)
    reads: list[str] = []

    loading = [True]

    def statement(_connection: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if loading[0] and "FROM seizure_event" in sql and "max(seizure_event.id)" not in sql:
            reads.append(sql)

    event.listen(fresh_db.engine, "before_cursor_execute", statement)
    dedupe = service.find_duplicates

    def after_loading(session: Session, batch: int) -> Any:
        loading[0] = False
        return dedupe(session, batch)

    monkeypatch.setattr(service, "find_duplicates", after_loading)
    outcome = import_file(fresh_db, path, "canonical", actor=NodeSelf("test"))
    assert outcome.engine == "columnar"
    with fresh_db.reader() as session:
        events = session.scalar(select(func.count()).select_from(Event))
        items = session.scalar(select(func.count()).select_from(DrugItem))
        several = session.scalar(
            select(func.count()).select_from(
                select(DrugItem.event_id)
                .group_by(DrugItem.event_id)
                .having(func.count() > 1)
                .subquery()
            )
        )
    assert several
    assert several < events
    assert writes == [("seizure_event", events), ("seizure_drug_item", items)]
    assert outcome.report.loaded == items
    # the one read while loading: whether the source system has events from before
    assert len(reads) == 1
    assert "LIMIT" in reads[0]


def test_failure_halfway_commits_nothing(
    fresh_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import stopped after some batches were loaded (here by its progress callback)
    leaves no event, item, quarantine entry, batch or audit entry behind."""
    monkeypatch.setattr(columnar, "BLOCK_BYTES", 4096)  # batches of a few dozen rows
    monkeypatch.setattr(service, "CHUNK", 50)  # loaded every 50 rows
    path = tmp_path / "generated.csv"
    generate(path, 600, 21)
    calls: list[int] = []
    loads: list[int] = []  # the events of each chunk loaded
    events = Loader.events

    def spy(self: Loader, records: Any) -> None:
        loads.append(len(records))
        events(self, records)

    monkeypatch.setattr(Loader, "events", spy)

    def progress(done: int) -> None:
        calls.append(done)
        if len(calls) == 8:
            assert loads  # some events were written in the import's transaction
            with fresh_db.reader() as session:  # a second connection sees nothing yet
                assert session.scalar(select(func.count()).select_from(Event)) == 0
            raise KeyboardInterrupt

    def counts() -> dict[str, Any]:
        with fresh_db.reader() as session:
            return {
                model.__name__: session.scalar(select(func.count()).select_from(model))
                for model in (Event, DrugItem, QuarantinedRow, ImportBatch, AuditEntry)
            }

    before = counts()
    with pytest.raises(KeyboardInterrupt):
        import_file(fresh_db, path, "canonical", progress=progress, actor=NodeSelf("test"))
    assert len(calls) == 8
    assert counts() == before
    outcome = import_file(
        fresh_db, path, "canonical", actor=NodeSelf("test")
    )  # the whole file, afterwards
    assert outcome.engine == "columnar"
    assert counts()["Event"] > 0


def _lookup_plan(database: Database, count: int = 20) -> str:
    """PostgreSQL's plan of a key look-up like the loader's."""
    with database.reader() as session:
        keys = list(session.scalars(select(Event.record_key).limit(count)))
        lookup = select(Event.record_key, Event.id).where(Event.record_key.in_(keys))
        compiled = lookup.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        return "\n".join(session.scalars(text(f"EXPLAIN {compiled}")))


def _statistics(database: Database) -> float:
    with database.reader() as session:
        found = session.scalar(
            text("SELECT reltuples FROM pg_class WHERE oid = CAST('seizure_event' AS regclass)")
        )
        assert found is not None
        return float(found)


def test_statistics_after_a_large_load_on_postgresql(
    fresh_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a large load PostgreSQL's planner knows the event table's size, so the next
    import's key look-ups use the key index (a table it still thought empty was scanned
    whole for each look-up: a re-import of 100,000 events took minutes)."""
    if not fresh_db.url.startswith("postgresql"):
        pytest.skip("PostgreSQL's planner statistics")
    monkeypatch.setattr(load, "ANALYZE_MIN_ROWS", 300, raising=False)  # "large" for a test
    path = tmp_path / "generated.csv"
    generate(path, 3000, 41, bad_share=0.0)
    assert _statistics(fresh_db) < 0  # never analyzed
    first = import_file(fresh_db, path, "canonical", actor=NodeSelf("test"))
    assert first.report.loaded > 3000
    assert _statistics(fresh_db) > 2500
    plan = _lookup_plan(fresh_db)
    assert "ix_seizure_event_record_key" in plan
    assert "Seq Scan" not in plan
    again = import_file(fresh_db, path, "canonical", actor=NodeSelf("test"))
    assert (again.report.loaded, again.report.unchanged) == (0, first.report.loaded)


def test_statistics_before_the_first_look_up_on_postgresql(
    fresh_db: Database, tmp_path: Path
) -> None:
    """Events held but never analyzed (written by an earlier version, autovacuum not come
    by): the import brings the statistics up to date before its first key look-up."""
    if not fresh_db.url.startswith("postgresql"):
        pytest.skip("PostgreSQL's planner statistics")
    path = tmp_path / "generated.csv"
    generate(path, 300, 43, bad_share=0.0)
    import_file(
        fresh_db, path, "canonical", actor=NodeSelf("test")
    )  # too small to be analyzed after loading
    assert _statistics(fresh_db) < 0
    again = import_file(fresh_db, path, "canonical", actor=NodeSelf("test"))
    assert again.report.loaded == 0
    assert _statistics(fresh_db) > 100


def test_reserved_ids_with_values_taken_in_between_on_postgresql(fresh_db: Database) -> None:
    """When the values of one reservation are not consecutive (another session took some
    meanwhile: here a sequence that counts by two), every value is returned, not a range."""
    if not fresh_db.url.startswith("postgresql"):
        pytest.skip("PostgreSQL's sequences")
    with fresh_db.transaction() as session:
        session.execute(text("CREATE TEMPORARY SEQUENCE by_two INCREMENT BY 2"))
        low, high, values = session.execute(
            text(load.RESERVE_IDS), {"sequence": "by_two", "n": 4}
        ).one()
        assert (low, high, sorted(values)) == (1, 7, [1, 3, 5, 7])
        session.execute(text("CREATE TEMPORARY SEQUENCE by_one"))
        found = session.execute(text(load.RESERVE_IDS), {"sequence": "by_one", "n": 4}).one()
        assert tuple(found) == (1, 4, None)


def test_a_failed_background_write_fails_the_import(
    fresh_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL a chunk is written by a thread of its own while the next is checked:
    its error is raised by the import (at the next use of the connection) and nothing is
    committed; the database takes the next import as usual."""
    if not fresh_db.url.startswith("postgresql"):
        pytest.skip("background writes are PostgreSQL's")
    import psycopg

    monkeypatch.setattr(service, "CHUNK", 50)
    path = tmp_path / "generated.csv"
    generate(path, 300, 47, bad_share=0.0)
    execute = load.BulkInsert.execute
    threads: list[str] = []

    def failing(self: load.BulkInsert, rows: list[tuple[Any, ...]]) -> None:
        threads.append(threading.current_thread().name)
        if len(threads) == 3:  # the second chunk's events
            execute(self, [(*rows[0][:7], "x" * 300, *rows[0][8:])])  # source_record_id
        execute(self, rows)

    monkeypatch.setattr(load.BulkInsert, "execute", failing)
    with pytest.raises(psycopg.errors.DataError, match="too long"):
        import_file(fresh_db, path, "canonical", actor=NodeSelf("test"))
    assert all(name.startswith("alianza-copy") for name in threads)
    with fresh_db.reader() as session:
        assert session.scalar(select(func.count()).select_from(Event)) == 0
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 0
    monkeypatch.setattr(load.BulkInsert, "execute", execute)
    assert import_file(fresh_db, path, "canonical", actor=NodeSelf("test")).report.loaded > 300


def test_columns_empty_in_every_row_are_written_as_null_not_bound(tmp_path: Path) -> None:
    """The standard SQLite driver binds ``None`` through its adaptation look-ups (about
    0.3 µs a value): a chunk's columns that are empty in every row go into the statement as
    ``NULL``, and the rows are stored exactly as given."""
    from sqlalchemy import Column, Float, Integer, MetaData, String, Table, create_engine

    table = Table(
        "t",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("name", String),
        Column("other", String, server_default="unset"),
        Column("kg", Float),
    )
    engine = create_engine(f"sqlite:///{tmp_path / 'bulk.db'}")
    table.create(engine)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    chunks = [
        [(1, "a", None, None), (2, "b", None, 1.5), (3, "c", None, None)],  # other: all empty
        [(4, None, None, None), (5, None, None, None)],  # only the key is given
        [(6, "f", "x", 2.0)],  # nothing empty
        [(7, None, None, None), (8, "h", None, 0.0)],  # empty in the first row only
    ]
    with engine.begin() as connection:
        bulk = load.BulkInsert(connection, table, ["id", "name", "other", "kg"])
        for rows in chunks:
            bulk.execute(list(rows))
        stored = connection.execute(text("SELECT id, name, other, kg FROM t ORDER BY id")).all()
    assert [tuple(row) for row in stored] == [row for rows in chunks for row in rows]
    inserts = [s for s in statements if s.startswith("INSERT")]
    assert inserts[0].endswith("VALUES (?, ?, NULL, ?)")
    assert inserts[1].endswith("VALUES (?, NULL, NULL, NULL)")
    assert inserts[2].endswith("VALUES (?, ?, ?, ?)")
    assert inserts[3].endswith("VALUES (?, ?, NULL, ?)")
