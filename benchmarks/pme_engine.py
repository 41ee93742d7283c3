"""Cost of the performance-measures engine on the seed, beside the read it builds on.

Run: ``.venv/bin/python benchmarks/pme_engine.py``. Prints, per operation, the median time of
several runs; the baseline rows are the foundation's own operations (reading the report file,
loading the plan back from the database) that the engine's rows add to.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from alianza.db import Database
from alianza.pme.assessment import assess_plan
from alianza.pme.deadlines import parse_deadline
from alianza.pme.query import load_plan_report
from alianza.pme.read import read_report_bytes
from alianza.pme.references import find_references
from alianza.pme.service import SEED_REPORT, import_report_file


def median_ms(work: Callable[[], object], runs: int = 20) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    data = SEED_REPORT.read_bytes()
    report = read_report_bytes(data, "seed").report
    targets = [p.text for a in report.actions() for p in a.targets]
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite:///{Path(folder) / 'bench.db'}")
        database.migrate()
        import_report_file(database, SEED_REPORT)
        with database.reader() as session:
            rows = [
                ("baseline: read the seed file", median_ms(lambda: read_report_bytes(data, "s"))),
                ("baseline: load plan from SQLite", median_ms(lambda: load_plan_report(session))),
                (
                    f"parse {len(targets)} target deadlines",
                    median_ms(lambda: [parse_deadline(t) for t in targets]),
                ),
                ("find cross-references", median_ms(lambda: find_references(report))),
                (
                    "assess plan as of 1999-08-31",
                    median_ms(lambda: assess_plan(session, date(1999, 8, 31))),
                ),
            ]
        database.dispose()
    width = max(len(name) for name, _ in rows)
    for name, ms in rows:
        print(f"{name:<{width}}  {ms:8.2f} ms")


if __name__ == "__main__":
    main()
