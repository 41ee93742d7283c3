"""Importing crossings and waits: totals against the raw files, idempotence, quarantine."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import func, select

from alianza.actors import NodeSelf
from alianza.audit import AuditEntry, verify_chain
from alianza.db import Database
from alianza.ports.models import (
    CrossingCount,
    PortsImport,
    QuarantinedRow,
    WaitProfile,
    WaitReading,
)
from alianza.ports.service import import_crossings_file, import_waits_file
from tests.conftest import DATA, SHARED

PORTS = DATA / "ports"
CURRENT = PORTS / "bts-us-mexico-slice.csv"
OLD = PORTS / "bts-2018-old-release-slice.csv"
FULL = SHARED / "data" / "bts" / "border_crossing_us_mexico_1996-01_2025-02.csv"
ALIASES = {
    "Truck Containers Full": "Truck Containers Loaded",
    "Rail Containers Full": "Rail Containers Loaded",
}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def raw_totals(path: Path) -> dict[tuple[str, str, str], int]:
    """Totals by (port, year, measure) from a plain csv loop: identical duplicates once,
    keys with conflicting values left out."""
    values: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            values[(row["Port Code"], row["Date"], row["Measure"])].add(int(row["Value"]))
    totals: dict[tuple[str, str, str], int] = defaultdict(int)
    for (code, month, measure), found in values.items():
        if len(found) == 1:
            totals[(code, month.split()[1], measure)] += found.pop()
    return dict(totals)


def stored_totals(database: Database) -> dict[tuple[str, str, str], int]:
    with database.reader() as session:
        rows = session.execute(
            select(CrossingCount.port_code, CrossingCount.month, CrossingCount.measure,
                   CrossingCount.value)
        )  # fmt: skip
        totals: dict[tuple[str, str, str], int] = defaultdict(int)
        for code, month, measure, value in rows:
            totals[(code, str(month.year), measure)] += value
    return dict(totals)


def count(database: Database, model: type[object]) -> int:
    with database.reader() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_import_crossings_totals_match_raw_file(fresh_db: Database) -> None:
    report = import_crossings_file(fresh_db, CURRENT, actor=NodeSelf("test"))
    assert stored_totals(fresh_db) == raw_totals(CURRENT)
    assert report.loaded == count(fresh_db, CrossingCount)
    assert report.quarantined == 2
    assert report.exit_code == 3


def test_import_crossings_twice_changes_nothing(fresh_db: Database) -> None:
    first = import_crossings_file(fresh_db, CURRENT, actor=NodeSelf("test"))
    counts = [count(fresh_db, m) for m in (CrossingCount, QuarantinedRow, PortsImport, AuditEntry)]
    again = import_crossings_file(fresh_db, CURRENT, actor=NodeSelf("test"))
    assert again.loaded == 0
    assert again.unchanged == first.loaded
    assert again.quarantined == first.quarantined
    assert [
        count(fresh_db, m) for m in (CrossingCount, QuarantinedRow, PortsImport, AuditEntry)
    ] == counts


def test_import_conflicting_rows_kept_in_quarantine_with_raw_values(fresh_db: Database) -> None:
    import_crossings_file(fresh_db, CURRENT, actor=NodeSelf("test"))
    with fresh_db.reader() as session:
        held = session.scalars(select(QuarantinedRow).order_by(QuarantinedRow.source_row)).all()
        assert {(q.raw["Port Code"], q.raw["Date"], q.raw["Measure"]) for q in held} == {
            ("2606", "Feb 2021", "Bus Passengers")
        }
        assert [q.codes for q in held] == [["bts-conflicting-rows"]] * 2
        missing = session.scalars(
            select(CrossingCount).where(CrossingCount.port_code == "2606")
        ).all()
        assert missing == []  # neither value was picked
        assert verify_chain(session).ok


def test_import_old_release_after_current_matches_row_for_row(fresh_db: Database) -> None:
    import_crossings_file(fresh_db, CURRENT, actor=NodeSelf("test"))
    current_keys: dict[tuple[str, str, str], str] = {}
    with CURRENT.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            current_keys[(row["Port Code"], row["Date"], row["Measure"])] = row["Value"]
    matched = unmatched = 0
    with OLD.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Border"] != "US-Mexico Border":
                continue
            month = f"{MONTHS[int(row['Date'][:2]) - 1]} {row['Date'][6:10]}"
            key = (row["Port Code"], month, ALIASES.get(row["Measure"], row["Measure"]))
            if key in current_keys:
                assert current_keys[key] == row["Value"]
                matched += 1
            else:
                unmatched += 1
    report = import_crossings_file(fresh_db, OLD, actor=NodeSelf("test"))
    assert report.unchanged == matched > 0
    assert report.loaded == unmatched  # Tornillo (2404) is not in the current slice
    assert "bts-conflicts-with-held" not in report.counts_by_code


def test_import_changed_value_is_quarantined_not_overwritten(
    fresh_db: Database, tmp_path: Path
) -> None:
    import_crossings_file(fresh_db, CURRENT, actor=NodeSelf("test"))
    lines = CURRENT.read_text(encoding="utf-8").splitlines()
    header, first = lines[0], next(csv.reader([lines[1]]))
    first[6] = str(int(first[6]) + 1)
    edited = tmp_path / "edited.csv"
    edited.write_text(header + "\n" + ",".join(f'"{c}"' for c in first) + "\n", "utf-8")
    report = import_crossings_file(fresh_db, edited, actor=NodeSelf("test"))
    assert [i.code for i in report.issues] == ["bts-conflicts-with-held"]
    assert report.quarantined == 1
    with fresh_db.reader() as session:
        held = session.scalar(
            select(CrossingCount.value)
            .where(CrossingCount.port_code == first[2], CrossingCount.measure == first[5])
            .where(CrossingCount.source_row == 2)
        )
    assert held == int(first[6]) - 1


def test_import_waits_all_three_files_and_again(fresh_db: Database) -> None:
    historical = PORTS / "san_ysidro_historical_hourly_avg_by_month_dow.csv"
    report = import_waits_file(fresh_db, historical, crossing="250401", actor=NodeSelf("test"))
    assert report.loaded == 2016
    for name in ("json_api", "xml_feed"):
        path = PORTS / f"san_ysidro_current_wait_2021-01-12_{name}.csv"
        assert import_waits_file(fresh_db, path, actor=NodeSelf("test")).loaded == 9
        assert import_waits_file(fresh_db, path, actor=NodeSelf("test")).unchanged == 9
    again = import_waits_file(fresh_db, historical, crossing="250401", actor=NodeSelf("test"))
    assert (again.loaded, again.unchanged) == (0, 2016)
    with fresh_db.reader() as session:
        closed = session.scalars(
            select(WaitReading).where(WaitReading.operational_status == "Lanes Closed")
        ).all()
        assert len(closed) == 2
        assert all(r.delay_minutes is None for r in closed)
        total = session.scalar(select(func.sum(WaitProfile.passenger)))
        commercial = session.scalar(select(func.count()).where(WaitProfile.commercial.is_not(None)))
    with historical.open(newline="", encoding="utf-8") as handle:
        assert total == sum(int(r["pv_time_avg"]) for r in csv.DictReader(handle))
    assert commercial == 0


@pytest.mark.slow
@pytest.mark.skipif(not FULL.exists(), reason="shared data not available")
def test_import_full_bts_file_totals_match_raw_file(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'full.db'}")
    database.migrate()
    report = import_crossings_file(database, FULL, actor=NodeSelf("test"))
    assert stored_totals(database) == raw_totals(FULL)
    assert (report.skipped, report.quarantined) == (6, 2)
    old = FULL.parent / "border_crossing_entry_data_2018_old_release.csv"
    with old.open(newline="", encoding="utf-8") as handle:
        mexico = sum(1 for row in csv.DictReader(handle) if row["Border"] == "US-Mexico Border")
    again = import_crossings_file(database, old, actor=NodeSelf("test"))
    assert (again.loaded, again.unchanged) == (0, mexico)  # every row matches the current file
    with database.reader() as session:
        first_ysleta = session.scalar(
            select(func.min(CrossingCount.month)).where(CrossingCount.port_code == "2401")
        )
    assert first_ysleta is not None
    assert (first_ysleta.year, first_ysleta.month) == (2020, 3)
    database.dispose()
