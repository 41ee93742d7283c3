"""The generated border-shipment sample and the canonical (``alianza``) profile."""

from __future__ import annotations

import csv
import math
from pathlib import Path

from alianza.risk.read import ALIANZA, read_declarations
from alianza.risk.sample import generate
from tests.risk.conftest import RISK_DATA


def test_generate_sample_reads_cleanly(tmp_path: Path) -> None:
    files = generate(tmp_path, rows=1500, days=60, seed=9, arrival_days=7)
    with files.history.open(encoding="utf-8") as handle:
        history = list(csv.DictReader(handle))
    with files.arrivals.open(encoding="utf-8") as handle:
        arrivals = list(csv.DictReader(handle))
    assert len(history) + len(arrivals) == 1500
    assert max(r["declared_on"] for r in history) < min(r["declared_on"] for r in arrivals)
    table, report = read_declarations(files.history, profile=ALIANZA)
    assert (report.loaded, report.issues) == (len(history), [])
    expected = [(r["result"] != "clear", r["result"] == "critical") for r in history]
    assert list(zip(table.fraud.tolist(), table.critical.tolist(), strict=True)) == [
        (int(f), int(c)) for f, c in expected
    ]
    arriving, _ = read_declarations(files.arrivals, profile=ALIANZA)
    assert not arriving.labeled.any()


def test_generate_sample_same_seed_same_files(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", rows=300, days=30, seed=1)
    b = generate(tmp_path / "b", rows=300, days=30, seed=1)
    assert a.history.read_bytes() == b.history.read_bytes()
    assert a.truth.read_bytes() == b.truth.read_bytes()


def test_read_alianza_profile_defects() -> None:
    table, report = read_declarations(RISK_DATA / "alianza-defects.csv", profile=ALIANZA)
    assert sorted((i.row, i.field, i.code) for i in report.issues) == [
        (3, "origin", "risk-bad-country"),
        (4, "result", "risk-bad-label"),
    ]
    assert table.ids.tolist() == ["AZ1", "AZ4", "AZ5"]
    assert table.fraud.tolist() == [0, -1, 1]
    assert table.critical.tolist() == [0, -1, 1]
    assert math.isnan(table.number["packages"][1])
