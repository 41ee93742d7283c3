"""Duplicate detection across sources, and the counting rules of the aggregates."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlalchemy import select

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.seizures import dedupe
from alianza.seizures.aggregate import aggregate, parse_where
from alianza.seizures.models import DuplicateLink, Event
from alianza.seizures.service import import_file
from alianza.seizures.template import template_columns

BASE = {
    "reporting_country": "US",
    "location_type": "POE_LAND_VEHICLE",
    "port_code": "2604",
    "record_status": "VALIDATED",
    "releasability": "BILATERAL",
    "form": "POWDER",
    "unit": "KG",
}


def write(path: Path, rows: list[dict[str, str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=template_columns(), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**BASE, **row})
    path.write_text(buffer.getvalue(), "utf-8")
    return path


def event(system: str, ident: str, day: str, drug: str, kg: str, **extra: str) -> dict[str, str]:
    agency = "CBP-OFO" if system.startswith("CBP") else "ICE-HSI"
    return {
        "source_system": system,
        "source_record_id": ident,
        "reporting_agency": agency,
        "event_date": day,
        "drug": drug,
        "quantity": kg,
        **extra,
    }


def links(database: Database) -> list[tuple[str, str, str]]:
    with database.reader() as session:
        rows = session.execute(select(DuplicateLink)).scalars().all()
        ids = {e.id: e.source_record_id for e in session.scalars(select(Event))}
        return sorted((ids[r.event_id], ids[r.duplicate_of_id], r.method) for r in rows)


def test_link_same_event_from_two_sources(fresh_db: Database, tmp_path: Path) -> None:
    write(
        tmp_path / "cbp.csv",
        [
            event("CBP-SEACATS", "A1", "2025-04-10", "Cocaine", "12.0"),
            event("CBP-SEACATS", "A2", "2025-04-11", "Heroin", "3.0"),
            event("CBP-SEACATS", "A3", "2025-04-12", "Fentanyl", "5.0"),
        ],
    )
    write(
        tmp_path / "hsi.csv",
        [
            # same as A1 in every normalized field: fingerprint
            event("HSI-CASES", "H1", "2025-04-10", "Cocaína", "12000", unit="G"),
            # A2 a day later, 1 % lighter: near match
            event("HSI-CASES", "H2", "2025-04-12", "Heroin", "2.97"),
            # like A3 but 20 % heavier: a different seizure
            event("HSI-CASES", "H3", "2025-04-12", "Fentanyl", "6.0"),
            # like A3 but three days later: a different seizure
            event("HSI-CASES", "H4", "2025-04-15", "Fentanyl", "5.0"),
        ],
    )
    import_file(fresh_db, tmp_path / "cbp.csv", "canonical", actor=NodeSelf("test"))
    outcome = import_file(fresh_db, tmp_path / "hsi.csv", "canonical", actor=NodeSelf("test"))
    assert outcome.duplicates.total == 2
    assert links(fresh_db) == [("H1", "A1", "fingerprint"), ("H2", "A2", "near-match")]
    with fresh_db.reader() as session:
        total = aggregate(session, ["country"]).rows()
    assert [(r["country"], r["seizures"]) for r in total] == [("US", 5)]  # 7 records, 2 linked


def test_near_search_reads_only_pairs_within_the_tolerance(
    fresh_db: Database, tmp_path: Path
) -> None:
    """The database returns only the item pairs whose kilograms are near: at ten million
    events every earlier event of the port within a day (about 1,200 a new event) was read into
    Python and tested there, some hundred million rows for a second source. The pairs kept,
    and the links, are those the exact test accepts, on both sides of each bound."""
    write(
        tmp_path / "cbp.csv",
        [
            event("CBP-SEACATS", "A1", "2025-04-10", "Heroin", "3.0"),
            event("CBP-SEACATS", "A2", "2025-04-10", "Fentanyl", "5.0"),
            event("CBP-SEACATS", "A3", "2025-04-10", "Cocaine", "100.0"),
            event("CBP-SEACATS", "A4", "2025-04-10", "Marijuana", "0.5"),
        ],
    )
    write(
        tmp_path / "hsi.csv",
        [
            event("HSI-CASES", "H1", "2025-04-11", "Heroin", "2.97"),  # 1 %: near
            event("HSI-CASES", "H2", "2025-04-11", "Fentanyl", "6.0"),  # 20 %: not near
            event("HSI-CASES", "H3", "2025-04-11", "Cocaine", "102.0"),  # 2 % of the larger: near
            event("HSI-CASES", "H4", "2025-04-11", "Cocaine", "97.9"),  # 2.1 %: not near
            event("HSI-CASES", "H5", "2025-04-11", "Marijuana", "0.59"),  # 0.09 kg: near
            event("HSI-CASES", "H6", "2025-04-11", "Marijuana", "0.7"),  # 0.2 kg: not near
        ],
    )
    import_file(fresh_db, tmp_path / "cbp.csv", "canonical", actor=NodeSelf("test"))
    outcome = import_file(fresh_db, tmp_path / "hsi.csv", "canonical", actor=NodeSelf("test"))
    assert outcome.batch_id is not None
    with fresh_db.reader() as session:
        ids = {e.id: e.source_record_id for e in session.scalars(select(Event))}
        read = session.execute(dedupe.near_candidates(outcome.batch_id)).all()
    assert sorted((ids[new], ids[old]) for new, old, *_ in read) == [
        ("H1", "A1"),
        ("H3", "A3"),
        ("H5", "A4"),
    ]
    assert links(fresh_db) == [
        ("H1", "A1", "near-match"),
        ("H3", "A3", "near-match"),
        ("H5", "A4", "near-match"),
    ]


def test_link_nothing_within_one_source(fresh_db: Database, tmp_path: Path) -> None:
    write(
        tmp_path / "one.csv",
        [
            event("CBP-SEACATS", "A1", "2025-04-10", "Cocaine", "12.0"),
            event("CBP-SEACATS", "A2", "2025-04-10", "Cocaine", "12.0"),
        ],
    )
    outcome = import_file(fresh_db, tmp_path / "one.csv", "canonical", actor=NodeSelf("test"))
    assert outcome.duplicates.total == 0
    assert links(fresh_db) == []


def test_aggregate_counts_an_event_once_in_totals_and_once_per_drug(
    fresh_db: Database, tmp_path: Path
) -> None:
    write(
        tmp_path / "events.csv",
        [
            event("S", "E1", "2025-01-05", "Cocaine", "10", concealment="SPARE_TIRE;DASHBOARD"),
            event("S", "E1", "2025-01-05", "Heroin", "2", concealment="SPARE_TIRE;DASHBOARD"),
            event("S", "E2", "2025-02-05", "Fentanyl", "600", unit="TABLET"),
        ],
    )
    import_file(fresh_db, tmp_path / "events.csv", "canonical", actor=NodeSelf("test"))
    with fresh_db.reader() as session:
        total = aggregate(session, ["quarter"]).rows()
        by_drug = aggregate(session, ["drug"]).rows()
        by_concealment = aggregate(session, ["concealment"], parse_where(["drug=HEROIN"])).rows()
    assert [
        (r["quarter"], r["seizures"], r["amount_kg"], r["records_without_kg"]) for r in total
    ] == [("2025-Q1", 2, 12.0, 1)]
    assert [(r["drug"], r["seizures"], r["amount_kg"]) for r in by_drug] == [
        ("COCAINE_UNSPECIFIED", 1, 10.0),
        ("FENTANYL", 1, None),  # tablets only: amount not reported, not zero
        ("HEROIN", 1, 2.0),
    ]
    assert [(r["concealment"], r["seizures"], r["amount_kg"]) for r in by_concealment] == [
        ("DASHBOARD", 1, 2.0),
        ("SPARE_TIRE", 1, 2.0),
    ]


def test_aggregate_where_filters_and_releasability(fresh_db: Database, tmp_path: Path) -> None:
    write(
        tmp_path / "events.csv",
        [
            event("S", "E1", "2025-01-05", "Cocaine", "10"),
            event("S", "E2", "2025-01-06", "Cocaine", "4", releasability="NATIONAL_ONLY"),
        ],
    )
    import_file(fresh_db, tmp_path / "events.csv", "canonical", actor=NodeSelf("test"))
    with fresh_db.reader() as session:
        everything = aggregate(session, ["drug_group"]).rows()
        shareable = aggregate(session, ["drug_group"], releasability={"BILATERAL"}).rows()
    assert [(r["seizures"], r["amount_kg"]) for r in everything] == [(2, 14.0)]
    assert [(r["seizures"], r["amount_kg"]) for r in shareable] == [(1, 10.0)]


def _plan(database: Database, query: object) -> list[str]:
    """SQLite's plan of ``query``: one line per table visited, in loop order."""
    with database.engine.connect() as connection:
        sql = str(query.compile(connection, compile_kwargs={"literal_binds": True}))  # type: ignore[attr-defined]
        return [row[3] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]


