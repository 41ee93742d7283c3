"""The columnar import path against the row path: same reports, same stored records.

Every file is imported twice, into two empty databases of the same backend: once with
``engine="rows"`` (the row path, the reference) and once with the default engine (the columnar
path for CSV event files). Reports and stored rows (surrogate ids and timestamps left out, items
tied to their event's key) must be equal, step by step: first import, re-import, import of a
corrected file, strict import. The generated files are seeded and hold every kind of defect the
event checks know, multi-row events and events spanning the reader's batches (a small block
size makes a few hundred rows span many batches).
"""

from __future__ import annotations

import csv
import gzip
import io
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.engine import make_url

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.seizures import columnar
from alianza.seizures.models import DrugItem, Event, ImportBatch, QuarantinedRow
from alianza.seizures.profile import load_profile
from alianza.seizures.service import ImportOutcome, import_file
from tests.seizures.conftest import SEIZURES

COLUMNS = list(load_profile("canonical").columns)

GOOD: dict[str, list[str]] = {
    "reporting_country": ["US", "US", "us"],
    "reporting_agency": ["CBP-OFO", "CBP-OFO", "CBP-USBP"],
    "event_date": ["2024-05-02", "2023-11-30", "2025-01-15", "2024-02"],
    "location_type": ["POE_LAND_VEHICLE", "POE_LAND_CARGO", "BETWEEN_PORTS"],
    "port_code": ["2504", "2506", "2304", " 2402 "],
    "direction": ["NORTHBOUND", "", "SOUTHBOUND"],
    "transport_mode": ["ROAD", "", "RAIL"],
    "conveyance": ["POV", "", "Other"],
    "concealment": ["SPARE_TIRE", "SPARE_TIRE;DASHBOARD", "", "FUEL_TANK"],
    "detection": ["CANINE", "CANINE;NII_SCAN", ""],
    "record_status": ["VALIDATED"],
    "releasability": ["BILATERAL", "NATIONAL_ONLY"],
    "drug": ["Methamphetamine", "Marihuana", "cristal", "Fentanilo", "COCAINE_HCL", " Heroin"],
    "form": ["POWDER", "", "PILL"],
    "unit": ["KG", "LB", "G", "kg"],
    "latitude": ["", "", "32.54"],
    "longitude": ["", "", "-117.03"],
    "package_count": ["", "", "12", "3.0"],
}
BAD: dict[str, list[str]] = {
    "reporting_country": ["XX", ""],
    "reporting_agency": ["NOPE"],
    "event_date": ["2024-13-01", "yesterday", (date.today() + timedelta(days=30)).isoformat()],
    "location_type": ["MOON"],
    "port_code": ["9999", ""],
    "conveyance": ["Other"],  # without conveyance_other
    "concealment": ["SPARE_TIRE;WORMHOLE"],
    "detection": ["TELEPATHY"],
    "record_status": [""],
    "drug": ["Unobtainium", "Other", "OTHER_UNSPECIFIED", ""],
    "quantity": ["-1", "abc", "0", "nan", ""],
    "unit": ["BUSHEL", ""],
    "latitude": ["95"],
    "longitude": ["abc"],
    "package_count": ["x"],
    "source_record_id": [""],
}


