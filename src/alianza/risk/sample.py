"""A generated border-shipment sample in Alianza's canonical columns (profile ``alianza``).

Synthetic, reproducible from its seed, and labelled as such: northbound commercial shipments at
five US–Mexico ports, by truck, rail, air and passenger vehicle, with shippers, importers,
consignees, customs brokers and carriers drawn from pools. Outcomes follow a planted, documented
risk: some shippers and commodity x origin pairs are riskier, first-time shippers and routes
whose departure differs from origin more so, and undervalued lines (value per kg far below the
commodity's norm) most; critical (narcotics) outcomes are rare and concentrate in produce and
transshipped lines. Nothing here describes real trade.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from alianza.risk.read import ALIANZA

PORTS = ("laredo", "el-paso", "nogales", "otay-mesa", "pharr")
MODES = (("truck", 0.78), ("rail", 0.1), ("air", 0.04), ("passenger-vehicle", 0.08))
# HS6, description, typical USD per kg, produce?
COMMODITIES = (
    ("070200", "tomatoes", 1.2, True),
    ("080440", "avocados", 2.5, True),
    ("070960", "peppers", 1.5, True),
    ("081010", "strawberries", 3.0, True),
    ("870899", "auto parts", 9.0, False),
    ("852872", "televisions", 25.0, False),
    ("940360", "wooden furniture", 4.0, False),
    ("620342", "cotton trousers", 18.0, False),
    ("392690", "plastic articles", 6.0, False),
    ("293999", "alkaloids and derivatives", 40.0, False),
)
ORIGINS = (("MX", 0.85), ("CN", 0.06), ("CO", 0.03), ("IN", 0.03), ("US", 0.03))
FIELDS = (
    ALIANZA.id_column,
    ALIANZA.date_column,
    *ALIANZA.text,
    *ALIANZA.number,
    *ALIANZA.labels,
)


@dataclass(frozen=True)
class SampleFiles:
    history: Path  # with outcomes (result)
    arrivals: Path  # the last days, not yet inspected (result blank)
    truth: Path  # the arrivals' outcomes, to play the inspection results back


def generate(
    folder: Path, *, rows: int = 20_000, days: int = 180, seed: int = 0, arrival_days: int = 7
) -> SampleFiles:
    rng = np.random.default_rng(seed)
    start = date(2025, 1, 1)
    shippers = [f"MXS{i:04d}" for i in range(600)]
    risky_shipper = rng.random(len(shippers)) < 0.05
    importers = [f"USI{i:04d}" for i in range(900)]
    consignees = [f"USC{i:04d}" for i in range(700)]
    brokers = [f"BRK{i:03d}" for i in range(60)]
    carriers = [f"CAR{i:03d}" for i in range(120)]
    pair_effect = {
        (c[0], o[0]): rng.normal(0, 0.6) for c in COMMODITIES for o in ORIGINS
    }  # commodity x origin
    seen_shippers: set[str] = set()
    records: list[dict[str, object]] = []
    for i in range(rows):
        day = start + timedelta(days=int(i * days / rows))
        commodity = COMMODITIES[int(rng.integers(len(COMMODITIES)))]
        origin = ORIGINS[int(rng.choice(len(ORIGINS), p=[w for _, w in ORIGINS]))][0]
        transshipped = origin != "MX" and rng.random() < 0.4
        departure = "MX" if (origin == "MX" or transshipped) else origin
        mode = MODES[int(rng.choice(len(MODES), p=[w for _, w in MODES]))][0]
        # shippers are drawn with a heavy tail: a few ship often, many rarely
        s = int(min(len(shippers) - 1, rng.pareto(1.2) * 20))
        shipper = shippers[s]
        first_time = shipper not in seen_shippers
        seen_shippers.add(shipper)
        packages = int(rng.integers(1, 400))
        mass = round(float(packages * rng.lognormal(math.log(12), 0.5)), 1)
        undervalued = rng.random() < 0.06
        price = commodity[2] * rng.lognormal(0, 0.25) * (0.25 if undervalued else 1.0)
        value = round(mass * price, 2)
        logit = (
            -2.6
            + 1.6 * risky_shipper[s]
            + pair_effect[(commodity[0], origin)]
            + 0.9 * first_time
            + 0.8 * transshipped
            + 2.0 * undervalued
        )
        violation = rng.random() < 1 / (1 + math.exp(-logit))
        critical_logit = -6.5 + 2.2 * commodity[3] + 1.8 * transshipped + 1.5 * risky_shipper[s]
        critical = violation and rng.random() < 4 / (1 + math.exp(-critical_logit))
        route = f"{origin}-MX-US" if transshipped else f"{departure}-US"
        records.append(
            {
                "reference": f"AZ{seed:02d}{i:07d}",
                "declared_on": day.isoformat(),
                "port": PORTS[int(rng.integers(len(PORTS)))],
                "mode": mode,
                "declarant": brokers[int(rng.integers(len(brokers)))],
                "importer": importers[int(rng.integers(len(importers)))],
                "shipper": shipper,
                "consignee": consignees[int(rng.integers(len(consignees)))],
                "carrier": carriers[int(rng.integers(len(carriers)))],
                "hs6": commodity[0],
                "departure": departure,
                "origin": origin,
                "route": route,
                "conveyance_id": f"TRK{int(rng.integers(100000)):05d}",
                "net_mass_kg": mass,
                "value": value,
                "packages": packages,
                "result": "critical" if critical else "violation" if violation else "clear",
            }
        )
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = (start + timedelta(days=days - arrival_days)).isoformat()
    files = SampleFiles(
        folder / "shipments-history.csv",
        folder / "shipments-arrivals.csv",
        folder / "arrivals-truth.csv",
    )
    history = [r for r in records if str(r["declared_on"]) < cutoff]
    arrivals = [r for r in records if str(r["declared_on"]) >= cutoff]
    _write(files.history, FIELDS, history)
    _write(files.arrivals, FIELDS, [{**r, "result": ""} for r in arrivals])
    _write(
        files.truth,
        ("reference", "lane", "exam_type", "inspected_on", "result", "seizure_event_id"),
        [
            {
                "reference": r["reference"],
                "lane": "",
                "exam_type": "physical",
                "inspected_on": r["declared_on"],
                "result": r["result"],
                "seizure_event_id": f"SEIZ-{r['reference']}" if r["result"] == "critical" else "",
            }
            for r in arrivals
        ],
    )
    return files


def _write(path: Path, fields: tuple[str, ...], rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(fields))
        writer.writeheader()
        writer.writerows(rows)
