"""The draft Binational Threat Assessment: figures from the records, EN and ES, honest gaps."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from alianza.actors import NodeSelf
from alianza.catalogue import in_language, message_of
from alianza.cooperation import registry
from alianza.cooperation.incidents import import_incidents
from alianza.cooperation.threat_assessment import draft_threat_assessment
from alianza.db import Database
from alianza.exchange.service import build_and_record, receive
from alianza.seizures.sample import write_mx_sample
from alianza.seizures.service import import_file
from alianza.seizures.template import template_csv
from tests.conftest import DATA
from tests.exchange.conftest import COVERAGE, Node, sample_tables

FIRST, LAST = date(1999, 1, 1), date(1999, 12, 31)


def test_draft_threat_assessment_assembles_incidents_seizures_and_rail(
    facts_db: Database, tmp_path: Path
) -> None:
    import_incidents(
        facts_db,
        DATA / "cooperation" / "incidents-defects.csv",
        actor=NodeSelf("t"),
        today=date(2026, 1, 1),
    )
    sample = tmp_path / "sample.csv"
    write_mx_sample(sample, first=FIRST, last=LAST, events=120)
    mx_node = Database(facts_db.url, country="MX")  # the Mexican node imports its records
    try:
        import_file(mx_node, sample, "canonical", actor=NodeSelf("t"))
    finally:
        mx_node.dispose()  # its pooled connections, closed (not left to the collector)
    facts_db = Database(facts_db.url, country="MX")
    with sample.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    events_by_mode: Counter[str] = Counter()
    for record_id, mode in {(r["source_record_id"], r["transport_mode"]) for r in rows}:
        del record_id
        events_by_mode[mode] += 1

    try:
        with facts_db.reader() as session:
            english = draft_threat_assessment(session, FIRST, LAST, "en")
            spanish = draft_threat_assessment(session, FIRST, LAST, "es")
    finally:
        facts_db.dispose()

    assert english.startswith("# Binational Threat Assessment — DRAFT")
    assert spanish.startswith("# Evaluación Binacional de la Amenaza — BORRADOR")
    # the US rows of the file (3: San Ysidro, not drug-related; 11: Nogales, drug-related);
    # Mexico's were refused on this US node's database
    assert "| San Diego | 1999-Q1 | 1 | 0 | 1 | 0 | 1 | 0 |" in english
    assert "1 of 2 incidents (50%)" in english
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
            session,
            "rail-smuggling-analysis",
            date(1999, 11, 30),
            actor=NodeSelf("t"),
            document="rail.pdf",
        )
    with facts_db.reader() as session:
        text = draft_threat_assessment(session, FIRST, LAST, "en")
    assert "No incident records in the period." in text
    assert "No seizure records in the period." in text
    assert "completed on 1999-11-30 (rail.pdf)" in text


def _old_demo_database(facts_db: Database, tmp_path: Path) -> tuple[Database, Path]:
    """A node database holding both countries' records, as the old demo's US node did: the US
    example rows (one BILATERAL ROAD event, one NATIONAL_ONLY ON_FOOT event, 2025-Q1), and
    Mexico's generated sample (about a tenth of it NATIONAL_ONLY), written as the MX node
    would have. Returns the same database opened as the MX node, and the MX file."""
    us_file = tmp_path / "us.csv"
    us_file.write_text(template_csv(example=True), encoding="utf-8")
    outcome = import_file(facts_db, us_file, "canonical", actor=NodeSelf("t"))
    assert outcome.report.loaded == 3, outcome.report  # rows
    mx_file = tmp_path / "mx.csv"
    write_mx_sample(mx_file, first=date(2025, 1, 1), last=date(2025, 12, 31), events=200)
    mx_db = Database(facts_db.url, country="MX")
    assert import_file(mx_db, mx_file, "canonical", actor=NodeSelf("t")).report.loaded > 0
    return mx_db, mx_file


def test_draft_threat_assessment_counts_only_the_nodes_own_records(
    facts_db: Database, tmp_path: Path
) -> None:
    """Finding of issue 14: a US viewer's draft held Mexico's national-only events, and the
    Mexican coordinator's draft a US national-only one."""
    mx_db, mx_file = _old_demo_database(facts_db, tmp_path)
    first, last = date(2025, 1, 1), date(2025, 12, 31)
    with facts_db.reader() as session:
        us_draft = draft_threat_assessment(session, first, last, "en")
    # The US example rows: one ROAD event (two drug rows), one ON_FOOT event.
    assert "| ROAD | 1 |" in us_draft
    assert "| ON_FOOT | 1 |" in us_draft
    assert "| RAIL |" not in us_draft
    assert "Seizures recorded with transport mode RAIL: 0 " in us_draft

    with mx_file.open(encoding="utf-8", newline="") as handle:
        events = {(r["source_record_id"], r["transport_mode"]) for r in csv.DictReader(handle)}
    by_mode = Counter(mode for _id, mode in events)
    try:
        with mx_db.reader() as session:
            mx_draft = draft_threat_assessment(session, first, last, "en")
    finally:
        mx_db.dispose()
    for mode, count in by_mode.items():
        assert f"| {mode} | {count:,} |" in mx_draft
    assert "Records of this node (MX)" in mx_draft


