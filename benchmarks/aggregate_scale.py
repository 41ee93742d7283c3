"""Benchmark: totals over a generated node: the summary tables kept at import
(:mod:`alianza.seizures.summary`) beside the SQL ``GROUP BY`` over every event they replaced
(:mod:`alianza.seizures.event_sums`), and optionally the Python pass before that; and the
import with and without the upkeep of the summary tables (issue 19).

A US node of ``--events`` generated events (:mod:`generate_node`, through the product's
import) is built once per backend, or reused when the database already holds events. Then,
for each path, in a fresh process each (so "cold" is the first call, no cache in the process;
the results kept for every worker, ``alianza.db.kept``, are forgotten first), the first and the
second ("warm") call of (the code before: the first call only; it kept no cache on these paths
but the pages', whose warm view is a look-up in both):

- ``aggregate --by drug,port,quarter``: what ``alianza seizures aggregate`` computes;
- ``exchange quarter tables``: the four tables of a quarter's package
  (:func:`alianza.exchange.cube.quarter_tables`, what ``exchange build`` sums);
- ``/seizures`` (US viewer, by quarter) and ``/seizures/map``: the totals each page asks for
  (:func:`~alianza.seizures.aggregate.aggregate`, :func:`~alianza.seizures.overview.map_places`;
  warm is a second computation: the pages keep nothing since the per-worker cache went, in
  the code before it (``--against``) a look-up in that cache);
- ``threat assessment, one year``: the draft of
  :mod:`alianza.cooperation.threat_assessment` for 2024;
- ``joint analysis of a quarter``: :func:`alianza.analysis.joint.joint_analysis` of the
  quarter as the ``/analysis`` page computes it (its own cache aside: warm is a second
  computation).

``--against REV`` also times the code of an earlier commit (its ``src/``, exported with
``git archive`` into a scratch folder; the same node, the same run, the same paths), in a
column of its own beside today's, so that a change is measured side by side. ``--repeats N``
runs every path and code N times in fresh processes, the codes taking turns, and prints the
quickest; ``--codes summary`` leaves out the ``GROUP BY`` over events. The clock of a cold
call starts once the path's modules are imported (as in a running worker).

Three codes: "summary" is today's (event totals read from the summary tables); "event_sums"
is the ``GROUP BY`` over every event and item (:meth:`~alianza.seizures.event_sums.EventQuery.sums`,
put in place of the summary read: the code of the first slice of issue 19); "python" (only
for the paths in ``--before``) is the Python pass over every event
(``tests/seizures/aggregate_oracle.py``, the code of commit 2d3a610) put in place of
``aggregate`` where each path calls it.

``--imports`` also times, into empty scratch databases, the import of the node's three files
(new events; a second source's duplicates; corrections that supersede earlier versions)
without and with the upkeep of the summary tables (:data:`alianza.seizures.summary.MAINTAIN`),
with the upkeep's own seconds (the one call after the events are stored); with
``--imports-only --against REV``, that commit's import and this tree's instead, both with the
upkeep, in turn.

    .venv/bin/python benchmarks/aggregate_scale.py --events 1000000 \\
        --sqlite /tmp/us-1m.db [--postgres postgresql+psycopg://…/us_1m] [--imports]
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# the library timed: this tree's, or an earlier commit's exported by --against (its src/)
SOURCE = os.environ.get("AGGREGATE_SCALE_SRC") or str(ROOT / "src")
sys.path[:0] = [SOURCE, str(ROOT)]

QUARTER = "2024-Q2"
PATHS = {
    "aggregate drug,port,quarter": "alianza.seizures.aggregate",
    "exchange quarter tables": "alianza.exchange.cube",
    "/seizures (by quarter)": "alianza.seizures.aggregate",
    "/seizures/map": "alianza.seizures.overview",
    "threat assessment, one year": "alianza.cooperation.threat_assessment",
    "joint analysis of a quarter": "alianza.exchange.cube",
}


def _call(path: str, session: Any) -> None:
    if path == "aggregate drug,port,quarter":
        from alianza.seizures import aggregate as module

        module.aggregate(session, ["drug", "port", "quarter"])
    elif path == "exchange quarter tables":
        from alianza.exchange.cube import quarter_tables

        quarter_tables(session, country="US", quarter=QUARTER)
    elif path == "/seizures (by quarter)":
        try:  # the code before: a per-worker cache in front
            from alianza.seizures.cache import cached_aggregate as totals
        except ImportError:
            from alianza.seizures import aggregate as module

            totals = module.aggregate  # as patched by measure()
        totals(session, ["quarter"], {}, viewer_country="US")
        totals(session, ["source"], {}, viewer_country="US")
    elif path == "/seizures/map":
        from alianza.seizures.overview import map_places

        map_places(session, {}, viewer_country="US")
    elif path == "joint analysis of a quarter":
        from alianza.analysis.joint import joint_analysis

        joint_analysis(session, QUARTER, own_country="US")
    else:
        from alianza.cooperation.threat_assessment import draft_threat_assessment

        draft_threat_assessment(session, date(2024, 1, 1), date(2024, 12, 31))


def measure(path: str, code: str, url: str) -> dict[str, float | None]:
    """First and second call of ``path`` in this (fresh) process, seconds."""
    from alianza.db import Database

    if code == "python":
        from tests.seizures.aggregate_oracle import python_aggregate

        importlib.import_module(PATHS[path]).aggregate = python_aggregate
    elif code == "event_sums":
        from alianza.seizures import aggregate as module

        module.EVENT_GROUPS = lambda session, query: query.sums(session)
    importlib.import_module(PATHS[path])  # as in a running worker: modules loaded, no
    importlib.import_module("alianza.seizures.overview")  # result computed yet
    database = Database(url, country="US")
    forget_kept(database)
    times = []
    for _ in range(1 if code == "python" else 2):  # python: no cache, warm costs what cold does
        with database.reader() as session:
            started = time.perf_counter()
            _call(path, session)
            times.append(time.perf_counter() - started)
    database.dispose()
    return {"cold": times[0], "warm": times[-1] if len(times) > 1 else None}


def forget_kept(database: Any) -> None:
    """Cold means computed from the records: forget the results kept for every worker
    (``alianza.db.kept``, where the code timed has it), which an earlier process wrote."""
    try:
        from alianza.db.kept import KeptResult
    except ImportError:  # code before the kept results
        return
    from sqlalchemy import delete

    with database.transaction() as session:
        session.execute(delete(KeptResult))


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
        default="",
        help="paths (separated by ;) to time with the Python pass too (its passes over every "
        "event take minutes at 1M on a loaded machine), or 'all'",
    )
    parser.add_argument(
        "--against",
        metavar="REV",
        help="also time the summary read of this earlier commit (e.g. HEAD~1), side by side",
    )
    parser.add_argument(
        "--codes",
        default="event_sums,summary",
        help="codes of today's tree to time, of event_sums,summary (default both)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=1,
        help="fresh processes per path and code, the codes taking turns; the quickest is shown",
    )
    parser.add_argument(
        "--imports", action="store_true", help="also time imports without and with the upkeep"
    )
    parser.add_argument(
        "--postgres-server",
        help="PostgreSQL server URL for the scratch databases of --imports (created, dropped)",
    )
    parser.add_argument(
        "--imports-only", action="store_true", help="only the imports (no node, no timings)"
    )
    parser.add_argument("--import-repeats", type=int, default=1, help="runs of each (quickest)")
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--import-once", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    if args.import_once:
        url, maintain, *files = args.import_once
        print(json.dumps(_import_once(url, [Path(f) for f in files], maintain == "True")))
        return
    if args.imports_only:  # SQLite always; PostgreSQL with --postgres-server
        with tempfile.TemporaryDirectory() as scratch:  # --against: that commit's import
            earlier = _export(args.against, Path(scratch)) if args.against else None
            imports(
                args.events,
                True,
                args.postgres_server,
                args.import_repeats,
                (args.against, earlier) if earlier else None,
            )
        return
    urls = {}
    if args.sqlite:
        urls["SQLite"] = f"sqlite:///{args.sqlite}"
    if args.postgres:
        urls["PostgreSQL"] = args.postgres
    for backend, url in urls.items():
        print(f"{backend} node ({args.events:,} events asked): {_node(url, args.events)}")
    print(f"\nload average before the timings: {_load()}")
    with tempfile.TemporaryDirectory() as scratch:
        earlier = _export(args.against, Path(scratch)) if args.against else None
        _timings(args, urls, earlier)
    print(f"\nload average after the timings: {_load()}")
    if args.imports:
        imports(args.events, args.sqlite is not None, args.postgres_server, args.import_repeats)


def _export(rev: str, into: Path) -> str:
    """The ``src/`` of commit ``rev``, written under ``into`` (nothing else is touched)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return str(into / "src")


