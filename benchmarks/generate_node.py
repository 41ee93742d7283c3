"""A node with N generated seizure events, reproducible from a seed (issue 19, item 1).

The events are written as canonical CSV files and imported through the product's own import
path (:func:`alianza.seizures.service.import_file`, the columnar reader for these files), so the
node holds exactly what an import stores: record keys, content hashes, fingerprints, versions,
duplicate links. Nothing is written into the tables directly.

A US node (``--country US``) gets:

- ``us-seacats.csv``: events of CBP's Office of Field Operations at land ports (vehicles,
  cargo, pedestrians; a port each) and of the Border Patrol between ports and at checkpoints
  (a sector each), one to three drug items (kilograms, pounds, grams, tablets, plants),
  concealments (some two at once), transport modes and conveyances, releasability
  ``BILATERAL`` / ``NATIONAL_ONLY`` / ``PUBLIC_AGGREGATE``;
- ``us-second-source.csv``: 2 % of them reported again by another source system (the
  import links them as duplicates, counted once);
- ``us-corrections.csv``: 1 % of them sent again with changed quantities (new versions; the
  earlier ones superseded).

An MX node (``--country MX``) gets ``mx-events.csv``: events of ANAM, FGR, SEDENA, GN at the
crossings (a port and its municipality), at checkpoints and inland (a state and a
municipality, border or interior, or a state alone), and the MUCD monthly totals packaged with
Alianza (municipality aggregate rows, as a Mexican node imports them).

    .venv/bin/python benchmarks/generate_node.py --country US --events 1000000 \\
        --url sqlite:////tmp/us-1m.db
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from alianza.actors import NodeSelf  # noqa: E402
from alianza.codes import mx_places  # noqa: E402
from alianza.db import Database  # noqa: E402
from alianza.seizures.service import import_file  # noqa: E402
from alianza.seizures.template import template_columns  # noqa: E402

FIRST = date(2021, 10, 1)  # FY2022 … FY2026 Q1
DAYS = 1553
PORTS = ["2504", "2506", "2503", "2604", "2608", "2402", "2302", "2303", "2304", "2305", "2301"]
SECTORS = ["SAN DIEGO SECTOR", "EL CENTRO SECTOR", "YUMA SECTOR", "TUCSON SECTOR",
           "EL PASO SECTOR", "BIG BEND SECTOR", "DEL RIO SECTOR", "LAREDO SECTOR",
           "RIO GRANDE VALLEY SECTOR"]  # fmt: skip
VEHICLE = ["BUILT_COMPARTMENT", "SPARE_TIRE", "FUEL_TANK", "DASHBOARD", "SPARE_TIRE;DASHBOARD"]
CARGO = ["COMMINGLED_CARGO", "WITHIN_GOODS", "NATURAL_VOID_OTHER"]
PERSON = ["ON_BODY", "BAGGAGE", "INTERNAL_BODY"]
# (location type, transport mode, conveyance, concealments, weight); port: True, area: False
US_PLACES = [
    ("POE_LAND_VEHICLE", "ROAD", "POV", VEHICLE, 40, True),
    ("POE_LAND_CARGO", "ROAD", "COMMERCIAL_TRUCK", CARGO, 20, True),
    ("POE_LAND_PEDESTRIAN", "ON_FOOT", "PEDESTRIAN", PERSON, 10, True),
    ("BETWEEN_POE", "ON_FOOT", "PEDESTRIAN", ["BAGGAGE", "NONE_OPEN"], 15, False),
    ("CHECKPOINT_US", "ROAD", "POV", VEHICLE, 15, False),
]
MX_PLACES = [
    ("POE_LAND_VEHICLE", "ROAD", "POV", VEHICLE, 35, True),
    ("POE_LAND_CARGO", "RAIL", "RAIL", CARGO, 10, True),
    ("POE_LAND_PEDESTRIAN", "ON_FOOT", "PEDESTRIAN", PERSON, 10, True),
    ("CHECKPOINT_MX", "ROAD", "BUS_SHUTTLE", ["BAGGAGE", "WITHIN_GOODS"], 25, False),
    ("HIGHWAY_INTERIOR", "ROAD", "COMMERCIAL_TRUCK", CARGO, 20, False),
]
# (drug, form, unit, quantity range, weight)
DRUGS = [
    ("CANNABIS_HERB", "PLANT_MATERIAL", "KG", (5, 900), 30),
    ("METHAMPHETAMINE", "CRYSTAL", "LB", (1, 250), 25),
    ("COCAINE_HCL", "POWDER", "KG", (0.5, 60), 12),
    ("FENTANYL", "POWDER", "G", (50, 8000), 10),
    ("HEROIN", "POWDER", "KG", (0.2, 15), 8),
    ("FENTANYL", "TABLET_PILL", "TABLET", (100, 20000), 8),
    ("CANNABIS_PLANT", "PLANT_MATERIAL", "PLANT", (10, 3000), 4),
    ("MDMA", "TABLET_PILL", "TABLET", (50, 5000), 3),
]
RELEASABILITY = [("BILATERAL", 85), ("NATIONAL_ONLY", 10), ("PUBLIC_AGGREGATE", 5)]
US_AGENCY = {True: "CBP-OFO", False: "CBP-USBP"}
MX_AGENCIES = ["ANAM", "FGR", "SEDENA", "GN"]
PORT_STATES = {"25": "Baja California", "26": "Sonora", "24": "Chihuahua",
               "23": "Tamaulipas"}  # fmt: skip
Row = dict[str, str]


def _pick(rng: random.Random, choices: list[Any], at: int) -> Any:
    return rng.choices(choices, weights=[c[at] for c in choices])[0]


def _items(rng: random.Random) -> list[Row]:
    rows, seen = [], set()
    for drug, form, unit, (low, high), _w in rng.choices(
        DRUGS, weights=[d[4] for d in DRUGS], k=rng.choice([1, 1, 1, 1, 2, 2, 3])
    ):
        if (drug, form) in seen:
            continue
        seen.add((drug, form))
        quantity = rng.uniform(low, high)
        counted = unit in ("TABLET", "PLANT")
        amount = f"{quantity:.0f}" if counted else f"{quantity:.3f}"
        rows.append({"drug": drug, "form": form, "quantity": amount, "unit": unit})
    return rows


def _mx_place(rng: random.Random, port: bool) -> tuple[str, str]:
    """(port code, admin area): a crossing and its municipality, or a municipality (border
    or interior) or a state alone."""
    municipalities = list(mx_places.municipalities().values())
    border = [m for m in municipalities if m.border]
    states = mx_places.states()
    if port:
        code = rng.choice(PORTS)
        place = rng.choice([m for m in border if states[m.state].name != ""])
        return code, f"{states[place.state].name} / {place.name}"
    draw = rng.random()
    if draw < 0.15:
        return "", rng.choice(list(states.values())).name
    place = rng.choice(border if draw < 0.6 else municipalities)
    return "", f"{states[place.state].name} / {place.name}"


def us_event(n: int, seed: int) -> tuple[Row, list[Row]]:
    rng = random.Random(f"{seed}-us-{n}")
    kind, mode, conveyance, concealments, _w, at_port = _pick(rng, US_PLACES, 4)
    event = {
        "source_system": "BENCH-US-SEACATS",
        "source_record_id": f"US{n:09d}",
        "reporting_country": "US",
        "reporting_agency": US_AGENCY[at_port],
        "event_date": (FIRST + timedelta(days=rng.randrange(DAYS))).isoformat(),
        "location_type": kind,
        "port_code": rng.choice(PORTS) if at_port else "",
        "area_of_responsibility": "" if at_port else rng.choice(SECTORS),
        "direction": "NORTHBOUND",
        "transport_mode": mode,
        "conveyance": conveyance,
        "concealment": rng.choice(concealments),
        "detection": rng.choice(["CANINE", "NII_SCAN", "SECONDARY_INSPECTION"]),
        "record_status": "VALIDATED",
        "releasability": _pick(rng, RELEASABILITY, 1)[0],
    }
    return event, _items(rng)


def mx_event(n: int, seed: int) -> tuple[Row, list[Row]]:
    rng = random.Random(f"{seed}-mx-{n}")
    kind, mode, conveyance, concealments, _w, at_port = _pick(rng, MX_PLACES, 4)
    port, admin_area = _mx_place(rng, at_port)
    event = {
        "source_system": "BENCH-MX-SIIA",
        "source_record_id": f"MX{n:09d}",
        "reporting_country": "MX",
        "reporting_agency": rng.choice(MX_AGENCIES),
        "event_date": (FIRST + timedelta(days=rng.randrange(DAYS))).isoformat(),
        "location_type": kind,
        "port_code": port,
        "admin_area": admin_area,
        "direction": "NORTHBOUND" if rng.random() < 0.8 else "SOUTHBOUND",
        "transport_mode": mode,
        "conveyance": conveyance,
        "concealment": rng.choice(concealments),
        "detection": rng.choice(["CANINE", "NII_SCAN", "SECONDARY_INSPECTION"]),
        "record_status": "VALIDATED",
        "releasability": _pick(rng, RELEASABILITY, 1)[0],
    }
    return event, _items(rng)


def _write(path: Path, rows: Iterator[Row]) -> int:
    names = template_columns()
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _rows(
    make: Callable[[int, int], tuple[Row, list[Row]]],
    numbers: Iterator[int],
    seed: int,
    change: Callable[[Row, Row], tuple[Row, Row]] | None = None,
) -> Iterator[Row]:
    for n in numbers:
        event, items = make(n, seed)
        for item in items:
            row, part = (event, item) if change is None else change(event, item)
            yield {**row, **part}


def _second_source(event: Row, item: Row) -> tuple[Row, Row]:
    ident = event["source_record_id"].replace("US", "EPIC")
    return {**event, "source_system": "BENCH-US-EPIC", "source_record_id": ident}, item


def _corrected(event: Row, item: Row) -> tuple[Row, Row]:
    quantity = item["quantity"]
    changed = f"{float(quantity) * 1.1:.3f}" if "." in quantity else str(int(quantity) + 1)
    return event, {**item, "quantity": changed}


def write_files(directory: Path, country: str, events: int, seed: int) -> list[Path]:
    """The node's CSV files, in import order."""
    if country == "MX":
        path = directory / "mx-events.csv"
        _write(path, _rows(mx_event, iter(range(events)), seed))
        return [path]
    main, second, corrections = (
        directory / name
        for name in ("us-seacats.csv", "us-second-source.csv", "us-corrections.csv")
    )
    _write(main, _rows(us_event, iter(range(events)), seed))
    _write(second, _rows(us_event, iter(range(0, events, 50)), seed, _second_source))
    _write(corrections, _rows(us_event, iter(range(7, events, 100)), seed, _corrected))
    return [main, second, corrections]