def generate(path: Path, events: int, seed: int, bad_share: float = 0.15) -> None:
    """A canonical CSV with good rows, bad rows of every kind, multi-row events, repeated and
    conflicting events, and whitespace around values."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    for n in range(events):
        base = {name: rng.choice(values) for name, values in GOOD.items()}
        base.update(source_system="GEN", source_record_id=f"G{n:05d}")
        if base["conveyance"] == "Other":
            base["conveyance_other"] = "tractor"
        if base["location_type"] == "BETWEEN_PORTS":
            base["port_code"] = rng.choice(["", "2504"])
        items = 1 if rng.random() < 0.8 else rng.randint(2, 3)
        for _ in range(items):
            row = dict(base)
            row["drug"] = rng.choice(GOOD["drug"])
            row["quantity"] = f"{rng.uniform(0.1, 900):.3f}"
            if rng.random() < bad_share:
                name = rng.choice(list(BAD))
                row[name] = rng.choice(BAD[name])
            if items > 1 and rng.random() < 0.1:  # conflicting event-level field
                row["direction"] = "EASTBOUND"
            rows.append(row)
        if rng.random() < 0.02:  # the same event again later in the file
            rows.append(dict(rows[rng.randrange(len(rows))]))
    # every defect at least once, each in an event of its own, at a random place
    for name, values in BAD.items():
        for n, value in enumerate(values):
            row = {k: v[0] for k, v in GOOD.items()}
            row.update(source_system="GEN", source_record_id=f"D-{name}-{n}", quantity="2.5")
            row[name] = value
            rows.insert(rng.randrange(len(rows) + 1), row)
    if rows:  # the PLANT unit: zero is allowed there
        rows.append({**rows[0], "source_record_id": "PLANTS", "unit": "PLANT", "quantity": "0"})
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([row.get(name, "") for name in COLUMNS])


def fixed(source: Path, target: Path) -> None:
    """The same file with every row made valid (the corrected file a source sends back)."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for n, row in enumerate(rows):
        for name, values in GOOD.items():
            if row[name] in BAD.get(name, []) or (name == "drug" and not row[name].strip()):
                row[name] = values[0]
        if row["quantity"] in BAD["quantity"] and row["unit"] != "PLANT":
            row["quantity"] = "1.5"
        if not row["source_record_id"]:
            row["source_record_id"] = f"FIXED{n}"
        if row["conveyance"] == "Other":
            row["conveyance_other"] = "tractor"
        if row["record_status"] == "":
            row["record_status"] = "VALIDATED"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def stored(database: Database) -> dict[str, Any]:
    """Everything an import stores, without surrogate ids and clock times."""
    with database.reader() as session:
        events = session.scalars(select(Event).order_by(Event.id)).all()
        keys = {e.id: e.record_key for e in events}
        skip = {"id", "batch_id", "created_at", "superseded_at"}
        event_rows = [
            {
                **{
                    c.name: getattr(e, c.name)
                    for c in Event.__table__.columns
                    if c.name not in skip
                },
                "superseded": e.superseded_at is not None,
            }
            for e in events
        ]
        items = [
            {
                **{
                    c.name: getattr(i, c.name)
                    for c in DrugItem.__table__.columns
                    if c.name not in ("id", "event_id")
                },
                "event": keys[i.event_id],
            }
            for i in session.scalars(select(DrugItem).order_by(DrugItem.id))
        ]
        quarantine = [
            (
                q.source,
                q.profile,
                q.source_row,
                q.raw_hash,
                q.raw_key,
                q.raw,
                q.issues,
                q.released_at is not None,
            )
            for q in session.scalars(select(QuarantinedRow).order_by(QuarantinedRow.id))
        ]
        batches = [b.stats for b in session.scalars(select(ImportBatch).order_by(ImportBatch.id))]
    return {"events": event_rows, "items": items, "quarantine": quarantine, "batches": batches}


def both(
    rows_db: Database, fast_db: Database, path: Path, **options: Any
) -> tuple[ImportOutcome, ImportOutcome]:
    actor = NodeSelf("test")
    reference = import_file(rows_db, path, "canonical", engine="rows", actor=actor, **options)
    fast = import_file(fast_db, path, "canonical", actor=actor, **options)
    assert reference.engine == "rows"
    assert reference.report.as_dict() == fast.report.as_dict()
    assert reference.report.exit_code == fast.report.exit_code
    assert (reference.batch_id is None) == (fast.batch_id is None)
    assert reference.duplicates == fast.duplicates
    assert stored(rows_db) == stored(fast_db)
    return reference, fast