def _timings(args: argparse.Namespace, urls: dict[str, str], earlier: str | None) -> None:
    """Each path in a fresh process per code: cold and warm seconds, one row a path."""
    codes = [c for c in args.codes.split(",") if c]
    before = set(PATHS) if args.before == "all" else set(filter(None, args.before.split(";")))
    heads = [f"{c} {w}" for c in codes for w in ("cold", "warm")]
    if earlier:
        heads = [f"{args.against} cold", f"{args.against} warm", *heads]
    print(f"\n| backend | path | python cold | {' | '.join(heads)} | load |")
    print(f"| --- | --- | --: | {' | '.join('--:' for _ in heads)} | --: |")
    for backend, url in urls.items():
        for path in args.paths.split(";"):
            runs: list[tuple[str, str | None]] = [(c, None) for c in codes]
            if earlier:
                runs.insert(0, ("summary", earlier))
            if path in before:
                runs.insert(0, ("python", None))
            got: list[dict[str, Any]] = [{} for _ in runs]
            for _ in range(args.repeats):  # the codes in turn, each time: the same load
                for n, (code, source) in enumerate(runs):
                    env = {**os.environ, "AGGREGATE_SCALE_SRC": source or ""}
                    out = subprocess.run(
                        [sys.executable, __file__, "--measure", path, code, url],
                        capture_output=True,
                        text=True,
                        check=True,
                        env=env,
                    )
                    run = json.loads(out.stdout.strip().splitlines()[-1])
                    for name, seconds in run.items():  # the quickest of the repeats
                        held = got[n].get(name)
                        quicker = seconds is not None and (held is None or seconds < held)
                        got[n][name] = seconds if quicker else held
            python = got.pop(0)["cold"] if path in before else None
            cells = ["" if t is None else f"{t:.3f} s" for g in got for t in (g["cold"], g["warm"])]
            print(
                f"| {backend} | {path} | {'' if python is None else f'{python:.2f} s'} | "
                f"{' | '.join(cells)} | {os.getloadavg()[0]:.1f} |",
                flush=True,
            )


