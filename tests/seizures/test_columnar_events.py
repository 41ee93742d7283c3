"""Events of several rows on the columnar path: checked, hashed and stored as columns.

A file of events with two or three drug items each (some with a bad value on the second
row, some with a conflicting event-level field there) is imported by the row path and by the
columnar path; reports, quarantine and stored rows must be equal, and the expected issues,
row counts and fingerprints are computed here from how the file was built, not by either path.
The columnar path must hand the row path only the flagged events.
"""

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from alianza.db import Database
from alianza.seizures import columnar, service
from alianza.seizures.fingerprint import digest
from alianza.seizures.models import DrugItem, Event
from tests.seizures.test_columnar import COLUMNS, both, pair, stored  # noqa: F401 (fixture)

BASE = {
    "source_system": "MULTI",
    "reporting_country": "US",
    "reporting_agency": "CBP-OFO",
    "location_type": "POE_LAND_VEHICLE",
    "port_code": "2504",
    "record_status": "VALIDATED",
    "releasability": "BILATERAL",
    "form": "POWDER",
}
# drug, quantity, unit: the same drug twice (kg and a count), codes out of order, a quantity
# that rounds to the same three decimals as another
ITEMS = [
    ("Methamphetamine", "12.5", "KG"),
    ("COCAINE_HCL", "3", "LB"),
    ("Methamphetamine", "40", "TABLET"),
    ("Fentanilo", "0.0004", "KG"),
    ("Fentanilo", "0.0001", "KG"),
    ("Heroin", "250", "G"),
]
LB = 0.45359237


def build(path: Path, events: int, seed: int) -> dict[str, Any]:
    """The file, and what an import must make of it: the rows of valid events, the rows of
    flagged ones, and each expected issue as (row, field, code)."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    valid_rows: list[int] = []
    expected: list[tuple[int, str | None, str]] = []
    valid_events: dict[str, list[tuple[str, str, str]]] = {}
    for n in range(events):
        day = date(2024, 1, 1).toordinal() + rng.randrange(300)
        event = {**BASE, "source_record_id": f"M{n:05d}", "event_date": str(date.fromordinal(day))}
        items = rng.sample(ITEMS, rng.choice([1, 2, 2, 3]))
        first = len(rows) + 2  # file row of the event's first row (after the header)
        numbers = list(range(first, first + len(items)))
        fault = rng.random() if len(items) > 1 else 1.0
        for at, (drug, quantity, unit) in enumerate(items):
            row = {**event, "drug": drug, "quantity": quantity, "unit": unit}
            if at == 1 and fault < 0.15:
                row["unit"] = "BUSHEL"  # a bad value on the second row
            elif at == 1 and fault < 0.25:
                row["direction"] = "SOUTHBOUND"  # an event-level field the first row lacks
            rows.append(row)
        if fault < 0.15:
            second = numbers[1]
            expected.append((second, "unit", "unknown-code"))
            expected += [(r, None, "sibling-row-invalid") for r in numbers if r != second]
            expected.sort(key=lambda issue: issue[0])
        elif fault < 0.25:
            second = numbers[1]
            expected.append((second, "direction", "conflicting-event-fields"))
            expected += [(r, None, "sibling-row-invalid") for r in numbers if r != second]
            expected.sort(key=lambda issue: issue[0])
        else:
            valid_rows += numbers
            valid_events[event["source_record_id"]] = items
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([row.get(name, "") for name in COLUMNS])
    return {"rows": len(rows), "valid": valid_rows, "issues": expected, "events": valid_events}


def fingerprint(event: Event, items: list[DrugItem]) -> str:
    """The fingerprint by its definition: canonical JSON of the normalized fields, items by
    drug code, then kg and count (no value first), hashed by ``digest``."""
    listed = [
        [i.drug_code, None if i.net_mass_kg is None else round(i.net_mass_kg, 3), i.unit_count]
        for i in items
    ]
    listed.sort(key=lambda i: tuple((v is not None, v or 0) for v in i[1:]))
    listed.sort(key=lambda i: str(i[0]))
    return digest(
        [
            event.reporting_country,
            event.event_date.isoformat(),
            event.location_type,
            event.port_code,
            (event.area or "").casefold(),
            listed,
        ]
    )


@pytest.mark.parametrize("chunk", [5000, 7])
def test_multi_row_events_take_the_columnar_path(
    pair: tuple[Database, Database],  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    chunk: int,
) -> None:
    rows_db, fast_db = pair
    monkeypatch.setattr(columnar, "BLOCK_BYTES", 4096)  # events across the reader's batches
    monkeypatch.setattr(service, "CHUNK", chunk)  # chunks end inside batches, on both paths
    path = tmp_path / "multi.csv"
    built = build(path, 240, seed=chunk)
    handed: list[int] = []  # rows of the groups the columnar path gives the row path
    row_path = service._Run.event_group

    def event_group(run: service._Run, group: Any) -> None:
        handed.extend(row.number for row, _checked in group.rows)
        row_path(run, group)

    monkeypatch.setattr(service._Run, "event_group", event_group)
    _reference, fast = both(rows_db, fast_db, path)  # same report and stored rows on both
    assert fast.engine == "columnar"
    rows_of_reference = set(handed[: built["rows"]])
    assert rows_of_reference == set(range(2, built["rows"] + 2))  # the row path: every row
    columnar_handed = set(handed[built["rows"] :])
    flagged = {row for row, _field, _code in built["issues"]}
    # the columnar path hands over the flagged events, and at most the last event of each
    # batch (which may go on in the next one); never a valid event of several rows elsewhere
    assert flagged <= columnar_handed
    batches = path.stat().st_size // 4096 + 1
    assert len(columnar_handed - flagged) <= 3 * batches
    assert len(columnar_handed - flagged) < len(built["valid"]) / 4

    found = [(i["row"], i["field"], i["code"]) for i in fast.report.as_dict()["errors"]]
    assert found == built["issues"]
    assert fast.report.loaded == len(built["valid"])
    assert fast.report.quarantined == built["rows"] - len(built["valid"])

    with fast_db.reader() as session:
        events = session.scalars(select(Event).order_by(Event.id)).all()
        items = session.scalars(select(DrugItem).order_by(DrugItem.id)).all()
        by_event: dict[int, list[DrugItem]] = {}
        for item in items:
            by_event.setdefault(item.event_id, []).append(item)
        assert [e.source_record_id for e in events] == list(built["events"])  # file order
        assert [i.source_row for i in items] == built["valid"]
        for e in events:
            mine = by_event[e.id]
            assert [i.position for i in mine] == list(range(1, len(mine) + 1))
            written = built["events"][e.source_record_id]
            assert [(i.drug_reported, i.quantity_reported) for i in mine] == [
                (drug, quantity) for drug, quantity, _unit in written
            ]
            for i, (_drug, quantity, unit) in zip(mine, written, strict=True):
                if unit == "KG":
                    assert i.net_mass_kg == pytest.approx(float(quantity))
                elif unit == "LB":
                    assert i.net_mass_kg == pytest.approx(float(quantity) * LB)
            assert e.fingerprint == fingerprint(e, mine)
            assert e.record_key == digest([e.source_system, e.source_record_id])

    # the same file again: nothing new on either path
    again, again_fast = both(rows_db, fast_db, path)
    assert again.batch_id is None
    assert again_fast.batch_id is None
    assert again_fast.report.unchanged == len(built["valid"])
    assert stored(fast_db)["events"] == stored(rows_db)["events"]