@pytest.fixture
def pair(database_url: str, tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    """Two empty databases on one backend (SQLite, PostgreSQL): one for each path."""
    server: Engine | None = None
    if database_url.startswith("sqlite"):
        other = f"sqlite:///{tmp_path / 'columnar.db'}"
    else:
        url = make_url(database_url)
        name = f"{url.database}_columnar"
        server = create_engine(database_url, isolation_level="AUTOCOMMIT")
        with server.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        other = url.set(database=name).render_as_string(hide_password=False)
    databases = [Database(database_url, country="US"), Database(other, country="US")]
    for database in databases:
        database.migrate()
    yield databases[0], databases[1]
    for database in databases:
        database.dispose()
    if server is not None:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of a few dozen rows, so events and groups cross batch boundaries."""
    monkeypatch.setattr(columnar, "BLOCK_BYTES", 4096)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_file_with_bad_rows_same_report_and_records(
    pair: tuple[Database, Database], tmp_path: Path, small_blocks: None, seed: int
) -> None:
    rows_db, fast_db = pair
    path = tmp_path / "generated.csv"
    generate(path, 300, seed)
    reference, fast = both(rows_db, fast_db, path)
    assert fast.engine == "columnar"
    assert reference.report.quarantined > 0
    assert reference.report.loaded > 0
    # every kind of row defect the generator makes is in the report
    codes = set(reference.report.counts_by_code)
    assert {"unknown-code", "bad-date", "future-date", "repeated-event"} <= codes
    assert {"conflicting-event-fields", "sibling-row-invalid", "zero-quantity"} <= codes
    # re-import: nothing changes; then the corrected file releases the quarantined rows
    again, _ = both(rows_db, fast_db, path)
    assert again.batch_id is None
    corrected = tmp_path / "generated-fixed.csv"
    fixed(path, corrected)
    corrected_outcome, _ = both(rows_db, fast_db, corrected, source_name="generated.csv")
    assert corrected_outcome.report.details["released"] > 0


def test_strict_and_error_limit_same_on_both_paths(
    pair: tuple[Database, Database], tmp_path: Path, small_blocks: None
) -> None:
    rows_db, fast_db = pair
    path = tmp_path / "generated.csv"
    generate(path, 200, 7, bad_share=0.5)
    strict, _ = both(rows_db, fast_db, path, strict=True)
    assert strict.batch_id is None
    assert strict.report.details.get("strict")
    limited, _ = both(rows_db, fast_db, path, limit=5)
    assert limited.report.partial


@pytest.mark.parametrize(
    "name", ["canonical-bad-rows.csv", "canonical-bad-rows-fixed.csv", "bad-values.csv"]
)
def test_test_files_same_on_both_paths(pair: tuple[Database, Database], name: str) -> None:
    rows_db, fast_db = pair
    both(rows_db, fast_db, SEIZURES / name)


@pytest.mark.parametrize(
    "line",
    [
        "\n",  # a blank line between rows
        "TEST,X9,US\n",  # a short row
    ],
)
def test_irregular_file_falls_back_to_the_row_path(
    pair: tuple[Database, Database], tmp_path: Path, line: str
) -> None:
    rows_db, fast_db = pair
    source = (SEIZURES / "canonical-bad-rows-fixed.csv").read_text("utf-8").splitlines(True)
    path = tmp_path / "irregular.csv"
    path.write_text("".join([*source[:3], line, *source[3:]]), "utf-8")
    _, fast = both(rows_db, fast_db, path)
    assert fast.engine == "rows"


def _indexes(database: Database) -> set[tuple[str, str]]:
    with database.reader() as session:
        found = session.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        )
        return {(name, sql) for name, sql in found}


def test_deferred_indexes_are_built_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_blocks: None
) -> None:
    """A large SQLite import drops the event and item indexes it does not read and builds them
    at the end, in its transaction: same records, same indexes after, also when rolled back."""
    from alianza.seizures import load

    monkeypatch.setattr(load, "DEFER_INDEXES_MIN_ROWS", 1)  # every file counts as large
    rows_db = Database(f"sqlite:///{tmp_path / 'rows.db'}", country="US")
    fast_db = Database(f"sqlite:///{tmp_path / 'fast.db'}", country="US")
    for database in (rows_db, fast_db):
        database.migrate()
    before = _indexes(fast_db)
    assert {n for n, _ in before} >= load.DEFERRED_INDEXES
    statements: list[str] = []

    def seen(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(fast_db.engine, "before_cursor_execute", seen)
    path = tmp_path / "generated.csv"
    generate(path, 300, 5)
    strict, _ = both(rows_db, fast_db, path, strict=True)  # rolled back
    assert strict.batch_id is None
    assert _indexes(fast_db) == before
    both(rows_db, fast_db, path)
    assert _indexes(fast_db) == before
    dropped = {s.split('"')[1] for s in statements if s.startswith("DROP INDEX")}
    assert dropped == load.DEFERRED_INDEXES | {load.EVENT_KEY_INDEX}  # empty tables: key too
    # dropped and built again by both imports (the strict one, then rolled back, too)
    assert sum(s.startswith("CREATE INDEX") for s in statements) == 2 * len(dropped)
    # into a table that holds events, the key index stays (re-import looks keys up)
    statements.clear()
    generate(path, 900, 6)  # larger than what is held: the other indexes are deferred
    both(rows_db, fast_db, path)
    assert _indexes(fast_db) == before
    dropped = {s.split('"')[1] for s in statements if s.startswith("DROP INDEX")}
    assert dropped == load.DEFERRED_INDEXES
    rows_db.dispose()
    fast_db.dispose()


PG_SCHEMA = """
SELECT 'index', indexname, indexdef FROM pg_indexes
WHERE tablename IN ('seizure_event', 'seizure_drug_item')
UNION ALL
SELECT 'key', conname, pg_get_constraintdef(oid) FROM pg_constraint
WHERE conrelid IN (CAST('seizure_event' AS regclass), CAST('seizure_drug_item' AS regclass))
"""


def _pg_schema(database: Database) -> set[tuple[str, str, str]]:
    with database.reader() as session:
        return {(kind, name, sql) for kind, name, sql in session.execute(text(PG_SCHEMA))}


def test_postgresql_defers_indexes_and_keys_of_a_large_import(
    pair: tuple[Database, Database],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    small_blocks: None,
) -> None:
    """A large PostgreSQL import drops the event and item indexes it does not read and the
    items' foreign key to their events, and builds them again at the end, in its transaction: same
    records as the row path (which keeps them), same indexes and keys after, also when
    rolled back; and when another session holds the tables, it keeps them and waits for
    nobody beyond the lock timeout."""
    from alianza.seizures import load

    rows_db, fast_db = pair
    if fast_db.is_sqlite:
        pytest.skip("SQLite's deferral: test_deferred_indexes_are_built_again")
    monkeypatch.setattr(load, "DEFER_INDEXES_MIN_ROWS_POSTGRESQL", 1)  # every file is large
    before = _pg_schema(fast_db)
    assert {name for kind, name, _ in before if kind == "index"} >= load.DEFERRED_INDEXES
    assert sum(kind == "key" and "FOREIGN KEY" in sql for kind, _, sql in before) >= 2
    statements: list[str] = []

    def seen(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(fast_db.engine, "before_cursor_execute", seen)
    path = tmp_path / "generated.csv"
    generate(path, 300, 5)
    strict, _ = both(rows_db, fast_db, path, strict=True)  # rolled back
    assert strict.batch_id is None
    assert _pg_schema(fast_db) == before
    statements.clear()
    both(rows_db, fast_db, path)
    assert _pg_schema(fast_db) == before
    dropped = {s.split('"')[1] for s in statements if s.startswith("DROP INDEX")}
    assert dropped == load.DEFERRED_INDEXES | {load.EVENT_KEY_INDEX}  # empty tables: key too
    keys = [s for s in statements if "DROP CONSTRAINT" in s]  # the items' key to their event
    assert len(keys) == 1
    assert "seizure_drug_item" in keys[0]
    # another session reads the event table: the import keeps everything, after the timeout
    monkeypatch.setattr(load, "DEFER_LOCK_TIMEOUT", "200ms")
    statements.clear()
    generate(path, 900, 6)  # larger than what is held
    with fast_db.read_engine.connect() as reader:
        reader.execute(text("SELECT count(*) FROM seizure_event"))  # holds its lock till the end
        both(rows_db, fast_db, path)
    assert not [s for s in statements if s.startswith("DROP INDEX") or "DROP CONSTRAINT" in s]
    assert _pg_schema(fast_db) == before


@pytest.mark.parametrize("variant", ["crlf", "gzip", "bom", "quoted"])
def test_file_variants_same_on_both_paths(
    pair: tuple[Database, Database], tmp_path: Path, small_blocks: None, variant: str
) -> None:
    """Line ends, compression, a byte-order mark, and quoted cells holding the delimiter, a
    quote or a line break (row numbers count records, as the row path's reader does)."""
    rows_db, fast_db = pair
    plain = tmp_path / "plain.csv"
    generate(plain, 120, 3)
    data = plain.read_bytes()
    path = tmp_path / "variant.csv"
    if variant == "crlf":
        data = data.replace(b"\n", b"\r\n")
    elif variant == "bom":
        data = b"\xef\xbb\xbf" + data
    elif variant == "quoted":
        lines = data.decode("utf-8").splitlines(True)
        cells = next(csv.reader([lines[5]]))
        cells[COLUMNS.index("admin_area")] = 'Baja "Norte",\nline two'
        cells[COLUMNS.index("drug_other")] = "a, b"
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(cells)
        lines[5] = out.getvalue()
        data = "".join(lines).encode("utf-8")
    if variant == "gzip":
        path = tmp_path / "variant.csv.gz"
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)
    _, fast = both(rows_db, fast_db, path)
    assert fast.engine == "columnar"


def test_copy_stores_what_insert_stores(
    pair: tuple[Database, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL events and items load with COPY; an INSERT per row stores the same."""
    from alianza.seizures import load

    first, second = pair
    if not first.url.startswith("postgresql"):
        pytest.skip("COPY is the PostgreSQL loader")
    path = tmp_path / "generated.csv"
    generate(path, 200, 13)
    copied = import_file(first, path, "canonical", actor=NodeSelf("test"))
    monkeypatch.setattr(load, "USE_COPY", False)
    inserted = import_file(second, path, "canonical", actor=NodeSelf("test"))
    assert copied.report.as_dict() == inserted.report.as_dict()
    assert stored(first) == stored(second)
