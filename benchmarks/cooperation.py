"""Cost of the cooperation measures and the incident import, beside the baselines they build on.

Run: ``.venv/bin/python benchmarks/cooperation.py [--meetings N] [--incidents N]
[--database-url URL]`` (default: SQLite in a temporary folder). Figures, medians of several runs:

- ``pme assess`` as of 1999-08-31 on the seed (baseline: the engine's per-date computation);
- ``pme measures`` on the 1999 facts, then on a registry grown to N extra meetings and N/10
  extra BLMs with subgroups (the measures read the registry's small tables whole);
- incident import of N rows (CSV), beside the baseline of reading the same file with ``csv``.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from alianza.actors import NodeSelf
from alianza.cooperation.facts import bind_seed_measures, load_seed_facts
from alianza.cooperation.incidents import import_incidents
from alianza.cooperation.measures import compute_measures
from alianza.cooperation.models import Mechanism, Meeting
from alianza.db import Database
from alianza.pme.assessment import assess_plan
from alianza.pme.service import SEED_REPORT, import_report_file

AS_OF = date(1999, 8, 31)


def median_ms(work: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def grow_registry(database: Database, meetings: int) -> None:
    now = datetime.now(UTC)
    with database.transaction() as session:
        hlcg = session.query(Mechanism).filter_by(key="hlcg").one()
        for n in range(meetings // 10):
            blm = Mechanism(
                key=f"bench-blm-{n}",
                kind="blm",
                name=f"BLM {n}",
                us_city="A",
                mx_city="B",
                formed_on=date(1998, 1, 1),
                formed_precision="exact",
                source="benchmark",
                recorded_by="bench",
                recorded_at=now,
            )
            session.add(blm)
            session.flush()
            session.add(
                Mechanism(
                    key=f"bench-bps-{n}",
                    kind="subgroup",
                    parent_id=blm.id,
                    topic="border-public-safety",
                    name=f"BPS {n}",
                    formed_on=date(1999, 1, 1),
                    formed_precision="exact",
                    source="benchmark",
                    recorded_by="bench",
                    recorded_at=now,
                )
            )
        for n in range(meetings):
            session.add(
                Meeting(
                    mechanism_id=hlcg.id,
                    held_on=date(1990, 1, 1) + timedelta(days=n % 3650),
                    precision="exact",
                    participants=[],
                    topics=["threat-assessment-update"],
                    source="benchmark",
                    recorded_by="bench",
                    recorded_at=now,
                )
            )


def write_incidents(path: Path, rows: int) -> None:
    places = ["Tijuana", "San Ysidro", "Nogales", "Ciudad Juárez", "Laredo", "Matamoros"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["date", "country", "place", "type", "drug_related", "source", "reference"])
        for n in range(rows):
            day = date(1995, 1, 1) + timedelta(days=n % 5000)
            link = ("yes", "no", "unknown")[n % 3]
            out.writerow([day, "US", places[n % 6], "homicide", link, "b", n])  # the node's own


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=20_000)
    parser.add_argument("--incidents", type=int, default=50_000)
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        database = Database(url, country="US")  # a US node: its own records only
        database.migrate()
        import_report_file(database, SEED_REPORT)
        with database.transaction() as session:
            load_seed_facts(session, actor=NodeSelf("bench"))
            bind_seed_measures(session, actor=NodeSelf("bench"))

        def assess() -> object:
            with database.reader() as session:
                return assess_plan(session, AS_OF)

        def measures() -> object:
            with database.reader() as session:
                return compute_measures(session, AS_OF)

        print(f"database: {database.engine.dialect.name}")
        print(f"pme assess, seed (baseline)              {median_ms(assess):9.1f} ms")
        print(f"pme measures, 1999 facts, US node (16 bindings){median_ms(measures):9.1f} ms")
        grow_registry(database, args.meetings)
        label = f"+{args.meetings:,} meetings, +{args.meetings // 5:,} mechanisms"
        print(f"pme measures, {label:<27}{median_ms(measures, 3):9.1f} ms")

        source = Path(folder) / "incidents.csv"
        write_incidents(source, args.incidents)

        def read_plain() -> object:
            with source.open(encoding="utf-8", newline="") as handle:
                return sum(1 for _ in csv.reader(handle))

        start = time.perf_counter()
        report = import_incidents(database, source, actor=NodeSelf("bench"), today=date(2026, 1, 1))
        seconds = time.perf_counter() - start
        start = time.perf_counter()
        again = import_incidents(database, source, actor=NodeSelf("bench"), today=date(2026, 1, 1))
        again_s = time.perf_counter() - start
        n = args.incidents
        print(f"csv.reader of {n:,} incident rows (baseline) {median_ms(read_plain, 3):9.1f} ms")
        print(
            f"incident import, {report.loaded:,} loaded        {seconds * 1000:9.1f} ms "
            f"({n / seconds:,.0f} rows/s)"
        )
        print(
            f"incident re-import, {again.unchanged:,} unchanged  {again_s * 1000:9.1f} ms "
            f"({n / again_s:,.0f} rows/s)"
        )
        database.dispose()


if __name__ == "__main__":
    main()
