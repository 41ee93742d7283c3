"""A GENERATED sample of Mexican seizure events, for the demo and tests only.

No real Mexican data ships with Alianza. This module writes a canonical-format CSV of invented
events on Mexico's side of the common border (source system ``MX-GENERATED-SAMPLE``), with
the fields CBP's public files lack (concealment, transport mode, conveyance), so that the
exchange and the joint analysis have two countries to work with. Deterministic for a seed.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from alianza.seizures.template import template_columns

SOURCE_SYSTEM = "MX-GENERATED-SAMPLE"
# Stored with the import of a generated file (``import_file(..., provenance=PROVENANCE)``), so
# that pages and documents say where the figures come from, from the data itself.
GENERATED_MARK = "GENERATED SAMPLE"  # a provenance that starts so marks invented figures
PROVENANCE = (
    f"{GENERATED_MARK}: invented by Alianza's sample generator for demonstration and tests; "
    "not real seizures."
)
# (US port code of the crossing, Mexican state, Mexican city of the pair)
CROSSINGS = [
    ("2504", "Baja California", "Tijuana"),
    ("2506", "Baja California", "Tijuana (Mesa de Otay)"),
    ("2503", "Baja California", "Mexicali"),
    ("2604", "Sonora", "Nogales"),
    ("2608", "Sonora", "San Luis Río Colorado"),
    ("2402", "Chihuahua", "Ciudad Juárez"),
    ("2302", "Coahuila", "Ciudad Acuña"),
    ("2303", "Coahuila", "Piedras Negras"),
    ("2304", "Tamaulipas", "Nuevo Laredo"),
    ("2305", "Tamaulipas", "Reynosa"),
    ("2301", "Tamaulipas", "Matamoros"),
]
# (transport mode, conveyance, location type, concealments, weight)
VEHICLE = ["BUILT_COMPARTMENT", "SPARE_TIRE", "FUEL_TANK", "DASHBOARD"]
CARGO = ["COMMINGLED_CARGO", "WITHIN_GOODS", "NATURAL_VOID_OTHER"]
MODES = [
    ("ROAD", "POV", "POE_LAND_VEHICLE", VEHICLE, 45),
    ("ROAD", "COMMERCIAL_TRUCK", "POE_LAND_CARGO", CARGO, 25),
    ("ON_FOOT", "PEDESTRIAN", "POE_LAND_PEDESTRIAN", ["ON_BODY", "BAGGAGE", "INTERNAL_BODY"], 15),
    ("RAIL", "RAIL", "POE_LAND_CARGO", ["COMMINGLED_CARGO", "NATURAL_VOID_OTHER"], 5),
    ("ROAD", "BUS_SHUTTLE", "CHECKPOINT_MX", ["BAGGAGE", "WITHIN_GOODS"], 10),
]
# (drug code, form, unit, typical quantity range, weight)
DRUGS = [
    ("CANNABIS_HERB", "PLANT_MATERIAL", "KG", (5, 900), 40),
    ("METHAMPHETAMINE", "CRYSTAL", "KG", (0.5, 120), 25),
    ("COCAINE_HCL", "POWDER", "KG", (0.5, 60), 12),
    ("FENTANYL", "POWDER", "KG", (0.05, 8), 10),
    ("HEROIN", "POWDER", "KG", (0.2, 15), 8),
    ("FENTANYL", "TABLET_PILL", "TABLET", (100, 20000), 5),
]
AGENCIES = ["ANAM", "FGR", "SEDENA", "GN"]


def write_mx_sample(path: Path, *, first: date, last: date, events: int, seed: int = 10) -> int:
    """Write ``events`` invented events dated between ``first`` and ``last``; returns rows."""
    rng = random.Random(seed)
    span = (last - first).days
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=template_columns())
        writer.writeheader()
        for number in range(1, events + 1):
            port, state, _city = rng.choice(CROSSINGS)
            mode, conveyance, location_type, concealments, _w = rng.choices(
                MODES, weights=[m[4] for m in MODES]
            )[0]
            day = first + timedelta(days=rng.randint(0, span))
            items = rng.choices(DRUGS, weights=[d[4] for d in DRUGS], k=rng.choice([1, 1, 1, 2]))
            event = {  # fields of the event, the same on each of its drug rows
                "source_system": SOURCE_SYSTEM,
                "source_record_id": f"MXS-{day.year}-{number:05d}",
                "reporting_country": "MX",
                "reporting_agency": rng.choice(AGENCIES),
                "event_date": day.isoformat(),
                "location_type": location_type,
                "port_code": port,
                "admin_area": state,
                "direction": "NORTHBOUND" if rng.random() < 0.8 else "SOUTHBOUND",
                "transport_mode": mode,
                "conveyance": conveyance,
                "concealment": rng.choice(concealments),
                "detection": rng.choice(["CANINE", "NII_SCAN", "SECONDARY_INSPECTION"]),
                "record_status": "VALIDATED",
                "releasability": "BILATERAL" if rng.random() < 0.9 else "NATIONAL_ONLY",
            }
            seen: set[tuple[str, str]] = set()
            for drug, form, unit, (low, high), _weight in items:
                if (drug, form) in seen:
                    continue
                seen.add((drug, form))
                quantity = rng.uniform(low, high)
                amount = f"{quantity:.0f}" if unit == "TABLET" else f"{quantity:.3f}"
                writer.writerow(
                    {**event, "drug": drug, "form": form, "quantity": amount, "unit": unit}
                )
                rows += 1
    return rows
