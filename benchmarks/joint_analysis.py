"""Cost of the joint analysis of a quarter on a node, as the /analysis page pays it.

Run: ``.venv/bin/python benchmarks/joint_analysis.py --home alianza-demo/us [--quarter 2025-Q4]
[--old]`` after ``alianza demo --no-serve``. Prints, side by side:

- ``quarter_tables`` for one quarter (baseline: what building one package costs);
- the joint analysis with this node's tables read per quarter and table (``--old``: how
  ``joint_analysis`` read them before, 9 quarters × 4 tables = 36 passes over the records);
- the joint analysis as now (one pass per table: 4 passes);
- the same from the web pages' cache (data unchanged: the version query, the kept row read
  from the node's database and decoded; and with a copy kept in the worker too);
- the joint edition (``inputs="packages"``: read from the stored packages, no pass over the
  records) and its content hash.

Single runs (each takes seconds to minutes); on a shared, loaded machine the figures are noisy.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from alianza.analysis.cache import JointAnalysisCache
from alianza.analysis.joint import joint_analysis, previous_quarters
from alianza.analysis.render import content_hash
from alianza.db import open_database
from alianza.exchange.cube import quarter_tables
from alianza.exchange.keys import load_node_keys
from alianza.settings import load_settings


def timed(label: str, work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    print(f"{label:<58} {seconds:9.3f} s", flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path("alianza-demo/us"))
    parser.add_argument("--quarter", default="2025-Q4")
    parser.add_argument("--old", action="store_true", help="also time the per-quarter reading")
    args = parser.parse_args()
    database = open_database(load_settings(home=args.home.resolve()))
    own = load_node_keys(args.home.resolve()).identity.country
    quarter = args.quarter
    with database.reader() as session:
        timed(f"quarter_tables {own} {quarter} (baseline: one package)", lambda: quarter_tables(
            session, country=own, quarter=quarter))  # fmt: skip
        if args.old:

            def old() -> None:
                for period in [quarter, *previous_quarters(quarter, 8)]:
                    quarter_tables(session, country=own, quarter=period)

            timed("joint analysis, tables per quarter (before: 36 passes)", old)
        timed("joint analysis, one pass per table (now: 4 passes)", lambda: joint_analysis(
            session, quarter, own_country=own))  # fmt: skip
        timed("joint edition from the packages held (inputs=packages)", lambda: joint_analysis(
            session, quarter, own_country=own, inputs="packages"))  # fmt: skip
        edition = joint_analysis(session, quarter, own_country=own, inputs="packages")
        timed("content hash of the edition", lambda: content_hash(edition))
        cache = JointAnalysisCache(database)
        cache.get(session, quarter, own_country=own)
    with database.reader() as session:  # a new request: the row written above is seen
        timed("joint analysis kept in the database (data unchanged)", lambda: cache.get(
            session, quarter, own_country=own))  # fmt: skip
        memo = JointAnalysisCache(database, memo_size=4)
        memo.get(session, quarter, own_country=own)
        timed("the same, also kept in the worker (memo_size)", lambda: memo.get(
            session, quarter, own_country=own))  # fmt: skip


if __name__ == "__main__":
    main()
