"""Benchmark: what each kept result saves (issue 19, "caches only where they pay").

For each step, in a fresh process (a worker that has just started; modules imported, nothing
computed): the first call (nothing kept), the same computation again with nothing kept (what
every view would pay without a cache, the database's pages now read), and a call that finds
the result kept (what a view pays with the cache). Seconds, the quickest of ``--repeats``
fresh processes.

    .venv/bin/python benchmarks/cache_pays.py --url sqlite:////tmp/us-1m.db [--country US]

``--workers``: the seizure totals' first view in two workers of one node, instead: worker 1
(a fresh process, nothing kept anywhere) then worker 2 (another fresh process), with the
totals kept in each worker's memory only (as before the shared store, issue 19 item 3) and
with the shared store behind it (:mod:`alianza.db.kept`): worker 2's first view computes the
totals again, or reads worker 1's row. Seconds, the quickest of ``--repeats``; the two modes
take turns.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

STEPS = (
    "/seizures totals (quarter, source)",
    "/seizures/map places",
    "map drawing (SVG)",
    "fiscal years",
    "data sources",
    "joint analysis (records)",
    "joint analysis (packages)",
)


ANALYSES: list[Any] = []  # the joint-analysis cache of this process
PLACES: list[Any] = []  # the map's places, for the drawing alone


def _forget(database: Any) -> None:
    """Drop every result kept (in this process, and in the database where it keeps any)."""
    from alianza.analysis import cache as analysis_cache
    from alianza.web import svg

    try:  # the code before: totals and places kept per worker, the map drawings too
        from alianza.seizures import cache  # type: ignore[attr-defined]

        cache.records._kept = type(cache.records._kept)(cache.SIZE)
        svg._border_map.cache_clear()  # type: ignore[attr-defined]
    except ImportError:
        pass
    if hasattr(analysis_cache, "forget"):
        analysis_cache.forget(database)
    try:
        ANALYSES[:] = [analysis_cache.JointAnalysisCache(database=database)]
    except TypeError:  # the code before: kept per process only
        ANALYSES[:] = [analysis_cache.JointAnalysisCache()]


def _step(step: str, session: Any, database: Any, country: str, quarter: str) -> None:
    from alianza.seizures.overview import data_sources, fiscal_years, map_places

    try:
        from alianza.seizures.cache import (  # type: ignore[import-not-found]
            cached_aggregate as totals,
        )
    except ImportError:  # today: no cache
        from alianza.seizures.aggregate import aggregate as totals

    if step.startswith("/seizures totals"):
        totals(session, ["quarter"], {}, viewer_country=country)
        totals(session, ["source"], {}, viewer_country=country)
    elif step == "/seizures/map places":
        map_places(session, {}, viewer_country=country)
    elif step == "map drawing (SVG)":
        from alianza.web.svg import MapMark, border_map

        places = PLACES[0]  # read before the clock started
        marks = [
            MapMark(p.name, p.longitude, p.latitude, p.seizures, str(p.seizures), p.kind)
            for p in places
            if p.longitude is not None and p.latitude is not None
        ]
        border_map("Seizures", "map", marks, country_labels=("United States", "Mexico"))
    elif step == "fiscal years":
        fiscal_years(session)
    elif step == "data sources":
        data_sources(session)
    else:
        inputs = "records" if "records" in step else "packages"
        ANALYSES[0].get(session, quarter, own_country=country, inputs=inputs)


def child(url: str, step: str, country: str, quarter: str) -> dict[str, float]:
    import alianza.analysis.joint
    import alianza.seizures.overview
    import alianza.web.svg  # noqa: F401
    from alianza.db import Database

    database = Database(url, country=country)
    with database.reader() as session:  # connected, as a worker that has served a page
        from alianza.db.versioned import data_version
        from alianza.seizures.models import ImportBatch

        data_version(session, [ImportBatch])
    figures = {}
    for name in ("first", "again, nothing kept", "kept"):
        if name != "kept":
            _forget(database)
        with database.reader() as session:
            if step == "map drawing (SVG)":  # the places read first: only the drawing timed
                from alianza.seizures.overview import map_places

                PLACES[:] = [map_places(session, {}, viewer_country=country)]
            started = time.perf_counter()
            _step(step, session, database, country, quarter)
            figures[name] = time.perf_counter() - started
    database.dispose()
    return figures


VIEWS = {
    "/seizures (quarter; source)": [["quarter"], ["source"]],
    "API drug,port,quarter": [["drug", "port", "quarter"]],
}
MODES = ("per worker only", "shared")


def worker(url: str, country: str, view: str, mode: str, first_worker: bool) -> dict[str, float]:
    """One worker's first and second view of ``view`` (a fresh process)."""
    from alianza.db import Database
    from alianza.seizures import cache

    database = Database(url, country=country)
    if first_worker and cache.records.shared is not None:
        cache.records.shared.forget(database)  # nothing kept anywhere: worker 1 computes
    if mode == "per worker only":
        cache.records.shared = None
    with database.reader() as session:  # connected, as a worker that has served a page
        cache.records.version(session)
    figures = {}
    for name in ("first", "second"):
        with database.reader() as session:
            started = time.perf_counter()
            for by in VIEWS[view]:
                cache.cached_aggregate(session, by, {}, viewer_country=country)
            figures[name] = time.perf_counter() - started
    database.dispose()
    return figures


