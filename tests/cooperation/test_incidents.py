"""Incident import (10.1): validation as a table of (row, field, code), re-import, analysis."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import select

from alianza.actors import NodeSelf
from alianza.catalogue import in_language, message_of
from alianza.cooperation.incidents import (
    INCIDENT_TYPES,
    check_row,
    fingerprint,
    import_incidents,
    incident_analysis,
    quarter,
)
from alianza.cooperation.models import Incident, IncidentQuarantine
from alianza.db import Database
from tests.conftest import DATA

DEFECTS = DATA / "cooperation" / "incidents-defects.csv"
TODAY = date(2026, 11, 28)


def test_import_incidents_reports_each_defect_by_row_field_and_code(fresh_db: Database) -> None:
    report = import_incidents(fresh_db, DEFECTS, actor=NodeSelf("test"), today=TODAY)
    found = [(i.row, i.field, i.code) for i in report.issues]
    # fresh_db is the US node: the rows Mexico reports (2, 4, 7, 8, 10) belong on the MX node
    assert found == [
        (2, "country", "incident-foreign-country"),
        (4, "date", "incident-bad-date"),
        (4, "country", "incident-foreign-country"),
        (5, "country", "incident-unknown-country"),
        (6, "place", "incident-unknown-place"),
        (7, "country", "incident-foreign-country"),
        (7, "type", "incident-unknown-type"),
        (8, "country", "incident-foreign-country"),
        (8, "drug_related", "incident-bad-drug-link"),
        (9, "date", "incident-missing-value"),
        (9, "source", "incident-missing-value"),
        (10, "country", "incident-foreign-country"),
    ]
    assert (report.rows, report.loaded, report.quarantined, report.skipped) == (10, 2, 8, 0)
    assert report.exit_code == 3
    assert "this node is the US node; the row reports MX" in report.text()
    assert "este nodo es el nodo de EE. UU.; la fila reporta MX" in report.text(language="es")
    with fresh_db.reader() as session:
        quarantined = session.scalars(select(IncidentQuarantine)).all()
        held = session.scalars(select(Incident).order_by(Incident.import_row)).all()
    assert sorted(q.import_row for q in quarantined) == [2, 4, 5, 6, 7, 8, 9, 10]
    assert next(q for q in quarantined if q.import_row == 6).raw["place"] == "Springfield"
    assert [(i.import_row, i.region, i.incident_type, i.drug_related) for i in held] == [
        (3, "San Diego", "assault-on-officer", "no"),
        (11, "Tucson", "armed-robbery", "yes"),
    ]
    assert "no es una fecha" not in report.text()
    assert "no es una fecha" in report.text(language="es")


def test_import_incidents_again_is_unchanged(fresh_db: Database) -> None:
    import_incidents(fresh_db, DEFECTS, actor=NodeSelf("test"), today=TODAY)
    again = import_incidents(fresh_db, DEFECTS, actor=NodeSelf("test"), today=TODAY)
    assert (again.loaded, again.unchanged) == (0, 2)


def test_import_incidents_rejects_unknown_column_unless_ignored(mx_db: Database) -> None:
    path = DATA / "cooperation" / "incidents-unknown-column.csv"  # a Mexican row: MX node
    refused = import_incidents(mx_db, path, actor=NodeSelf("test"), today=TODAY)
    assert [(i.field, i.code) for i in refused.issues] == [
        ("victim_name", "incident-unknown-column")
    ]
    assert (refused.loaded, refused.exit_code) == (0, 2)
    ignored = import_incidents(
        mx_db, path, actor=NodeSelf("test"), unknown_columns="ignore", today=TODAY
    )
    assert ignored.loaded == 1


def test_import_incidents_reads_xlsx_like_csv(fresh_db: Database, tmp_path: Path) -> None:
    with DEFECTS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    path = tmp_path / "incidents.xlsx"
    book.save(path)
    report = import_incidents(fresh_db, path, actor=NodeSelf("test"), today=TODAY)
    assert (report.loaded, report.quarantined, report.skipped) == (2, 8, 0)


def test_incident_analysis_counts_match_a_plain_csv_count(
    fresh_db: Database, tmp_path: Path
) -> None:
    places = {"Tijuana": "San Diego", "Nogales": "Tucson", "Ciudad Juárez": "El Paso"}
    path = tmp_path / "many.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["date", "country", "place", "type", "drug_related", "source", "reference"])
        for n in range(60):
            place = list(places)[n % 3]
            day = date(1999, 1 + n % 12, 1 + n % 28)
            link = ("yes", "no", "unknown")[n % 4 % 3]
            out.writerow([day, "MX" if n % 2 else "US", place, "homicide", link, "t", f"r{n}"])
    import_incidents(fresh_db, path, actor=NodeSelf("test"), today=TODAY)
    expected: Counter[tuple[str, str, str]] = Counter()
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["country"] != "US":  # fresh_db is the US node: Mexico's are refused
                continue
            day = date.fromisoformat(row["date"])
            key = f"{day.year}-Q{(day.month - 1) // 3 + 1}"
            expected[(places[row["place"]], key, row["drug_related"])] += 1
    with fresh_db.reader() as session:
        cells = incident_analysis(session)
    got: Counter[tuple[str, str, str]] = Counter()
    for c in cells:
        for link, n in (
            ("yes", c.drug_related),
            ("no", c.not_drug_related),
            ("unknown", c.unknown),
        ):
            if n:
                got[(c.region, c.quarter, link)] = n
    assert got == expected
    assert sum(c.total for c in cells) == 30


valid_rows = st.fixed_dictionaries(
    {
        "date": st.dates(date(1990, 1, 1), date(2025, 12, 31)).map(str),
        "country": st.sampled_from(["US", "MX", "us", "mx"]),
        "place": st.sampled_from(["Tijuana", "San Ysidro", "Ciudad Juárez", "Laredo", "Nogales"]),
        "type": st.sampled_from(INCIDENT_TYPES),
        "drug_related": st.sampled_from(["yes", "no", "unknown", "sí", "YES"]),
        "source": st.text(min_size=1, max_size=20).filter(str.strip),
        "reference": st.text(max_size=10),
    }
)


@settings(max_examples=60)
@given(valid_rows)
def test_check_row_normalize_twice_equals_once(raw: dict[str, str]) -> None:
    once, issues = check_row(raw, 2, TODAY)
    assert issues == []
    assert once is not None
    again_raw = raw | {
        "date": str(once["occurred_on"]),
        "country": once["country"],
        "type": once["incident_type"],
        "drug_related": once["drug_related"],
    }
    twice, _ = check_row(again_raw, 2, TODAY)
    assert twice == once
    assert fingerprint(twice) == fingerprint(once)
    assert quarter(once["occurred_on"]).startswith(str(once["occurred_on"].year))


def test_import_incidents_names_the_row_and_column_of_bytes_not_utf8(fresh_db: Database) -> None:
    """The one tabular reader: before, a Latin-1 file raised its own ``UnreadableFile``
    ("not UTF-8 text") with no row, column or Spanish text."""
    path = DATA / "cooperation" / "incidents-latin1.csv"
    report = import_incidents(fresh_db, path, actor=NodeSelf("test"), today=TODAY)
    assert [(i.row, i.field, i.code) for i in report.issues] == [(3, "place", "bad-encoding")]
    assert "row 3, column 'place': byte 0xE1 is not valid utf-8-sig" in report.text()
    assert "fila 3, columna 'place': el byte 0xE1 no es utf-8-sig" in report.text(language="es")
    assert (report.loaded, report.exit_code) == (0, 2)
    with fresh_db.reader() as session:
        assert session.scalars(select(Incident)).all() == []


def test_import_incidents_names_an_unreadable_file_in_both_languages(
    fresh_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "incidents.pdf"
    path.write_bytes(b"%PDF-1.4")
    report = import_incidents(fresh_db, path, actor=NodeSelf("test"), today=TODAY)
    assert [(i.row, i.code) for i in report.issues] == [(None, "unreadable-file")]
    assert "unsupported file type 'incidents.pdf'" in report.text()
    assert "tipo de archivo no admitido 'incidents.pdf'" in report.text(language="es")


def test_import_incidents_row_numbers_are_the_files_past_a_blank_line(
    fresh_db: Database, tmp_path: Path
) -> None:
    """Before, rows were counted after blank ones were dropped: the row after a blank line
    was reported one row too early."""
    lines = DEFECTS.read_text("utf-8").splitlines()
    path = tmp_path / "blank-line.csv"
    path.write_text("\n".join([lines[0], lines[2], "", lines[5]]) + "\n", "utf-8")  # rows 3, 6
    report = import_incidents(fresh_db, path, actor=NodeSelf("test"), today=TODAY)
    assert [(i.row, i.field, i.code) for i in report.issues] == [
        (4, "place", "incident-unknown-place")
    ]


def test_import_incidents_records_who_imported_and_refuses_who_may_not(
    fresh_db: Database,
) -> None:
    """The rows, their quarantine and the audit entry name the importer (before, a column
    name of the file's header took the importer's place: the loop over the header reused the
    variable); a user of the other government, or without coop.manage, imports nothing."""
    from alianza.accounts.permissions import Country, Role
    from alianza.accounts.principal import ForeignAccount
    from alianza.actors import NotPermitted
    from alianza.audit import AuditEntry
    from tests.test_acting import user

    for actor, refusal in (
        (user("enlace-mx", Role.LIAISON, Country.MX), ForeignAccount),
        (user("viewer-us", Role.VIEWER, Country.US), NotPermitted),
    ):
        with pytest.raises(refusal):
            import_incidents(fresh_db, DEFECTS, actor=actor, today=TODAY)
    with fresh_db.reader() as session:
        assert session.scalars(select(Incident)).all() == []
    import_incidents(fresh_db, DEFECTS, actor=user("liaison-us", Role.LIAISON, Country.US))
    with fresh_db.reader() as session:
        held = {i.recorded_by for i in session.scalars(select(Incident))}
        kept = {q.recorded_by for q in session.scalars(select(IncidentQuarantine))}
        audited = session.scalars(
            select(AuditEntry.actor).where(AuditEntry.subject == f"file:{DEFECTS.name}")
        ).all()
    assert (held, kept, set(audited)) == ({"liaison-us"}, {"liaison-us"}, {"liaison-us"})


def test_an_unknown_columns_policy_is_refused_in_spanish(mx_db: Database) -> None:
    path = DATA / "cooperation" / "incidents-unknown-column.csv"
    with pytest.raises(ValueError, match="unknown-columns policy") as refused:
        import_incidents(mx_db, path, actor=NodeSelf("test"), unknown_columns="keep")
    assert str(refused.value) == "unknown-columns policy is one of ('reject', 'ignore')"
    assert in_language(message_of(refused.value), "es") == (
        "la política para columnas desconocidas es una de ('reject', 'ignore')"
    )
