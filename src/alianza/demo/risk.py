"""The demo's shipment risk targeting (action 10.8), on the US node: a generated border sample,
rules and a watchlist in the database, a retraining schedule, a model trained and evaluated, a
week's selection, and the selected shipments' outcomes played back (so that /risk shows a
random-slice hit rate). Every write is the node's, named ``demo`` in the audit log.

Needs the ``risk`` extra (LightGBM, NumPy): importing this module without it raises
ImportError, which ``alianza demo`` reports as a skipped section.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from pathlib import Path

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.risk.book import RuleSpec, add_rule, add_watch
from alianza.risk.rules import Condition
from alianza.risk.sample import generate
from alianza.risk.schedule import Schedule, set_schedule
from alianza.risk.selection import RELEASE, Lane
from alianza.risk.service import score_batch, select_and_store, train_and_record
from alianza.risk.store import import_shipments, record_outcome_rows

DEMO = NodeSelf("demo")


def run_risk_demo(database: Database, directory: Path, *, say: Callable[[str], None]) -> None:
    """Load the sample, rules, watchlist and schedule; train; select a week; play back the
    inspected shipments' outcomes. ``say`` prints one line."""
    files = generate(directory / "risk-sample", rows=6000, days=90, seed=1)
    for path in (files.history, files.arrivals):
        report = import_shipments(database, path, profile="alianza", actor=DEMO)
        say("  " + report.text().splitlines()[0])
    with database.transaction() as session:
        add_rule(
            session,
            RuleSpec(
                "alkaloids-andean",
                owner="targeting unit, Laredo (demo)",
                reason="alkaloids declared from an Andean origin",
                valid_from=date(2025, 1, 1),
                mandatory=True,
                lane="physical",
                conditions=(
                    Condition("in", "hs6", ("2939*",)),
                    Condition("in", "origin", ("CO", "PE", "BO")),
                ),
            ),
            actor=DEMO,
        )
        add_rule(
            session,
            RuleSpec(
                "transshipment",
                owner="targeting unit (demo)",
                reason="departure country differs from origin",
                valid_from=date(2025, 1, 1),
                weight=0.05,
                conditions=(Condition("differs", "departure", other="origin"),),
            ),
            actor=DEMO,
        )
        add_watch(
            session,
            watchlist="shippers",
            column="shipper",
            value="MXS0003",
            owner="intelligence desk (demo)",
            reason="named in a 2024 seizure report (fictitious)",
            valid_from=date(2025, 1, 1),
            weight=0.2,
            actor=DEMO,
        )
    set_schedule(database, Schedule(7, 200, 21), actor=DEMO)
    model_id = train_and_record(database, calibration_days=21, actor=DEMO)
    say(f"  trained risk model {model_id} (general and critical heads, calibrated)")
    scored = score_batch(database, start=date(2025, 3, 25), end=date(2025, 3, 31))
    selection_id, chosen = select_and_store(
        database,
        scored,
        [Lane("physical", 10), Lane("non-intrusive", 20)],
        random_share=0.2,
        critical_budget={"physical": 2},
        batch_label="demo week 2025-03-25..31",
        actor=DEMO,
    )
    for lane in chosen.summary():
        say(f"  selection {selection_id}: {lane['lane']} {lane['used']}")
    inspected = {
        str(scored.batch.table.ids[a.row]): a.lane for a in chosen.assignments if a.lane != RELEASE
    }
    with files.truth.open(encoding="utf-8", newline="") as handle:
        played = [r for r in csv.DictReader(handle) if r["reference"] in inspected]
    for row in played:
        row["lane"] = inspected[row["reference"]]
    report = record_outcome_rows(database, played, source="demo inspections", actor=DEMO)
    say(f"  outcomes of the {report.loaded} inspected shipments played back")
    say("  explore: /risk in the browser, or alianza risk models / rules list")
    say(f"  every arrival's outcome: {files.truth}")
