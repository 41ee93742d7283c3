"""Benchmark: what SQLite alone costs to store N seizures in Alianza's schema.

The import target of issue 4 (at least half the rows per second of a bare pyarrow read of the
CSV) includes storing every seizure: one ``seizure_event`` row (31 values) and one
``seizure_drug_item`` row (15 values), with the indexes re-import and duplicate detection read.
This script measures that storage alone, with **no Python code a row**: the rows are made by
SQLite itself from a recursive counter (``INSERT … SELECT``), values of the same widths as an
import's (64-character hex keys and hashes, dates, codes), in one transaction on a migrated
Alianza database, with the indexes handled as the importer handles them (dropped, then built
again at the end). Whatever the importer does on top (reading, checking, normalizing, hashing,
handing rows to the driver) can only add to it, so the figure is a ceiling for any import loop
into this schema on this machine.

Printed beside it, in the same run: a bare pyarrow read of a canonical CSV of the same number
of events (the issue's baseline), so the ratio can be read off.

    .venv/bin/python benchmarks/seizures_floor.py --events 1000000
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from alianza.db.database import Database
from alianza.seizures.load import DEFERRED_INDEXES, EVENT_KEY_INDEX

sys.path.insert(0, str(Path(__file__).resolve().parent))
from seizures_import import generate

EVENTS = """
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :events)
INSERT INTO seizure_event (
    id, batch_id, source_row, source_system, source_record_id, record_key, content_hash,
    fingerprint, version, reporting_country, reporting_agency, participating_agencies,
    event_date, event_day, date_precision, location_type, port_code, area, admin_area,
    latitude, longitude, direction, transport_mode, conveyance, conveyance_other, concealment,
    concealment_other, detection, record_status, releasability, created_at, superseded_at)
SELECT i, 1, i + 1, 'BENCH', 'EV-' || printf('%09d', i),
    lower(hex(randomblob(32))), lower(hex(randomblob(32))), lower(hex(randomblob(32))),
    1, 'US', 'CBP_OFO', '["CBP_OFO"]',
    date('2024-01-01', '+' || (i % 365) || ' days'), 738886 + i % 365, 'DAY',
    'PORT_OF_ENTRY', printf('%04d', 2500 + i % 11), NULL, NULL, NULL, NULL,
    'NORTHBOUND', 'ROAD', 'PASSENGER_VEHICLE', NULL, '["SPARE_TIRE"]', NULL, '["CANINE"]',
    'FINAL', 'BILATERAL', '2026-11-28 00:00:00.000000', NULL
FROM n
"""

ITEMS = """
INSERT INTO seizure_drug_item (
    id, event_id, position, source_row, drug_code, drug_reported, drug_other, form,
    quantity_reported, unit, net_mass_kg, conversion_method, conversion_factor, is_estimated,
    unit_count, package_count)
SELECT id, id, 1, source_row, 'METHAMPHETAMINE', 'cristal', NULL, 'CRYSTAL',
    printf('%d.%03d', id % 97, id % 1000), 'KG', (id % 97) + (id % 1000) / 1000.0, 'MASS',
    '1', 0, NULL, NULL
FROM seizure_event
"""

BATCH = """
INSERT INTO seizure_import_batch (id, source, sha256, profile, imported_at, actor, stats)
VALUES (1, 'bench.csv', :sha, 'canonical', '2026-11-28 00:00:00.000000', 'bench', '{}')
"""


def store(path: Path, events: int) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and the part of them spent building indexes."""
    Database(f"sqlite:///{path}").migrate()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA cache_size = -262144")  # as the importer's connection
    wall, cpu = time.perf_counter(), time.process_time()
    connection.execute("BEGIN")
    connection.execute(BATCH, {"sha": "0" * 64})
    deferred = DEFERRED_INDEXES | {EVENT_KEY_INDEX}
    dropped = [
        (name, sql)
        for name, sql in connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN ('seizure_event', 'seizure_drug_item')"
        )
        if name in deferred
    ]
    for name, _ in dropped:
        connection.execute(f'DROP INDEX "{name}"')
    connection.execute(EVENTS, {"events": events})
    connection.execute(ITEMS)
    index_cpu = time.process_time()
    for _, sql in dropped:
        connection.execute(sql)
    index_cpu = time.process_time() - index_cpu
    connection.execute("COMMIT")
    stored = connection.execute("SELECT count(*) FROM seizure_drug_item").fetchone()[0]
    if stored != events:
        raise SystemExit(f"expected {events} items, found {stored}")
    return time.perf_counter() - wall, time.process_time() - cpu, index_cpu


def bare_read(path: Path) -> tuple[float, float]:
    from pyarrow import csv as pacsv

    wall, cpu = time.perf_counter(), time.process_time()
    pacsv.read_csv(path, read_options=pacsv.ReadOptions(use_threads=False))
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "events.csv"
        generate(csv_path, args.events)
        read_wall, read_cpu = bare_read(csv_path)
        store_wall, store_cpu, index_cpu = store(Path(tmp) / "floor.db", args.events)
    n = args.events
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n:,} seizures (one event row and one item row each); peak RSS {peak:,.0f} MB")
    print(f"{'measurement':<58}{'s':>7}{'rows/s':>11}{'CPU s':>7}{'rows/CPU s':>12}")
    rows = [
        ("pyarrow read_csv of the canonical CSV (1 thread)", read_wall, read_cpu),
        ("SQLite alone: store in Alianza's schema, no Python a row", store_wall, store_cpu),
    ]
    for label, wall, cpu in rows:
        print(f"{label:<58}{wall:>7.1f}{n / wall:>11,.0f}{cpu:>7.1f}{n / cpu:>12,.0f}")
    rows_only = store_cpu - index_cpu
    print(
        f"  of which building the deferred indexes: {index_cpu:.1f} CPU s; the inserts alone "
        f"{rows_only:.1f} CPU s = {n / rows_only:,.0f} rows per CPU s (primary keys only)"
    )
    print(
        f"SQLite alone / bare read: {read_wall / store_wall:.3f}x wall clock, "
        f"{read_cpu / store_cpu:.3f}x per CPU second (issue 4's target for the whole import: "
        "at least 0.5x)"
    )


if __name__ == "__main__":
    main()