def test_draft_threat_assessment_shows_what_the_partner_sent(
    us_node: Node, mx_node: Node, tmp_path: Path
) -> None:
    """The partner's figures come from its signed package, never from its records."""
    tables = sample_tables("MX", "2025-Q1")
    data, _ = build_and_record(
        mx_node.database,
        mx_node.keys,
        quarter="2025-Q1",
        tables=tables,
        coverage=COVERAGE,
        actor=NodeSelf("test"),
    )
    receive(us_node.database, data, codes=None, actor=NodeSelf("test"))
    totals = {(o.drug, o.measure): o.value for o in tables["totals"]}
    with us_node.database.reader() as session:
        draft = draft_threat_assessment(session, date(2025, 1, 1), date(2025, 3, 31), "en")
        empty = draft_threat_assessment(session, date(2025, 4, 1), date(2025, 6, 30), "en")
    assert "### Received from MX (signed exchange packages)" in draft
    heroin_kg = totals[("HEROIN", "AMOUNT_KG")]
    heroin = f"| 2025-Q1 | HEROIN | {totals[('HEROIN', 'SEIZURES')]:,.0f} | {heroin_kg:,.1f} |"
    assert heroin in draft
    assert f"| 2025-Q1 | OTHER | {totals[('OTHER', 'SEIZURES')]:,.0f} | — |" in draft
    assert "No package from MX for these quarters has been received." in empty


NO_SESSION: Any = None  # refused before the database is read


def test_a_draft_in_another_language_is_refused_in_spanish() -> None:
    with pytest.raises(ValueError, match="language is en or es") as refused:
        draft_threat_assessment(NO_SESSION, date(2024, 1, 1), date(2024, 3, 31), "fr")
    assert in_language(message_of(refused.value), "es") == "el idioma es en o es"


def test_a_draft_after_an_import_counts_the_new_records(facts_db: Database, tmp_path: Path) -> None:
    """The draft's seizure totals are kept until the records change (seizures/cache.py), as
    the seizure pages' are: a draft asked for after an import counts what it stored."""
    sample = tmp_path / "sample.csv"
    write_mx_sample(sample, first=FIRST, last=LAST, events=120)
    with sample.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    ids = sorted({r["source_record_id"] for r in rows})
    halves = [set(ids[: len(ids) // 2]), set(ids[len(ids) // 2 :])]
    mx_node = Database(facts_db.url, country="MX")
    drafts, expected = [], []
    try:
        for number, half in enumerate(halves):
            part = tmp_path / f"part{number}.csv"
            with part.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=header)
                writer.writeheader()
                writer.writerows(r for r in rows if r["source_record_id"] in half)
            import_file(mx_node, part, "canonical", actor=NodeSelf("t"))
            with mx_node.reader() as session:
                drafts.append(draft_threat_assessment(session, FIRST, LAST, "en"))
            held = {ident for h in halves[: number + 1] for ident in h}
            expected.append(
                Counter(
                    mode
                    for ident, mode in {(r["source_record_id"], r["transport_mode"]) for r in rows}
                    if ident in held
                )
            )
    finally:
        mx_node.dispose()
    assert expected[0] != expected[1]
    for draft, by_mode in zip(drafts, expected, strict=True):
        for mode, count in by_mode.items():
            assert f"| {mode} | {count:,} |" in draft
