"""Issue 21: a replayed retraining day (``retrain --now``) gives no negative model age and
records the model as trained that day; a reference conflict names its row in the file."""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime
from pathlib import Path

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.risk.service import retrain_when_due
from alianza.risk.store import import_shipments, record_outcomes
from tests.risk.conftest import RISK_DATA
from tests.risk.test_schedule import outcomes_file, trained_at
from tests.risk.test_store import unlabeled_copy


def test_replayed_day_gives_no_negative_age(fresh_db: Database, tmp_path: Path) -> None:
    import_shipments(fresh_db, RISK_DATA / "kcs-train-sample.csv", actor=NodeSelf("test"))
    import_shipments(fresh_db, RISK_DATA / "kcs-valid-sample.csv", actor=NodeSelf("test"))
    test = RISK_DATA / "kcs-test-sample.csv"
    import_shipments(
        fresh_db, unlabeled_copy(test, tmp_path / "arrivals.csv"), actor=NodeSelf("test")
    )
    _due, first = retrain_when_due(
        fresh_db, seed=1, actor=NodeSelf("test")
    )  # trained now (the real clock)
    record_outcomes(
        fresh_db, outcomes_file(test, tmp_path / "outcomes.csv"), actor=NodeSelf("test")
    )
    replay = datetime(2021, 7, 1, tzinfo=UTC)
    why, second = retrain_when_due(fresh_db, now=replay, force=True, seed=1, actor=NodeSelf("test"))
    ages = [int(a) for a in re.findall(r"is (-?\d+) days old", why.detail)]
    assert ages == [0], why.detail  # was "-1970 days old" or so
    assert second is not None
    assert trained_at(fresh_db, second) == replay
    assert first is not None


def test_reference_conflict_names_its_row_in_the_file(fresh_db: Database, tmp_path: Path) -> None:
    source = RISK_DATA / "kcs-test-sample.csv"
    import_shipments(fresh_db, source, actor=NodeSelf("test"))
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:4]
    rows[0]["HS6 Code"] = "ABC"  # refused by the reader: row 2
    rows[2]["Net Mass"] = "999999.0"  # held with other values: a conflict on row 4
    changed = tmp_path / "changed.csv"
    with changed.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = import_shipments(fresh_db, changed, actor=NodeSelf("test"))
    found = {(i.code, i.row, i.field) for i in report.issues if i.severity.value == "error"}
    assert ("risk-reference-conflict", 4, "Declaration ID") in found
    assert any(code != "risk-reference-conflict" and row == 2 for code, row, _ in found)
