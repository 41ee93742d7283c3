"""The draft Binational Threat Assessment: figures from the records, EN and ES, honest gaps."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

from alianza.cooperation import registry
from alianza.cooperation.incidents import import_incidents
from alianza.cooperation.threat_assessment import draft_threat_assessment
from alianza.db import Database
from alianza.seizures.sample import write_mx_sample
from alianza.seizures.service import import_file
from tests.conftest import DATA

FIRST, LAST = date(1999, 1, 1), date(1999, 12, 31)


def test_draft_threat_assessment_assembles_incidents_seizures_and_rail(
    facts_db: Database, tmp_path: Path
) -> None:
    import_incidents(
        facts_db, DATA / "cooperation" / "incidents-defects.csv", actor="t", today=date(2026, 1, 1)
    )
    sample = tmp_path / "sample.csv"
    write_mx_sample(sample, first=FIRST, last=LAST, events=120)
    import_file(facts_db, sample, "canonical", actor="t")
    with sample.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    events_by_mode: Counter[str] = Counter()
    for record_id, mode in {(r["source_record_id"], r["transport_mode"]) for r in rows}:
        del record_id
        events_by_mode[mode] += 1

    with facts_db.reader() as session:
        english = draft_threat_assessment(session, FIRST, LAST, "en")
        spanish = draft_threat_assessment(session, FIRST, LAST, "es")

    assert english.startswith("# Binational Threat Assessment — DRAFT")
    assert spanish.startswith("# Evaluación Binacional de la Amenaza — BORRADOR")
    assert "| San Diego | 1999-Q1 | 2 | 1 | 1 | 0 | 1 | 1 |" in english
    assert "2 of 3 incidents (67%)" in english
    for mode, count in events_by_mode.items():
        assert f"| {mode} | {count:,} |" in english
    rail = events_by_mode.get("RAIL", 0)
    assert f"Seizures recorded with transport mode RAIL: {rail} " in english
    assert "The joint rail smuggling analysis is not completed." in english
    assert "- Update of the Binational Threat Assessment: not completed (due 1999-12-31)" in english
    assert "- Actualización de la Evaluación Binacional de la Amenaza: no concluido" in spanish


def test_draft_threat_assessment_says_when_nothing_is_held(facts_db: Database) -> None:
    with facts_db.transaction() as session:
        registry.complete_deliverable(
            session, "rail-smuggling-analysis", date(1999, 11, 30), actor="t", document="rail.pdf"
        )
    with facts_db.reader() as session:
        text = draft_threat_assessment(session, FIRST, LAST, "en")
    assert "No incident records in the period." in text
    assert "No seizure records in the period." in text
    assert "completed on 1999-11-30 (rail.pdf)" in text