def workers(args: argparse.Namespace) -> None:
    print(f"load average {os.getloadavg()}")
    print(
        f"{'view':28} {'mode':16} {'w1 first':>9} {'w2 first':>9} {'w2 second':>9}"
        f"  (s, quickest of {args.repeats})"
    )
    for view in VIEWS:
        best: dict[str, dict[str, float]] = {}
        for _ in range(args.repeats):
            for mode in MODES:
                for role in ("w1", "w2"):
                    output = subprocess.run(
                        [sys.executable, __file__, "--url", args.url, "--country", args.country,
                         "--worker", view, mode, role],
                        check=True, capture_output=True, text=True,
                    ).stdout  # fmt: skip
                    got = json.loads(output.strip().splitlines()[-1])
                    for name, seconds in got.items():
                        slot = best.setdefault(mode, {})
                        label = f"{role} {name}"
                        slot[label] = min(slot.get(label, seconds), seconds)
        for mode in MODES:
            b = best[mode]
            print(
                f"{view:28} {mode:16} {b['w1 first']:9.3f} {b['w2 first']:9.3f} "
                f"{b['w2 second']:9.3f}",
                flush=True,
            )
    print(f"load average {os.getloadavg()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--country", default="US")
    parser.add_argument("--quarter", default="2024-Q2")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--steps", default=";".join(STEPS), help="separated by ;")
    parser.add_argument("--child", nargs=1, help="internal")
    parser.add_argument("--workers", action="store_true", help="two workers' first views")
    parser.add_argument("--worker", nargs=3, help="internal")
    args = parser.parse_args()
    if args.worker:
        view, mode, role = args.worker
        print(json.dumps(worker(args.url, args.country, view, mode, role == "w1")))
        return
    if args.workers:
        workers(args)
        return
    if args.child:
        print(json.dumps(child(args.url, args.child[0], args.country, args.quarter)))
        return
    print(f"{'step':38} {'first':>8} {'again':>8} {'kept':>8}  (s, quickest of {args.repeats})")
    for step in args.steps.split(";"):
        runs = []
        for _ in range(args.repeats):
            output = subprocess.run(
                [sys.executable, __file__, "--url", args.url, "--country", args.country,
                 "--quarter", args.quarter, "--child", step],
                check=True, capture_output=True, text=True,
            ).stdout  # fmt: skip
            runs.append(json.loads(output.strip().splitlines()[-1]))
        best = {k: min(r[k] for r in runs) for k in runs[0]}
        print(
            f"{step:38} {best['first']:8.3f} {best['again, nothing kept']:8.3f} "
            f"{best['kept']:8.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
