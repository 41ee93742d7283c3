"""Benchmark: seizure imports on SQLite and PostgreSQL as the data grows (issue 24, item 6).

For each size (default 10,000 / 100,000 / 1,000,000 events) one generated canonical CSV, with
a share of events reported on two rows (two drugs; ``--multi``, as in the Mexican sample),
imported in fresh processes into empty databases:

- ``import_file(..., "canonical")`` on SQLite and on PostgreSQL (one transaction each);
- the floor: a bare ``COPY … FROM STDIN (FORMAT BINARY)`` of the very rows the PostgreSQL
  import stored (events and items, copied out of that database beforehand) into a fresh
  migrated database with the same indexes, in one transaction: what PostgreSQL itself costs
  to store them, with no Python a row; and the same with the indexes and the foreign key
  that a large import defers dropped first and built again after the ``COPY`` (the floor of
  what the import does on empty tables);
- SQLite's floor (issue 19, item 4): the very rows the SQLite import stored, copied by SQLite
  alone (``INSERT … SELECT`` from the import's database, attached) into a fresh migrated
  database, the indexes a large import defers dropped and built again, one transaction; the
  same with the summary tables' rows too (every row the import wrote); and the import's own
  statements replayed alone through ``executemany`` (the stored rows as Python tuples,
  nothing else done a row: what binding them from Python costs at least);
- optionally (``--before REV``) the same imports and SQLite floor with the code of an earlier
  commit (``git archive``), size by size just after today's, so both share the machine's load;
- ``--repeat N``: the SQLite import and its floor N times a code, the codes taking turns, the
  fastest of each kept (on a shared machine a single try moves with the load by 1.5x);
  ``--no-postgres`` leaves the server out.

Printed side by side: seconds and rows per second (CSV rows; events in brackets), the share
of each import's time spent reading the file, checking it (validation, normalization,
hashes, and the commit: the rest), storing (the loader, including index upkeep), finding
duplicates and keeping the summary tables; the issue's baseline figures; PostgreSQL's time
against SQLite's and against 10× the size below.

Targets (issue 24): PostgreSQL's import of 1,000,000 events at least as fast as SQLite's of
the same file, and at most 12× the time of 100,000; (issue 19) the SQLite import at least 0.6×
the rows per second of SQLite's floor, in the same run.

    .venv/bin/python benchmarks/seizures_pg_scale.py \\
        --postgres postgresql+psycopg://postgres:postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from seizures_import import CONCEALMENTS, DETECTIONS, DRUGS, PORTS, UNITS, columns

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgresql+psycopg://postgres:postgres@127.0.0.1:5432/postgres"
# Issue 24's figures, PostgreSQL before this work (SQLite in brackets), seconds.
BASELINE = {10_000: (11.6, 4.7), 20_000: (43.0, 7.5), 40_000: (109.0, 11.2), 200_000: (None, None)}


def generate(path: Path, events: int, multi: float, seed: int = 2024, days: int = 2000) -> int:
    """A canonical CSV of ``events`` events, ``multi`` of them on two rows, on ``days`` days
    from 2019-01-01; returns rows."""
    rng = random.Random(seed)
    start = date(2019, 1, 1)
    names = columns()
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(names)
        for n in range(events):
            event = {
                "source_system": "BENCH-SCALE",
                "source_record_id": f"S{n:08d}",
                "reporting_country": "US",
                "reporting_agency": "CBP-OFO",
                "event_date": (start + timedelta(days=rng.randrange(days))).isoformat(),
                "location_type": "POE_LAND_VEHICLE",
                "port_code": rng.choice(PORTS),
                "direction": "NORTHBOUND",
                "transport_mode": "ROAD",
                "conveyance": "POV",
                "concealment": rng.choice(CONCEALMENTS),
                "detection": rng.choice(DETECTIONS),
                "record_status": "VALIDATED",
                "releasability": "BILATERAL",
                "form": "POWDER",
            }
            drugs = rng.sample(DRUGS[:5], 2 if rng.random() < multi else 1)
            for drug in drugs:
                unit, scale = rng.choice(UNITS)
                row = {**event, "drug": drug, "unit": unit}
                row["quantity"] = f"{rng.uniform(0.01, 50) * scale:.3f}"
                writer.writerow([row.get(name, "") for name in names])
                rows += 1
    return rows


def _server(url: str) -> Any:
    from sqlalchemy import create_engine

    return create_engine(url, isolation_level="AUTOCOMMIT")


def _new_postgres(url: str) -> str:
    """A new empty database on the server of ``url``; its URL."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    name = f"alianza_bench_{uuid.uuid4().hex[:10]}"
    server = _server(url)
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _drop_postgres(url: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    server = _server(make_url(url).set(database="postgres").render_as_string(False))
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


TABLES = ("seizure_event", "seizure_drug_item")


def _drop_deferred(cursor: Any) -> list[str]:
    """What a large import into empty tables defers (today's ``load.py``): the indexes it
    does not read and the items' foreign key to their events dropped; the statements that build them
    again, with the import's sort memory."""
    from alianza.seizures import load

    deferred = load.DEFERRED_INDEXES | {load.EVENT_KEY_INDEX}
    rebuild = [f"SET LOCAL maintenance_work_mem = '{load.INDEX_BUILD_MEMORY}'"]
    for name, definition in cursor.execute(load.PG_INDEXES).fetchall():
        if name in deferred:
            cursor.execute(f'DROP INDEX "{name}"')
            rebuild.append(definition)
    for table, name, definition in cursor.execute(load.PG_FOREIGN_KEYS).fetchall():
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        rebuild.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    return rebuild


def _drop_sqlite_deferred(execute: Any) -> list[str]:
    """Drop the event and item indexes a large SQLite import defers, as it does (``execute``:
    a connection's way of running one SQL text, ``sqlite3``'s or SQLAlchemy's); their
    ``CREATE INDEX`` statements, to build them again at the end."""
    from alianza.seizures import load

    deferred = load.DEFERRED_INDEXES | {load.EVENT_KEY_INDEX}
    found = [
        (name, sql)
        for name, sql in execute(
            "SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN ('seizure_event', 'seizure_drug_item')"
        )
        if name in deferred
    ]
    for name, _ in found:
        execute(f'DROP INDEX main."{name}"')
    return [sql for _, sql in found]


def sqlite_floor(url: str, stored: Path, summary: bool = False) -> float:
    """SQLite alone storing the very rows an import stored (issue 19, item 4's floor): a fresh
    migrated database, the import's database attached, one ``INSERT … SELECT`` a table (no
    Python a row), the indexes a large import defers dropped first and built again at the end,
    one transaction, the importer's page cache; seconds from ``BEGIN`` to ``COMMIT``. With
    ``summary``, the rows the import stored in the summary tables too (every row it stored:
    the same rows in the same schema), copied as they are into the tables and their indexes."""
    import sqlite3

    from sqlalchemy.engine import make_url

    from alianza.seizures import load

    target = make_url(url).database
    assert target is not None
    connection = sqlite3.connect(target, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute(f"PRAGMA cache_size = -{load.SQLITE_IMPORT_CACHE_KIB}")
    connection.execute("ATTACH DATABASE ? AS stored", (str(stored),))
    started = time.perf_counter()
    connection.execute("BEGIN")
    rebuild = _drop_sqlite_deferred(connection.execute)
    tables = ["seizure_import_batch", *TABLES]
    if summary:
        from alianza.seizures.summary import TABLES as SUMMARY_TABLES  # today's code only

        tables += [table.name for table in SUMMARY_TABLES]
    for table in tables:
        names = [row[1] for row in connection.execute(f"PRAGMA main.table_info({table})")]
        listed = ", ".join(f'"{name}"' for name in names)
        connection.execute(
            f"INSERT INTO main.{table} ({listed}) SELECT {listed} FROM stored.{table}"
        )
    for sql in rebuild:
        connection.execute(sql)
    connection.execute("COMMIT")
    seconds = time.perf_counter() - started
    connection.close()
    return seconds


def sqlite_driver(url: str, stored: Path) -> tuple[float, float]:
    """The import's own statements for the very rows it stored, handed to the standard
    driver as Python tuples with no other Python work a row: chunks of the import's size
    (``CHUNK`` file rows, an item a row, events whole), its ``BulkInsert`` (``executemany``,
    one bound value a field; a chunk's columns empty in every row written as ``NULL``), the
    indexes it defers dropped and built again, one transaction; the connection set as the
    floor's (WAL, the importer's page cache, foreign keys not checked: the import checks them,
    about 5 % of this at 100,000 events). What an import that hands its rows to the standard
    ``sqlite3`` module this way pays at least, before reading, checking, hashing or keeping
    the summary tables; seconds and CPU seconds from ``BEGIN`` to ``COMMIT``."""
    import sqlite3

    from sqlalchemy import create_engine

    from alianza.seizures import load
    from alianza.seizures.service import CHUNK

    source = sqlite3.connect(stored)
    listed = ", ".join(f'"{name}"' for name in load.EVENT_COLUMNS)
    events = source.execute(f"SELECT {listed} FROM seizure_event ORDER BY id").fetchall()
    listed = ", ".join(f'"{name}"' for name in load.ITEM_COLUMNS)
    items = source.execute(f"SELECT {listed} FROM seizure_drug_item ORDER BY id").fetchall()
    source.close()
    owner = load.ITEM_COLUMNS.index("event_id")
    chunks: list[tuple[list[Any], list[Any]]] = []
    taken = at = 0
    while at < len(items):  # CHUNK items, then the rest of the last one's event
        end = min(at + CHUNK, len(items))
        while end < len(items) and items[end][owner] == items[end - 1][owner]:
            end += 1
        last = items[end - 1][owner]
        first = taken
        while taken < len(events) and events[taken][0] <= last:
            taken += 1
        chunks.append((events[first:taken], items[at:end]))
        at = end
    assert taken == len(events), "events without items"
    engine = create_engine(url)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA journal_mode = WAL")
        connection.exec_driver_sql(f"PRAGMA cache_size = -{load.SQLITE_IMPORT_CACHE_KIB}")
        connection.exec_driver_sql("ATTACH DATABASE ? AS stored", (str(stored),))
        connection.commit()
        started, cpu = time.perf_counter(), time.process_time()
        with connection.begin():
            connection.exec_driver_sql(
                "INSERT INTO main.seizure_import_batch SELECT * FROM stored.seizure_import_batch"
            )
            rebuild = _drop_sqlite_deferred(connection.exec_driver_sql)
            event_insert = load.BulkInsert(connection, load.EVENT_TABLE, load.EVENT_COLUMNS)
            item_insert = load.BulkInsert(connection, load.ITEM_TABLE, load.ITEM_COLUMNS)
            for chunk_events, chunk_items in chunks:
                event_insert.execute(chunk_events)
                item_insert.execute(chunk_items)
            for sql in rebuild:
                connection.exec_driver_sql(sql)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    engine.dispose()
    return seconds, cpu


def _has_driver() -> bool:
    """Whether this code has the loader the replay uses (earlier commits' did not)."""
    from alianza.seizures import load

    needed = ("BulkInsert", "EVENT_COLUMNS", "ITEM_COLUMNS", "EVENT_TABLE", "ITEM_TABLE")
    return all(hasattr(load, name) for name in needed)


def _has_summary() -> bool:
    try:
        from alianza.seizures.summary import TABLES  # noqa: F401
    except ImportError:
        return False
    return True


def measure(kind: str, path: Path, url: str, dump: Path | None, copy_format: str) -> dict[str, Any]:
    """In a fresh process: one import (or the floor) into the empty migrated database at
    ``url``; seconds, rows and where the time went."""
    import inspect

    from alianza.db import Database

    # a node's database knows its country (earlier commits' Database took only the URL)
    known = "country" in inspect.signature(Database).parameters
    database = Database(url, country="US") if known else Database(url)
    database.migrate()
    figures: dict[str, Any] = {"kind": kind}
    if kind == "sqlite-driver":
        assert dump is not None
        database.dispose()
        if not _has_driver():
            figures["seconds"] = None
            return figures
        figures["seconds"], figures["cpu"] = sqlite_driver(url, dump)
        return figures
    if kind in ("sqlite-floor", "sqlite-floor-summary"):
        assert dump is not None
        database.dispose()
        cpu = time.process_time()
        if kind == "sqlite-floor-summary" and not _has_summary():  # an earlier commit's code
            figures["seconds"] = None
            return figures
        figures["seconds"] = sqlite_floor(url, dump, summary=kind == "sqlite-floor-summary")
        figures["cpu"] = time.process_time() - cpu
        return figures
    if kind in ("floor", "floor-deferred"):
        assert dump is not None
        connection = database.engine.raw_connection()
        driver: Any = connection.driver_connection
        started = time.perf_counter()
        with driver.cursor() as cursor:
            cursor.execute(
                "INSERT INTO seizure_import_batch (id, source, sha256, profile, imported_at, "
                "actor, stats) VALUES (1, 'bench', '', 'canonical', now(), 'bench', '{}')"
            )
            rebuild = _drop_deferred(cursor) if kind == "floor-deferred" else []
            for table in TABLES:
                query = f"COPY {table} FROM STDIN (FORMAT BINARY)"
                with cursor.copy(query) as copy, (dump / table).open("rb") as handle:
                    while block := handle.read(1 << 20):
                        copy.write(block)
            for statement in rebuild:
                cursor.execute(statement)
        driver.commit()
        figures["seconds"] = time.perf_counter() - started
        connection.close()
    else:
        from alianza.actors import NodeSelf
        from alianza.seizures import load
        from alianza.seizures.service import import_file

        if hasattr(load, "COPY_FORMAT"):
            load.COPY_FORMAT = copy_format
        started, cpu = time.perf_counter(), time.process_time()
        outcome = import_file(database, path, "canonical", actor=NodeSelf("benchmark"))
        figures["seconds"] = time.perf_counter() - started
        figures["cpu"] = time.process_time() - cpu  # this process's (SQLite's work included)
        figures["rows"] = outcome.report.loaded
        figures["quarantined"] = outcome.report.quarantined
        figures["timings"] = getattr(outcome, "timings", {})
        if dump is not None:  # the stored rows, for the floor (the batch's id made 1)
            connection = database.engine.raw_connection()
            driver = connection.driver_connection
            with driver.cursor() as cursor:
                cursor.execute("UPDATE seizure_event SET batch_id = 1")
                for table in TABLES:
                    query = f"COPY (SELECT * FROM {table} ORDER BY id) TO STDOUT (FORMAT BINARY)"
                    with cursor.copy(query) as copy, (dump / table).open("wb") as handle:
                        for block in copy:
                            handle.write(block)
            driver.rollback()
            connection.close()
    database.dispose()
    return figures


def run(kind: str, path: Path, url: str, dump: Path | None, options: dict[str, Any]) -> Any:
    """One measurement in a fresh process (``src`` first on the path: today's or older code)."""
    command = [sys.executable, __file__, "--measure", kind, "--file", str(path), "--url", url]
    command += ["--copy-format", options["copy_format"]]
    if dump is not None:
        command += ["--dump", str(dump)]
    environment = dict(os.environ, PYTHONPATH=str(options.get("src", ROOT / "src")))
    environment.setdefault("ALIANZA_COUNTRY", "US")  # a node country, where the code asks one
    out = subprocess.run(command, capture_output=True, text=True, check=False, env=environment)
    if out.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _with_summary(tried: dict[str, Any], import_s: float, import_cpu: float) -> str:
    """The floor that also stores the summary tables' rows, against the import; the import's
    statements alone through the driver, against the floor."""
    said = ""
    floor = tried.get("sqlite-floor-summary") or {}
    if floor.get("seconds") is not None:
        seconds, cpu = floor["seconds"], floor["cpu"]
        said += (
            f"floor with the summary rows {seconds:.1f} s (CPU {cpu:.2f} s), "
            f"{seconds / import_s:.3f}x ({cpu / import_cpu:.3f}x per CPU second); "
        )
    driver = tried.get("sqlite-driver") or {}
    if driver.get("seconds") is not None:
        seconds, bare = driver["seconds"], tried["sqlite-floor"]["seconds"]
        said += (
            f"the import's statements alone through executemany {seconds:.1f} s (CPU "
            f"{driver['cpu']:.2f} s): the floor is {bare / seconds:.3f}x of that; "
        )
    return said


def shares(figures: dict[str, Any]) -> str:
    timings = figures.get("timings") or {}
    total = timings.get("total")
    if not total:
        return ""
    reading, storing = timings["reading"], timings["storing"]
    duplicates, summing = timings["duplicates"], timings.get("summary", 0.0)
    checking = total - reading - storing - duplicates - summing
    parts = [
        ("read", reading),
        ("check", checking),
        ("store", storing),
        ("dedupe", duplicates),
        ("summary", summing),
    ]
    return " ".join(f"{name} {value / total:4.0%}" for name, value in parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="10000,100000,1000000", help="sizes, comma-separated")
    parser.add_argument("--multi", type=float, default=0.25, help="share of two-row events")
    parser.add_argument("--postgres", default=POSTGRES, help="a PostgreSQL server's URL")
    parser.add_argument("--copy-format", default="binary", choices=("binary", "text"))
    parser.add_argument("--before", help="also time this commit's imports and SQLite floor")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="SQLite import and floor this many times a code, interleaved; the fastest kept",
    )
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        figures = measure(args.measure, args.file, args.url, args.dump, args.copy_format)
        print(json.dumps(figures))
        return

    options: dict[str, Any] = {"copy_format": args.copy_format}
    workdir = Path(tempfile.mkdtemp(prefix="alianza-pg-scale-"))
    sizes = [int(n) for n in args.events.split(",")]
    codes: dict[str, dict[str, Any]] = {"now": options}  # today's first: a cut run keeps it
    if args.before:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.before, "src/alianza"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(workdir)], input=archive, check=True)
        codes["before"] = {**options, "src": workdir / "src"}
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    print(f"COPY format {args.copy_format}; {args.multi:.0%} of events on two rows")
    results: dict[int, dict[str, Any]] = {}
    for events in sorted(sizes):
        path = workdir / f"events-{events}.csv"
        found: dict[str, Any] = {"rows": generate(path, events, args.multi)}
        sqlite_runs: dict[str, dict[str, Any]] = {code: {} for code in codes}
        for attempt in range(args.repeat):  # SQLite's legs interleaved: the same load
            for code, chosen in codes.items():  # today's code, then the one before
                target = workdir / f"sqlite-{events}.db"
                tried = {"sqlite": run("import", path, f"sqlite:///{target}", None, chosen)}
                for floor in ("sqlite-floor", "sqlite-floor-summary", "sqlite-driver"):
                    floor_db = workdir / f"{floor}-{events}.db"
                    tried[floor] = run(floor, path, f"sqlite:///{floor_db}", target, chosen)
                stale = [
                    *workdir.glob(f"sqlite-{events}.db*"),
                    *workdir.glob("sqlite-floor-*"),
                    *workdir.glob("sqlite-driver-*"),
                ]
                for old in stale:
                    old.unlink()
                load = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
                import_s, floor_s = tried["sqlite"]["seconds"], tried["sqlite-floor"]["seconds"]
                import_cpu, floor_cpu = tried["sqlite"]["cpu"], tried["sqlite-floor"]["cpu"]
                print(
                    f"  {events:,} events, {code}, try {attempt + 1}: SQLite {import_s:.1f} s "
                    f"({found['rows'] / import_s:,.0f} rows/s; CPU {import_cpu:.2f} s), floor "
                    f"{floor_s:.1f} s ({found['rows'] / floor_s:,.0f} rows/s; CPU "
                    f"{floor_cpu:.2f} s), {floor_s / import_s:.3f}x ({floor_cpu / import_cpu:.3f}x "
                    f"per CPU second); {_with_summary(tried, import_s, import_cpu)}"
                    f"load average {load}",
                    flush=True,
                )
                kept_runs = sqlite_runs[code]
                for kind, figures in tried.items():  # the fastest try of each (the least load)
                    if figures["seconds"] is None:
                        continue
                    if kind not in kept_runs or figures["seconds"] < kept_runs[kind]["seconds"]:
                        kept_runs[kind] = figures
        for code, chosen in codes.items():  # today's code, then the one before, size by size
            measured: dict[str, Any] = dict(sqlite_runs[code])
            if args.no_postgres:
                found[code] = measured
                continue
            dump = workdir / f"dump-{events}-{code}"
            dump.mkdir()
            url = _new_postgres(args.postgres)
            try:
                kept = dump if code == "now" else None  # the server's floors: today's code
                measured["postgresql"] = run("import", path, url, kept, chosen)
            finally:
                _drop_postgres(url)
            if code == "now":
                for floor in ("floor", "floor-deferred"):
                    url = _new_postgres(args.postgres)
                    try:
                        measured[floor] = run(floor, path, url, dump, chosen)
                    finally:
                        _drop_postgres(url)
                for table in TABLES:
                    (dump / table).unlink()
            found[code] = measured
            load = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
            for kind, figures in measured.items():  # as they come, in case the run is cut
                seconds = figures["seconds"]
                print(
                    f"  {events:,} events, {code}, {kind}: {seconds:.1f} s, "
                    f"{found['rows'] / seconds:,.0f} rows/s",
                    flush=True,
                )
            ratio = measured["postgresql"]["seconds"] / measured["sqlite"]["seconds"]
            print(f"  PG/SQLite {ratio:.2f}x; load average {load}", flush=True)
        path.unlink()
        results[events] = found
    print("load average after:  {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    report(results, args.before)


def report(results: dict[int, dict[str, Any]], before: str | None) -> None:
    def cell(figures: dict[str, Any] | None, rows: int) -> str:
        if not figures:
            return f"{'—':>18}"
        seconds = figures["seconds"]
        return f"{seconds:>7.1f} s {rows / seconds:>8,.0f}"

    print("\nseconds and CSV rows per second (a stored item row each); code: 'now' is this tree's")
    print(
        f"{'events':>10} {'rows':>10} {'code':<7}│ {'SQLite':^18} │ {'SQLite floor':^18} │ "
        f"{'SQLite/floor':^12} │ {'floor, summary too':^18} │ {'SQLite/it':^10} │ "
        f"{'PostgreSQL':^18} │ {'PG COPY floor':^18} │ "
        f"{'PG floor, idx after':^19} │ PG/SQLite"
    )
    for events, found in results.items():
        rows = found["rows"]
        for code in ("before", "now"):
            if code not in found:
                continue
            m = found[code]
            sqlite = m["sqlite"]["seconds"]
            pg = m["postgresql"]["seconds"] if "postgresql" in m else float("nan")
            share = m["sqlite-floor"]["seconds"] / sqlite
            whole = m.get("sqlite-floor-summary")
            whole_share = f"{whole['seconds'] / sqlite:>9.2f}×" if whole else f"{'—':>10}"
            print(
                f"{events:>10,} {rows:>10,} {code:<7}│ {cell(m['sqlite'], rows)} │ "
                f"{cell(m['sqlite-floor'], rows)} │ {share:>11.2f}× │ "
                f"{cell(whole, rows)} │ {whole_share} │ "
                f"{cell(m.get('postgresql'), rows)} │ {cell(m.get('floor'), rows)} │ "
                f"{cell(m.get('floor-deferred'), rows)} │ {pg / sqlite:>8.2f}×"
            )
    print(
        "\nshares of each import's time (read, check, store, duplicate search, summary "
        "tables' upkeep; commit and the rest in check)"
    )
    for events, found in results.items():
        for code in ("before", "now"):
            for backend in ("sqlite", "postgresql"):
                if code in found and backend in found[code]:
                    print(f"{events:>10,} {code:<7}{backend:<11} {shares(found[code][backend])}")
    sizes = sorted(results)
    print()
    for code in ("before", "now"):
        for small, large in itertools.pairwise(sizes):
            if code not in results[small]:
                continue
            for backend in ("sqlite", "postgresql"):
                if backend not in results[small][code]:
                    continue
                growth = (
                    results[large][code][backend]["seconds"]
                    / results[small][code][backend]["seconds"]
                )
                print(
                    f"{code:<7}{backend:<11} {large:,} / {small:,} events: {growth:.1f}× the "
                    f"time for {large / small:.0f}× the events"
                )
    print(
        "\ntargets: PostgreSQL / SQLite at 1,000,000 events at most 1× and 1,000,000 / 100,000 "
        "at most 12× on PostgreSQL (issue 24); SQLite / floor at least 0.6× (issue 19)"
    )
    if before:
        print(f"'before' is commit {before}; its SQLite floor is measured in its own schema")
    print("\nissue 24's figures before this work (PostgreSQL; SQLite in brackets), seconds:")
    for events, (pg_seconds, sqlite_seconds) in BASELINE.items():
        shown = (
            "not done after 20 minutes"
            if pg_seconds is None
            else f"{pg_seconds:.1f} ({sqlite_seconds:.1f})"
        )
        print(f"{events:>10,} events: {shown}")


if __name__ == "__main__":
    main()