def test_duplicate_search_starts_from_the_batch_on_sqlite(tmp_path: Path) -> None:
    """SQLite keeps no statistics: with an index on ``superseded_at`` (NULL on every current
    row) it walked every earlier event for each event of the batch, hours for a small file
    against a million events. The search must start from the batch's own events (batch index)
    and reach the earlier ones through the fingerprint index, and for near matches through
    the near-match index on the items, seeking port, drug, day and a band of kilograms (before
    seizures_0008 it walked every earlier event of the port within a day: about 1,200 a new
    event at ten million events)."""
    database = Database(f"sqlite:///{tmp_path / 'plan.db'}", country="US")
    database.migrate()
    try:
        fingerprint = _plan(database, dedupe.fingerprint_pairs(7))
        near = _plan(database, dedupe.near_candidates(7))
    finally:
        database.dispose()
    assert "USING INDEX ix_seizure_event_batch_id (batch_id=?)" in fingerprint[0]
    assert "USING INDEX ix_seizure_event_fingerprint (fingerprint=?" in fingerprint[1]
    # near: one query a day of the three, each from the batch to the near-match index
    searches = [line for line in near if line.startswith("SEARCH")]
    assert len(searches) == 12
    for day in range(3):
        new, new_items, old_items, old = searches[4 * day : 4 * day + 4]
        assert "USING INDEX ix_seizure_event_batch_id (batch_id=?)" in new
        assert "USING INDEX ix_seizure_drug_item_event_id (event_id=?)" in new_items
        assert (
            "USING INDEX ix_seizure_drug_item_near (port_code=? AND drug_code=? AND event_day=? "
            "AND net_mass_kg>? AND net_mass_kg<?)" in old_items
        )
        assert old.startswith("SEARCH seizure_event")
        assert "PRIMARY KEY" in old
    assert not any(line.startswith("SCAN seizure_") for line in fingerprint + near)
