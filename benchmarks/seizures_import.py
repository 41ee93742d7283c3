"""Benchmark: import of a generated canonical seizure CSV into SQLite, beside baselines.

Prints rows per second and peak memory (max RSS of a fresh process per measurement), side by
side, for the same file:

- Alianza ``import_file(..., "canonical")``: read, validate, normalize (codes, units, dates),
  fingerprint, load into SQLite in one transaction, duplicate check (the columnar path, which
  a canonical CSV takes); ``alianza-rows`` (``--only``) times the row path for comparison;
- (a) a bare CSV read by pyarrow (``pyarrow.csv.read_csv``; single-threaded unless --threads);
- (b) pandas ``read_csv`` (all columns as text);
- (c) ``frictionless validate`` with an equivalent Table Schema (types, required fields, code
  enums, minimum 0, date format).

Targets (issue 4): Alianza at least half the rows per second of the bare read, at least 20× the
rows per second of frictionless, peak memory under 1.5 GB.

    .venv/bin/python benchmarks/seizures_import.py --events 1000000
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

DRUGS = [
    "METHAMPHETAMINE",
    "COCAINE_HCL",
    "CANNABIS_HERB",
    "FENTANYL",
    "HEROIN",
    "Marihuana",
    "cristal",
    "Fentanilo",
]
UNITS = [("KG", 3), ("LB", 2), ("G", 500)]
PORTS = ["2504", "2506", "2505", "2507", "2503", "2608", "2604", "2601", "2402", "2304", "2305"]
CONCEALMENTS = [
    "SPARE_TIRE",
    "FUEL_TANK",
    "BUILT_COMPARTMENT",
    "COMMINGLED_CARGO",
    "SPARE_TIRE;DASHBOARD",
    "ON_BODY",
    "BAGGAGE",
]
DETECTIONS = ["CANINE", "NII_SCAN", "SECONDARY_INSPECTION", "CANINE;NII_SCAN"]


def columns() -> list[str]:
    profile = Path(__file__).resolve().parents[1] / "src/alianza/seizures/profiles/canonical.json"
    return list(json.loads(profile.read_text("utf-8"))["columns"])


def generate(path: Path, events: int, seed: int = 1999) -> None:
    rng = random.Random(seed)
    start = date(2019, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        names = columns()
        writer.writerow(names)
        for n in range(events):
            unit, scale = rng.choice(UNITS)
            row = {
                "source_system": "BENCH-SEACATS",
                "source_record_id": f"B{n:08d}",
                "reporting_country": "US",
                "reporting_agency": "CBP-OFO",
                "event_date": (start + timedelta(days=rng.randrange(2000))).isoformat(),
                "location_type": "POE_LAND_VEHICLE",
                "port_code": rng.choice(PORTS),
                "direction": "NORTHBOUND",
                "transport_mode": "ROAD",
                "conveyance": "POV",
                "concealment": rng.choice(CONCEALMENTS),
                "detection": rng.choice(DETECTIONS),
                "record_status": "VALIDATED",
                "releasability": "BILATERAL",
                "drug": rng.choice(DRUGS),
                "form": "POWDER",
                "quantity": f"{rng.uniform(0.01, 50) * scale:.3f}",
                "unit": unit,
            }
            writer.writerow([row.get(name, "") for name in names])


def frictionless_schema() -> dict[str, object]:
    from alianza.codes import code_list  # the same code lists Alianza validates against

    def codes(name: str) -> list[str]:
        return list(code_list(name).codes)

    def enum(name: str, codes_: list[str]) -> dict[str, object]:
        return {"name": name, "type": "string", "constraints": {"required": True, "enum": codes_}}

    fields: list[dict[str, object]] = []
    for name in columns():
        field: dict[str, object] = {"name": name, "type": "string"}
        if name in ("source_system", "source_record_id"):
            field["constraints"] = {"required": True}
        fields.append(field)
    by_name = {f["name"]: i for i, f in enumerate(fields)}

    def put(field: dict[str, object]) -> None:
        fields[by_name[str(field["name"])]] = field

    put(enum("reporting_country", codes("country")))
    put(enum("reporting_agency", codes("agency")))
    put(enum("location_type", codes("location_type")))
    put(enum("record_status", codes("record_status")))
    put(enum("releasability", codes("releasability")))
    put(enum("unit", codes("unit")))
    drug_names = [*code_list("drug").codes, "Marihuana", "cristal", "Fentanilo"]
    put(enum("drug", drug_names))
    put({"name": "event_date", "type": "date", "constraints": {"required": True}})
    put({"name": "quantity", "type": "number", "constraints": {"required": True, "minimum": 0}})
    put({"name": "latitude", "type": "number", "constraints": {"minimum": -90, "maximum": 90}})
    put({"name": "longitude", "type": "number", "constraints": {"minimum": -180, "maximum": 180}})
    put({"name": "package_count", "type": "integer", "constraints": {"minimum": 0}})
    return {"fields": fields}


def _clock() -> tuple[float, float]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return time.perf_counter(), usage.ru_utime + usage.ru_stime


def measure(kind: str, path: Path, threads: bool) -> dict[str, object]:
    """Runs in a fresh process: one measurement, its rows, seconds, CPU seconds and peak RSS
    (timing starts after the libraries are imported and, for Alianza, the schema created)."""
    started, cpu_before = _clock()
    detail = ""
    if kind in ("alianza", "alianza-rows"):
        from alianza.actors import NodeSelf
        from alianza.db import Database
        from alianza.seizures.service import import_file

        target = path.parent / "bench.db"
        for stale in path.parent.glob("bench.db*"):
            stale.unlink()
        database = Database(f"sqlite:///{target}", country="US")  # the rows report US
        database.migrate()
        started, cpu_before = _clock()
        engine = "rows" if kind == "alianza-rows" else "auto"
        outcome = import_file(
            database, path, "canonical", engine=engine, actor=NodeSelf("benchmark")
        )
        rows = outcome.report.loaded
        detail = (
            f"{outcome.engine} path, loaded {outcome.report.loaded:,}, "
            f"quarantined {outcome.report.quarantined:,}"
        )
        database.dispose()
    elif kind == "pyarrow":
        import pyarrow
        from pyarrow import csv as pacsv

        pyarrow.set_cpu_count(pyarrow.cpu_count() if threads else 1)
        started, cpu_before = _clock()
        table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(use_threads=threads))
        rows = table.num_rows
        detail = "use_threads=" + str(threads)
    elif kind == "pandas":
        import pandas

        started, cpu_before = _clock()
        frame = pandas.read_csv(path, dtype=str, keep_default_na=False)
        rows = len(frame)
    elif kind == "frictionless":
        from frictionless import Resource, Schema

        started, cpu_before = _clock()
        resource_ = Resource(
            path=path.name,
            basepath=str(path.parent),
            schema=Schema.from_descriptor(frictionless_schema()),
        )
        report = resource_.validate()
        task = report.tasks[0]
        rows = int(task.stats.get("rows") or 0)
        detail = f"valid={report.valid}, errors={task.stats.get('errors')}"
        if not report.valid:
            detail += f" first: {report.flatten(['rowNumber', 'fieldName', 'type', 'note'])[:1]}"
    else:
        raise SystemExit(f"unknown measurement {kind}")
    ended, cpu_after = _clock()
    seconds, cpu = ended - started, cpu_after - cpu_before
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    return {
        "kind": kind,
        "rows": rows,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_bytes": peak,
        "detail": detail,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--file", type=Path, help="reuse a generated file")
    parser.add_argument("--threads", action="store_true", help="let pyarrow use every core")
    parser.add_argument(
        "--only", default="pyarrow,pandas,frictionless,alianza", help="measurements to run"
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.file, args.threads)))
        return

    workdir = Path(tempfile.mkdtemp(prefix="alianza-bench-"))
    path = args.file or workdir / f"seizures-{args.events}.csv"
    if args.file is None:
        began = time.perf_counter()
        generate(path, args.events)
        print(
            f"generated {path} ({path.stat().st_size / 1e6:,.0f} MB, {args.events:,} events) "
            f"in {time.perf_counter() - began:,.1f} s"
        )
    results: dict[str, dict[str, object]] = {}
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    for kind in args.only.split(","):
        run = path.parent / f"run-{kind}"
        run.mkdir(exist_ok=True)
        target = run / path.name
        if not target.exists():
            target.symlink_to(path.resolve())
        command = [sys.executable, __file__, "--measure", kind, "--file", str(target)]
        if args.threads:
            command.append("--threads")
        out = subprocess.run(command, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            print(f"{kind}: failed\n{out.stderr[-2000:]}")
            continue
        results[kind] = json.loads(out.stdout.strip().splitlines()[-1])

    print("load average after:  {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(
        f"\n{'measurement':14} {'rows':>11} {'seconds':>9} {'rows/s':>12} "
        f"{'CPU s':>8} {'rows/CPU s':>12} {'peak MB':>9}  detail"
    )
    for kind, r in results.items():
        rows, seconds, cpu = float(r["rows"]), float(r["seconds"]), float(r["cpu_seconds"])  # type: ignore[arg-type]
        print(
            f"{kind:14} {int(rows):>11,} {seconds:>9.1f} {rows / seconds:>12,.0f} "
            f"{cpu:>8.1f} {rows / cpu if cpu else 0:>12,.0f} "
            f"{int(r['peak_bytes']) / 1e6:>9,.0f}  {r['detail']}"  # type: ignore[call-overload]
        )

    def rate(kind: str, clock: str = "seconds") -> float | None:
        r = results.get(kind)
        return float(r["rows"]) / float(r[clock]) if r else None  # type: ignore[arg-type]

    if "alianza" not in results:
        return
    print()
    for clock, label in (("seconds", "wall clock"), ("cpu_seconds", "per CPU second")):
        alianza, bare, fl = (
            rate("alianza", clock),
            rate("pyarrow", clock),
            rate("frictionless", clock),
        )
        assert alianza is not None
        if bare:
            print(f"alianza / bare pyarrow read ({label}): {alianza / bare:.3f}  (target ≥ 0.5)")
        if fl:
            print(f"alianza / frictionless ({label}):      {alianza / fl:.2f}×  (target ≥ 20×)")
    peak = int(results["alianza"]["peak_bytes"]) / 1e9  # type: ignore[call-overload]
    print(f"alianza peak memory: {peak:.2f} GB  (target < 1.5 GB)")


if __name__ == "__main__":
    main()
