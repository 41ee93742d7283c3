"""Benchmark: totals over a generated node, the SQL ``GROUP BY`` beside the Python pass it
replaced (issue 19, items 2 and the first figures of its benchmark).

A US node of ``--events`` generated events (:mod:`generate_node`, through the product's
import) is built once per backend, or reused when the database already holds events. Then,
for each path, in a fresh process each (so "cold" is the first call, no cache in the process),
the first and the second ("warm") call of (the code before: the first call only; it kept no
cache on these paths but the pages', whose warm view is a look-up in both):

- ``aggregate --by drug,port,quarter``: what ``alianza seizures aggregate`` computes;
- ``exchange quarter tables``: the four tables of a quarter's package
  (:func:`alianza.exchange.cube.quarter_tables`, what ``exchange build`` sums);
- ``/seizures`` (US viewer, by quarter) and ``/seizures/map``: the totals each page asks for
  (:func:`~alianza.seizures.cache.cached_aggregate`, :func:`~alianza.seizures.overview.map_places`;
  warm is the per-worker cache the product keeps);
- ``threat assessment, one year``: the draft of
  :mod:`alianza.cooperation.threat_assessment` for 2024.

"before" is the Python pass over every event (``tests/seizures/aggregate_oracle.py``, the code
of commit 2d3a610) put in place of ``aggregate`` where each path calls it; "after" is today's.

    .venv/bin/python benchmarks/aggregate_scale.py --events 1000000 \\
        --sqlite /tmp/us-1m.db [--postgres postgresql+psycopg://…/us_1m]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

QUARTER = "2024-Q2"
PATHS = {
    "aggregate drug,port,quarter": "alianza.seizures.aggregate",
    "exchange quarter tables": "alianza.exchange.cube",
    "/seizures (by quarter)": "alianza.seizures.cache",
    "/seizures/map": "alianza.seizures.cache",
    "threat assessment, one year": "alianza.cooperation.threat_assessment",
}


def _call(path: str, session: Any) -> None:
    if path == "aggregate drug,port,quarter":
        from alianza.seizures import aggregate as module

        module.aggregate(session, ["drug", "port", "quarter"])
    elif path == "exchange quarter tables":
        from alianza.exchange.cube import quarter_tables

        quarter_tables(session, country="US", quarter=QUARTER)
    elif path == "/seizures (by quarter)":
        from alianza.seizures.cache import cached_aggregate

        cached_aggregate(session, ["quarter"], {}, viewer_country="US")
        cached_aggregate(session, ["source"], {}, viewer_country="US")
    elif path == "/seizures/map":
        from alianza.seizures.overview import map_places

        map_places(session, {}, viewer_country="US")
    else:
        from alianza.cooperation.threat_assessment import draft_threat_assessment

        draft_threat_assessment(session, date(2024, 1, 1), date(2024, 12, 31))


def measure(path: str, code: str, url: str) -> dict[str, float | None]:
    """First and second call of ``path`` in this (fresh) process, seconds."""
    from alianza.db import Database

    if code == "before":
        import importlib

        from tests.seizures.aggregate_oracle import python_aggregate

        importlib.import_module(PATHS[path]).aggregate = python_aggregate
    database = Database(url, country="US")
    times = []
    for _ in range(1 if code == "before" else 2):  # before: no cache, warm costs what cold does
        with database.reader() as session:
            started = time.perf_counter()
            _call(path, session)
            times.append(time.perf_counter() - started)
    database.dispose()
    return {"cold": times[0], "warm": times[-1] if len(times) > 1 else None}


def _node(url: str, events: int) -> str:
    from benchmarks.generate_node import fill_node
    from sqlalchemy import func, select

    from alianza.db import Database
    from alianza.seizures.models import Event

    database = Database(url, country="US")
    database.migrate()
    with database.reader() as session:
        held = session.scalar(select(func.count(Event.id))) or 0
    if held:
        database.dispose()
        return f"reused: {held:,} events held"
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as work:
        figures = fill_node(database, events, 19, Path(work))
    database.dispose()
    return f"built in {time.perf_counter() - started:.0f} s: {figures}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--sqlite", type=Path, help="SQLite file of the node (built if empty)")
    parser.add_argument("--postgres", help="URL of an existing PostgreSQL database of the node")
    parser.add_argument("--paths", default=";".join(PATHS), help="paths, separated by ;")
    parser.add_argument(
        "--before",
        default="aggregate drug,port,quarter",
        help="paths (separated by ;) to time with the code before too (its passes over every "
        "event take minutes at 1M on a loaded machine), or 'all'",
    )
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    urls = {}
    if args.sqlite:
        urls["SQLite"] = f"sqlite:///{args.sqlite}"
    if args.postgres:
        urls["PostgreSQL"] = args.postgres
    for backend, url in urls.items():
        print(f"{backend} node ({args.events:,} events asked): {_node(url, args.events)}")
    print("\n| backend | path | before cold | before warm | after cold | after warm | cold ×|")
    print("| --- | --- | --: | --: | --: | --: | --: |")
    for backend, url in urls.items():
        before = set(PATHS) if args.before == "all" else set(args.before.split(";"))
        for path in args.paths.split(";"):
            got: dict[str, Any] = {"before": {"cold": None}}
            for code in ("before", "after") if path in before else ("after",):
                out = subprocess.run(
                    [sys.executable, __file__, "--measure", path, code, url],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                got[code] = json.loads(out.stdout.strip().splitlines()[-1])
            b, a = got["before"]["cold"], got["after"]
            shown = ("", "") if b is None else (f"{b:.2f} s", f"{b / a['cold']:.1f}×")
            print(
                f"| {backend} | {path} | {shown[0]} | (as cold) | "
                f"{a['cold']:.2f} s | {a['warm']:.2f} s | {shown[1]} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