def fill_node(
    database: Database, events: int, seed: int, work: Path, reuse: bool = False
) -> dict[str, Any]:
    """Import the generated events of the node's country into ``database`` (and, for MX, the
    packaged MUCD totals); returns what each import stored and how long it took. With
    ``reuse``, CSV files already in ``work`` (written by an earlier run with the same
    country, events and seed) are imported as they are."""
    country = database.country
    figures: dict[str, Any] = {}
    started = time.perf_counter()
    names = (
        ["mx-events.csv"]
        if country == "MX"
        else ["us-seacats.csv", "us-second-source.csv", "us-corrections.csv"]
    )
    if reuse and all((work / name).exists() for name in names):
        files = [work / name for name in names]
    else:
        files = write_files(work, country, events, seed)
    figures["write_s"] = round(time.perf_counter() - started, 1)
    print(f"files {figures['write_s']} s", flush=True)
    actor = NodeSelf("generate_node")
    for path in files:
        started = time.perf_counter()
        outcome = import_file(database, path, "canonical", actor=actor)
        report = outcome.report
        figures[path.name] = {
            "rows": report.rows,
            "loaded": report.loaded,
            "quarantined": report.quarantined,
            "duplicates": outcome.duplicates.total,
            "issues": dict(report.counts_by_code),
            "seconds": round(time.perf_counter() - started, 1),
        }
        print(path.name, figures[path.name], flush=True)
    if country == "MX":
        from alianza.seizures.mucd import PACKAGED_MUCD, import_mucd

        started = time.perf_counter()
        import_mucd(database, PACKAGED_MUCD, actor=actor)
        figures["mucd_s"] = round(time.perf_counter() - started, 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="SQLAlchemy URL of an empty database")
    parser.add_argument("--country", choices=("US", "MX"), default="US")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--work", type=Path, default=None, help="folder for the CSV files")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="import the CSV files already in --work instead of writing them again",
    )
    args = parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        database = Database(args.url, country=args.country)
        database.migrate()
        print(fill_node(database, args.events, args.seed, work, args.reuse))
        database.dispose()


if __name__ == "__main__":
    main()
