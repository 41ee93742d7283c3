"""Validation reports read as tables: a defect-named file and the literal (row, field, code)
list it must give; nothing is lost (quarantine), strict mode, and corrected files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.seizures.models import AggregateRow, DrugItem, Event, ImportBatch, QuarantinedRow
from alianza.seizures.service import import_file
from tests.seizures.conftest import SEIZURES

Found = list[tuple[int | None, str | None, str]]


def found(outcome_issues: list[dict[str, object]]) -> Found:
    return sorted(
        ((i["row"], i["field"], i["code"]) for i in outcome_issues),  # type: ignore[misc]
        key=lambda t: (t[0] or 0, t[2]),
    )


CASES: list[tuple[str, str, Found, tuple[int, int, int], int]] = [
    (
        "unknown-drug.csv",
        "cbp-nationwide",
        [(3, "drug", "unknown-code"), (5, "drug", "unknown-code")],
        (4, 2, 2),
        3,
    ),
    (
        "bad-values.csv",
        "cbp-nationwide",
        [
            (2, "fiscal_year", "bad-fiscal-year"),
            (3, "fiscal_month", "bad-month"),
            (4, "events", "bad-integer"),
            (5, "quantity", "negative-number"),
            (6, "quantity", "bad-number"),
            (7, "component", "unknown-code"),
            (8, "region", "unknown-code"),
            (9, "land_filter", "bad-land-filter"),
            (10, "drug", "missing-value"),
            (11, "quantity", "zero-weight-with-events"),
            (12, None, "duplicate-key-in-file"),
            (12, "quantity", "zero-weight-with-events"),
        ],
        (12, 2, 10),
        3,
    ),
    ("missing-column.csv", "cbp-nationwide", [(None, "Drug Type", "missing-column")], (0, 0, 0), 2),
    ("unknown-column.csv", "cbp-nationwide", [(None, "Notes", "unknown-column")], (0, 0, 0), 2),
    (
        "canonical-bad-rows.csv",
        "canonical",
        [
            (4, "drug", "unknown-code"),
            (5, "drug", "other-not-specified"),
            (6, "event_date", "bad-date"),
            (7, "port_code", "missing-port"),
            (8, None, "sibling-row-invalid"),
            (9, "releasability", "conflicting-event-fields"),
            (10, "drug", "aggregate-only-code"),
            (11, "quantity", "zero-quantity"),
            (12, "source_record_id", "repeated-event"),
            (13, "concealment", "other-not-specified"),
            (14, "reporting_country", "missing-value"),
            (15, "port_code", "unknown-port"),
            (17, "event_date", "future-date"),
        ],
        (16, 3, 13),
        3,
    ),
]


@pytest.mark.parametrize(("name", "profile", "expected", "counts", "exit_code"), CASES)
def test_import_defect_file_reports_each_problem(
    fresh_db: Database,
    name: str,
    profile: str,
    expected: Found,
    counts: tuple[int, int, int],
    exit_code: int,
) -> None:
    outcome = import_file(fresh_db, SEIZURES / name, profile, actor=NodeSelf("test"))
    report = outcome.report.as_dict()
    assert found(report["errors"]) == expected
    stats = report["stats"]
    assert (stats["rows"], stats["loaded"], stats["quarantined"]) == counts
    assert outcome.report.exit_code == exit_code
    for error in report["errors"]:
        assert error["message"]
        assert error["message_es"]
        assert error["message"] != error["message_es"]


def test_import_defect_file_keeps_rejected_rows_with_raw_values(fresh_db: Database) -> None:
    import_file(fresh_db, SEIZURES / "unknown-drug.csv", "cbp-nationwide", actor=NodeSelf("test"))
    with fresh_db.reader() as session:
        held = session.execute(
            select(QuarantinedRow.source_row, QuarantinedRow.raw, QuarantinedRow.issues).order_by(
                QuarantinedRow.source_row
            )
        ).all()
        loaded = session.scalar(select(func.count()).select_from(AggregateRow))
    assert [(row, raw["Drug Type"]) for row, raw, _ in held] == [(3, "Marijuanna"), (5, "Speed")]
    assert all(issues[0]["code"] == "unknown-code" for _, _, issues in held)
    assert loaded == 2


def test_write_report_json_has_stats_and_errors(fresh_db: Database, tmp_path: Path) -> None:
    outcome = import_file(
        fresh_db, SEIZURES / "unknown-drug.csv", "cbp-nationwide", actor=NodeSelf("test")
    )
    path = tmp_path / "report.json"
    outcome.report.write_json(path)
    body = json.loads(path.read_text("utf-8"))
    assert set(body) == {"stats", "errors"}
    assert {"rows", "loaded", "quarantined"} <= set(body["stats"])
    assert {"row", "field", "code", "message"} <= set(body["errors"][0])


def test_import_strict_loads_nothing_when_a_row_is_invalid(fresh_db: Database) -> None:
    outcome = import_file(
        fresh_db,
        SEIZURES / "canonical-bad-rows.csv",
        "canonical",
        strict=True,
        actor=NodeSelf("test"),
    )
    assert outcome.report.loaded == 0
    assert outcome.report.exit_code == 2
    assert outcome.batch_id is None
    with fresh_db.reader() as session:
        for model in (Event, DrugItem, QuarantinedRow, ImportBatch):
            assert session.scalar(select(func.count()).select_from(model)) == 0


def test_import_strict_loads_a_clean_file(fresh_db: Database) -> None:
    outcome = import_file(
        fresh_db,
        SEIZURES / "canonical-bad-rows-fixed.csv",
        "canonical",
        strict=True,
        actor=NodeSelf("test"),
    )
    assert (outcome.report.loaded, outcome.report.exit_code) == (16, 0)


def test_import_bad_file_twice_keeps_one_quarantine_entry_per_row(fresh_db: Database) -> None:
    import_file(fresh_db, SEIZURES / "canonical-bad-rows.csv", "canonical", actor=NodeSelf("test"))
    again = import_file(
        fresh_db, SEIZURES / "canonical-bad-rows.csv", "canonical", actor=NodeSelf("test")
    )
    assert (again.report.loaded, again.report.unchanged, again.report.quarantined) == (0, 3, 13)
    assert again.report.exit_code == 3
    with fresh_db.reader() as session:
        assert session.scalar(select(func.count()).select_from(QuarantinedRow)) == 13
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 1


def test_import_corrected_file_releases_quarantined_rows(
    fresh_db: Database, tmp_path: Path
) -> None:
    import_file(fresh_db, SEIZURES / "canonical-bad-rows.csv", "canonical", actor=NodeSelf("test"))
    corrected = tmp_path / "canonical-bad-rows.csv"  # the same file, corrected
    shutil.copy(SEIZURES / "canonical-bad-rows-fixed.csv", corrected)
    outcome = import_file(fresh_db, corrected, "canonical", actor=NodeSelf("test"))
    assert (outcome.report.loaded, outcome.report.unchanged, outcome.report.quarantined) == (
        13,
        3,
        0,
    )
    assert outcome.report.details["released"] == 13
    assert outcome.report.exit_code == 0
    with fresh_db.reader() as session:
        still_open = session.scalar(
            select(func.count())
            .select_from(QuarantinedRow)
            .where(QuarantinedRow.released_at.is_(None))
        )
        events = session.scalar(
            select(func.count()).select_from(Event).where(Event.superseded_at.is_(None))
        )
    assert still_open == 0
    assert events == 14  # E1..E14 less E1's repeat, which became E14


def test_import_unreadable_file_reports_and_loads_nothing(
    fresh_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "latin1.csv"
    header = "FY,Month (abbv),Component,Region,Land Filter,Area of Responsibility,Drug Type,"
    header += "Count of Event,Sum Qty (lbs)\n"
    path.write_bytes((header + "2024,\xe9,,,,,,,\n").encode("latin-1"))
    outcome = import_file(fresh_db, path, "cbp-nationwide", actor=NodeSelf("test"))
    # the undecodable byte is named by row and column, in both languages, not by byte offset
    assert [(i.code, i.row, i.field) for i in outcome.report.issues] == [
        ("bad-encoding", 2, "Month (abbv)")
    ]
    assert "0xE9" in outcome.report.issues[0].message_es
    assert "position" not in outcome.report.issues[0].message
    assert "fila 2" in outcome.report.issues[0].message_es
    assert outcome.report.exit_code == 2


def test_import_report_says_partial_past_its_limit(fresh_db: Database) -> None:
    outcome = import_file(
        fresh_db, SEIZURES / "bad-values.csv", "cbp-nationwide", limit=3, actor=NodeSelf("test")
    )
    stats = outcome.report.stats()
    assert len(outcome.report.issues) == 3
    assert stats["partial"] is True
    assert stats["errors"] + stats["warnings"] == 12  # every issue still counted
    assert "partial" in outcome.report.text()


def test_import_with_ignore_policy_drops_unknown_column_with_warning(
    fresh_db: Database, tmp_path: Path
) -> None:
    builtin = Path(__file__).resolve().parents[2] / "src/alianza/seizures/profiles"
    profile = json.loads((builtin / "cbp-nationwide.json").read_text("utf-8"))
    profile["unknown_columns"] = "ignore"
    path = tmp_path / "lenient.json"
    path.write_text(json.dumps(profile), "utf-8")
    outcome = import_file(fresh_db, SEIZURES / "unknown-column.csv", path, actor=NodeSelf("test"))
    assert [(i.row, i.field, i.code) for i in outcome.report.issues] == [
        (None, "Notes", "unknown-column-ignored")
    ]
    assert (outcome.report.loaded, outcome.report.exit_code) == (1, 0)
