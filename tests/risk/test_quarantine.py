"""Refused declaration rows are kept in quarantine with their raw values and reasons; a
re-import adds nothing; a corrected file releases what it fixes (both backends)."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import func, select

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.risk.models import QuarantinedShipment, Shipment
from alianza.risk.store import import_shipments, open_quarantine
from tests.risk.conftest import RISK_DATA

DEFECTS = RISK_DATA / "defects.csv"


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_refused_rows_quarantined_with_raw_values_and_reasons(fresh_db: Database) -> None:
    report = import_shipments(fresh_db, DEFECTS, actor=NodeSelf("test"))
    raw = rows_of(DEFECTS)
    with fresh_db.reader() as session:
        held = open_quarantine(session)
        by_row = {q.source_row: q for q in held}
        loaded = set(session.scalars(select(Shipment.reference)))
    # rows 2..10 of the file: the first 10000001 and 10000009 (padded HS code) load
    assert loaded == {"10000001", "10000009"}
    assert report.quarantined == len(raw) - 2 == len(held)
    assert report.details["quarantine_new"] == len(held)
    assert sorted(by_row) == [3, 4, 5, 6, 7, 8, 9]
    assert by_row[3].raw["Date"] == "2021-13-01"
    assert by_row[3].reference == "10000002"
    assert [i["code"] for i in by_row[3].issues] == ["risk-bad-date"]
    assert [i["code"] for i in by_row[8].issues] == ["risk-duplicate-id"]
    assert by_row[5].raw["Item Price"] == "12,5"
    assert all(q.source == DEFECTS.name and q.profile == "kcs" for q in held)


def test_reimport_adds_nothing_to_quarantine(fresh_db: Database) -> None:
    import_shipments(fresh_db, DEFECTS, actor=NodeSelf("test"))
    again = import_shipments(fresh_db, DEFECTS, actor=NodeSelf("test"))
    with fresh_db.reader() as session:
        count = session.scalar(select(func.count()).select_from(QuarantinedShipment))
        shipments = session.scalar(select(func.count()).select_from(Shipment))
    assert count == 7
    assert shipments == 2
    assert again.details == {"quarantine_new": 0, "released": 0}
    assert (again.loaded, again.unchanged, again.quarantined) == (0, 2, 7)


def test_corrected_file_releases_what_it_fixes(fresh_db: Database, tmp_path: Path) -> None:
    import_shipments(fresh_db, DEFECTS, actor=NodeSelf("test"))
    raw = rows_of(DEFECTS)
    fixed = [dict(raw[1], Date="2021-04-01"), dict(raw[3], **{"Item Price": "12.5"})]
    report = import_shipments(
        fresh_db, write(tmp_path / "fixed.csv", fixed), actor=NodeSelf("test")
    )
    with fresh_db.reader() as session:
        still = {q.reference for q in open_quarantine(session)}
        released = session.scalars(
            select(QuarantinedShipment.reference).where(
                QuarantinedShipment.released_at.is_not(None)
            )
        ).all()
    assert report.loaded == 2
    assert report.details == {"quarantine_new": 0, "released": 2}
    assert sorted(released) == ["10000002", "10000004"]
    assert "10000002" not in still
    assert "10000004" not in still
    assert {"10000003", "10000005", "10000006", "10000008"} <= still


def test_reference_conflict_is_quarantined(fresh_db: Database, tmp_path: Path) -> None:
    path = RISK_DATA / "kcs-test-sample.csv"
    import_shipments(fresh_db, path, actor=NodeSelf("test"))
    rows = rows_of(path)[:2]
    rows[1]["Net Mass"] = "999999.0"
    report = import_shipments(
        fresh_db, write(tmp_path / "changed.csv", rows), actor=NodeSelf("test")
    )
    with fresh_db.reader() as session:
        held = open_quarantine(session)
    assert report.quarantined == 1
    assert [(q.reference, q.source_row) for q in held] == [(rows[1]["Declaration ID"], 3)]
    assert held[0].raw["net_mass_kg"] == "999999.0"
    assert [i["code"] for i in held[0].issues] == ["risk-reference-conflict"]