def _load() -> str:
    return ", ".join(f"{v:.2f}" for v in os.getloadavg())


def _import_once(url: str, files: list[Path], maintain: bool) -> list[dict[str, float]]:
    """Import ``files`` into the empty database ``url``, with or without the summary upkeep."""
    from alianza.actors import NodeSelf
    from alianza.db import Database
    from alianza.seizures import summary
    from alianza.seizures.service import import_file

    summary.MAINTAIN = maintain
    database = Database(url, country="US")
    database.migrate()
    figures = []
    for path in files:
        started = time.perf_counter()
        outcome = import_file(database, path, "canonical", actor=NodeSelf("bench"))
        figures.append(
            {
                "seconds": time.perf_counter() - started,
                "summary": outcome.timings.get("summary", 0.0),
                "loaded": outcome.report.loaded,
            }
        )
    database.dispose()
    return figures


def imports(
    events: int,
    sqlite: bool,
    server: str | None,
    repeats: int,
    earlier: tuple[str, str] | None = None,
) -> None:
    """The node's three files imported into empty scratch databases, without and with the
    summary upkeep, each in a fresh process; side by side. With ``earlier`` (a commit and its
    exported ``src/``): that commit's import and this tree's, both with the upkeep, in turn."""
    from benchmarks.generate_node import write_files

    # (label, library, upkeep): the first is the baseline of the overhead column
    runs: list[tuple[str, str | None, bool]] = [
        ("import without summary", None, False),
        ("import with summary", None, True),
    ]
    if earlier is not None:
        runs = [(f"{earlier[0]} import", earlier[1], True), ("this import", None, True)]
    print(f"\nload average before the imports: {_load()}")
    print(
        f"\n| backend | file | rows loaded | {runs[0][0]} | {runs[1][0]} "
        "| of which summary upkeep (each) | overhead |"
    )
    print("| --- | --- | --: | --: | --: | --: | --: |")
    with tempfile.TemporaryDirectory() as work:
        files = write_files(Path(work), "US", events, 19)
        backends = []
        if sqlite:
            backends.append("SQLite")
        if server is not None:
            backends.append("PostgreSQL")
        for backend in backends:
            got: dict[int, list[dict[str, Any]]] = {}
            for n_run in (0, 1) * repeats:  # the quicker of ``repeats`` runs each
                _label, source, maintain = runs[n_run]
                url, drop = _scratch(backend, Path(work), server, maintain)
                try:
                    out = subprocess.run(
                        [
                            sys.executable,
                            __file__,
                            "--import-once",
                            url,
                            str(maintain),
                            *map(str, files),
                        ],
                        capture_output=True,
                        text=True,
                        check=True,
                        env={**os.environ, "AGGREGATE_SCALE_SRC": source or ""},
                    )
                    run = json.loads(out.stdout.strip().splitlines()[-1])
                    held = got.setdefault(n_run, run)
                    for n, figures in enumerate(run):
                        if figures["seconds"] < held[n]["seconds"]:
                            held[n] = figures
                finally:
                    drop()
            for n, path in enumerate(files):
                off, on = got[0][n], got[1][n]
                print(
                    f"| {backend} | {path.name} | {on['loaded']:,} | {off['seconds']:.2f} s | "
                    f"{on['seconds']:.2f} s | {off['summary']:.2f} s, {on['summary']:.2f} s | "
                    f"{(on['seconds'] / off['seconds'] - 1) * 100:+.0f} % |",
                    flush=True,
                )
    print(f"\nload average after the imports: {_load()}")


def _scratch(backend: str, work: Path, server: str | None, maintain: bool) -> tuple[str, Any]:
    """An empty database for one import run, and how to drop it."""
    if backend == "SQLite":
        path = work / f"import-{maintain}.db"
        return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    assert server is not None
    name = f"agg19_import_{os.getpid()}_{'with' if maintain else 'without'}"  # run's own
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    return make_url(server).set(database=name).render_as_string(hide_password=False), drop


if __name__ == "__main__":
    main()
