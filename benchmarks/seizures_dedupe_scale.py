"""Benchmark: the duplicate search of a small second-source file against many events held.

A node holds N generated events of one source (``seizures_pg_scale.generate``); a second
source then reports 2 % of them again (same events, its own system and ids: fingerprint
matches) and the time of that second import's duplicate search is printed, on SQLite by
default, for today's code and, with ``--before REV``, an earlier commit's in the same run.
Before migrations ``seizures_0004``–``seizures_0005`` SQLite walked every earlier event for
each new one through the index on ``superseded_at`` (1,000,000 events held did not finish in
an hour).

    .venv/bin/python benchmarks/seizures_dedupe_scale.py --events 100000 --before main
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from seizures_pg_scale import PORTS, ROOT, generate


def second_source(first: Path, second: Path, share: float) -> int:
    """Every ``1/share``-th event of ``first`` reported again by another system."""
    step = round(1 / share)
    kept = 0
    with (
        first.open(encoding="utf-8", newline="") as source,
        second.open("w", encoding="utf-8", newline="") as target,
    ):
        reader = csv.DictReader(source)
        assert reader.fieldnames is not None
        writer = csv.DictWriter(target, fieldnames=reader.fieldnames, lineterminator="\n")
        writer.writeheader()
        for row in reader:
            if int(row["source_record_id"][1:]) % step == 0:
                row["source_system"] = "BENCH-OTHER"
                writer.writerow(row)
                kept += 1
    return kept


def measure(first: Path, second: Path, url: str) -> dict[str, Any]:
    from alianza.actors import NodeSelf
    from alianza.db import Database
    from alianza.seizures.service import import_file

    database = Database(url, country="US")
    database.migrate()
    started, cpu = time.perf_counter(), time.process_time()
    import_file(database, first, "canonical", actor=NodeSelf("benchmark"))
    held, held_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    outcome = import_file(database, second, "canonical", actor=NodeSelf("benchmark"))
    figures = {
        "first": held,
        "first_cpu": held_cpu,
        "second": time.perf_counter() - started,
        "second_cpu": time.process_time() - cpu,
        "duplicates": outcome.timings.get("duplicates"),
        "linked": outcome.duplicates.total,
    }
    database.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--share", type=float, default=0.02)
    parser.add_argument(
        "--days",
        type=int,
        default=2000,
        help="days the events fall on (fewer: more events a port and day, as at 10M)",
    )
    parser.add_argument("--before", help="also time this commit's code")
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        first, second, url = args.measure
        print(json.dumps(measure(Path(first), Path(second), url)))
        return
    workdir = Path(tempfile.mkdtemp(prefix="alianza-dedupe-scale-"))
    first, second = workdir / "first.csv", workdir / "second.csv"
    generate(first, args.events, 0.25, days=args.days)
    repeated = second_source(first, second, args.share)
    codes = {"now": ROOT / "src"}
    if args.before:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.before, "src/alianza"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(workdir)], input=archive, check=True)
        codes["before"] = workdir / "src"
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    density = args.events / (len(PORTS) * args.days)
    print(f"{args.events:,} events held; a second source reports {repeated:,} of them again")
    print(f"{density:,.1f} events a port and day ({len(PORTS)} ports, {args.days:,} days)")
    print(
        f"{'code':<8}{'first import s':>16}{'(CPU s)':>9}{'second import s':>17}{'(CPU s)':>9}"
        f"{'of which dedupe s':>19}"
    )
    for code, src in codes.items():
        target = workdir / f"{code}.db"
        command = [sys.executable, __file__, "--measure", str(first), str(second)]
        command.append(f"sqlite:///{target}")
        environment = dict(os.environ, PYTHONPATH=str(src), ALIANZA_COUNTRY="US")
        out = subprocess.run(command, capture_output=True, text=True, env=environment)
        if out.returncode != 0:
            raise SystemExit(out.stderr[-3000:])
        f = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{code:<8}{f['first']:>16.1f}{f['first_cpu']:>9.1f}{f['second']:>17.1f}"
            f"{f['second_cpu']:>9.1f}{f['duplicates']:>19.1f}"
            f"  ({f['linked']:,} linked)",
            flush=True,
        )
        for stale in workdir.glob(f"{code}.db*"):
            stale.unlink()
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
