"""MUCD's monthly municipal files imported with the built-in ``mx-mucd`` profile, exactly as
published; the profile features real files need, each with a fixture that failed before.

Expected values come from the raw files through a plain ``csv`` loop (never from Alianza)."""

from __future__ import annotations

import csv
import json
import os
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.seizures.aggregate import aggregate
from alianza.seizures.models import AggregateRow, ImportBatch
from alianza.seizures.mucd import import_mucd
from alianza.seizures.overview import provenance_by_source
from alianza.seizures.profile import BadProfile, UnknownProfile, check_profile, load_profile
from alianza.seizures.service import import_file
from tests.conftest import DATA

MUCD = DATA / "mx" / "mucd"
REPO = Path(__file__).resolve().parents[2]
SHARED_MUCD = (
    Path(os.environ.get("ALIANZA_SHARED_DATA", REPO.parent / "shared" / "data")) / "mx" / "mucd"
)
MEASURES = {
    "Aseguramientode_marihuana": "CANNABIS_HERB",
    "Aseguramientode_semillademarihuana": "CANNABIS_SEED",
}


def raw_rows(directory: Path) -> list[dict[str, str]]:
    """The data rows of every MUCD file, read by hand: Latin-1, two lines before the header."""
    rows = []
    for path in sorted(directory.glob("*.csv")):
        lines = path.read_bytes().decode("latin-1").splitlines()
        assert lines[:2] == ["DataDASAACSV", ""]
        for row in csv.DictReader(lines[2:]):
            rows.append(row)
    return rows


def expected_totals(rows: list[dict[str, str]]) -> dict[tuple[str, str, str], Decimal]:
    """(municipality, YYYY-MM, drug) → kilograms, by a plain loop."""
    totals: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for row in rows:
        month = f"{int(row['Anio']):04d}-{int(row['Mes']):02d}"
        for column, drug in MEASURES.items():
            totals[(row["idMunicipio"], month, drug)] += Decimal(row[column])
    return totals


def check_against_raw(database: Database, rows: list[dict[str, str]]) -> None:
    expected = expected_totals(rows)
    with database.reader() as session:
        result = aggregate(session, ["municipality", "month", "drug"])
    got = {
        (r["municipality"], r["month"], r["drug"]): r
        for r in result.rows()
        if r["drug"] in MEASURES.values()
    }
    assert set(got) == set(expected)
    for key, kg in expected.items():
        assert got[key]["amount_kg"] == pytest.approx(float(kg)), key
        assert got[key]["records"] == 1  # a municipality appears at most once a month
        assert got[key]["seizures"] is None  # not reported: not 0, not 1
        assert got[key]["count_not_reported"] == 1
    # per month and per municipality, marijuana only
    by_month: dict[str, Decimal] = defaultdict(Decimal)
    by_municipality: dict[str, Decimal] = defaultdict(Decimal)
    for (municipality, month, drug), kg in expected.items():
        if drug == "CANNABIS_HERB":
            by_month[month] += kg
            by_municipality[municipality] += kg
    with database.reader() as session:
        months = aggregate(session, ["month"], {"drug": {"CANNABIS_HERB"}}).rows()
        places = aggregate(session, ["municipality"], {"drug": {"CANNABIS_HERB"}}).rows()
    assert {r["month"]: r["amount_kg"] for r in months} == pytest.approx(
        {m: float(v) for m, v in by_month.items()}
    )
    assert {r["municipality"]: r["amount_kg"] for r in places} == pytest.approx(
        {m: float(v) for m, v in by_municipality.items()}
    )
    # eradication is not a seizure: no measure of it reaches the totals
    assert sum(r["amount_kg"] for r in months) == pytest.approx(float(sum(by_month.values())))


def test_small_copies_are_the_published_bytes() -> None:
    provenance = (DATA / "mx" / "PROVENANCE.md").read_text("utf-8")
    import hashlib

    for path in MUCD.glob("*.csv"):
        assert hashlib.sha256(path.read_bytes()).hexdigest() in provenance, path.name


def test_mucd_copies_import_exactly_as_published(mx_db: Database) -> None:
    outcomes = import_mucd(mx_db, MUCD, actor=NodeSelf("test"))
    rows = raw_rows(MUCD)
    for name, outcome in outcomes.items():
        report = outcome.report
        assert report.quarantined == 0, (name, [i.message for i in report.issues])
        assert report.issues == [], name
    assert sum(o.report.rows for o in outcomes.values()) == len(rows) == 64 + 75 + 49
    check_against_raw(mx_db, rows)


def test_december_2018_stays_in_december_2018(mx_db: Database) -> None:
    """Calendar year and month, not the US fiscal year (which moved it to 2017-12)."""
    import_file(mx_db, MUCD / "MUCD_DataDASAACSV-0.csv", "mx-mucd", actor=NodeSelf("test"))
    with mx_db.reader() as session:
        months = set(session.scalars(select(AggregateRow.period_month)))
    assert months == {date(2018, 12, 1)}


def test_marijuana_and_seed_stay_separate_and_eradication_is_not_a_seizure(
    mx_db: Database,
) -> None:
    import_file(mx_db, MUCD / "MUCD_DataDASAACSV-0.csv", "mx-mucd", actor=NodeSelf("test"))
    with mx_db.reader() as session:
        drugs = set(session.scalars(select(AggregateRow.drug_code)))
        batch = session.scalars(select(ImportBatch)).one()
    assert drugs == {"CANNABIS_HERB", "CANNABIS_SEED"}
    # Batopilas (08008) had eradication only that month: it is there, with zero seized
    with mx_db.reader() as session:
        rows = aggregate(session, ["municipality", "drug"], {"municipality": {"08008"}}).rows()
    assert {r["drug"]: r["amount_kg"] for r in rows} == {"CANNABIS_HERB": 0.0, "CANNABIS_SEED": 0.0}
    assert "MUCD" in (batch.provenance or "")


def test_tijuana_and_juarez_are_on_the_border_and_in_their_corridors(
    mx_db: Database,
) -> None:
    import_mucd(mx_db, MUCD, actor=NodeSelf("test"))
    with mx_db.reader() as session:
        rows = aggregate(
            session,
            ["municipality", "region", "border_zone", "corridor"],
            {"municipality": {"02004", "08037"}},
        ).rows()
    found = {(r["municipality"], r["region"], r["border_zone"], r["corridor"]) for r in rows}
    assert found == {
        ("02004", "MX_NORTHERN_BORDER", "BORDER_MUNICIPALITY", "SAN_DIEGO_FIELD_OFFICE"),
        ("08037", "MX_NORTHERN_BORDER", "BORDER_MUNICIPALITY", "EL_PASO_FIELD_OFFICE"),
    }
    labels = {
        r["municipality"]: (r["municipality_label_en"], r["municipality_label_es"]) for r in rows
    }
    assert labels["08037"] == ("Juárez, Chihuahua", "Juárez, Chihuahua")


def test_aggregate_by_municipality_month_as_json(mx_db: Database) -> None:
    import_mucd(mx_db, MUCD, actor=NodeSelf("test"))
    with mx_db.reader() as session:
        body = json.loads(
            aggregate(session, ["municipality", "month"], {"drug": {"CANNABIS_HERB"}}).as_json()
        )
    assert {"records", "count_not_reported"} <= set(body["measures"])
    expected = expected_totals(raw_rows(MUCD))
    got = {(r["municipality"], r["month"]): r for r in body["rows"]}
    herb = {(m, month): kg for (m, month, d), kg in expected.items() if d == "CANNABIS_HERB"}
    assert set(got) == set(herb)
    assert all(r["seizures"] is None and r["records"] == 1 for r in body["rows"])


@pytest.mark.skipif(not SHARED_MUCD.is_dir(), reason="shared/data/mx/mucd is not present")
def test_all_thirteen_published_files_match_a_plain_loop(mx_db: Database) -> None:
    outcomes = import_mucd(mx_db, SHARED_MUCD, actor=NodeSelf("test"))
    assert len(outcomes) == 13
    rows = raw_rows(SHARED_MUCD)
    assert len(rows) == 996
    for name, outcome in outcomes.items():
        assert outcome.report.quarantined == 0, name
        assert outcome.report.issues == [], name
    check_against_raw(mx_db, rows)
    # no municipality twice in a month
    keys = [(r["idMunicipio"], r["Anio"], r["Mes"]) for r in rows]
    assert len(keys) == len(set(keys))


def test_reimport_changes_nothing(mx_db: Database) -> None:
    import_mucd(mx_db, MUCD, actor=NodeSelf("test"))
    again = import_mucd(mx_db, MUCD, actor=NodeSelf("test"))
    assert all(o.report.loaded == 0 and o.batch_id is None for o in again.values())


def test_provenance_is_stored_with_the_import_and_shown_by_source(mx_db: Database) -> None:
    import_file(mx_db, MUCD / "MUCD_DataDASAACSV.csv", "mx-mucd", actor=NodeSelf("test"))
    path = MUCD / "MUCD_DataDASAACSV-11.csv"
    import_file(
        mx_db, path, "mx-mucd", provenance="GENERATED SAMPLE (test)", actor=NodeSelf("test")
    )
    with mx_db.reader() as session:
        shown = provenance_by_source(session)
    assert shown["MX-MUCD-DASAA"][0] == load_profile("mx-mucd").provenance
    assert shown["MX-MUCD-DASAA"][1] == "GENERATED SAMPLE (test)"


# -- profile features, each on a small fixture ------------------------------------------------


def write_profile(tmp_path: Path, **changes: object) -> Path:
    data = json.loads((REPO / "src/alianza/seizures/profiles/mx-mucd.json").read_text("utf-8"))
    data.update(changes)
    for key in [k for k, v in changes.items() if v is None]:
        del data[key]
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


@pytest.mark.parametrize(
    ("key", "closest"),
    [("enconding", "encoding"), ("skiprows", "skip_rows"), ("unpivott", "unpivot")],
)
def test_misspelled_profile_key_is_an_error_naming_the_closest(
    tmp_path: Path, key: str, closest: str
) -> None:
    path = write_profile(tmp_path, **{key: 1})
    with pytest.raises(BadProfile, match=f"unknown key '{key}'; did you mean '{closest}'"):
        load_profile(path)


def test_nested_profile_keys_are_checked(tmp_path: Path) -> None:
    path = write_profile(
        tmp_path, unpivot={"Aseguramientode_marihuana": {"drug": "CANNABIS_HERB", "units": "KG"}}
    )
    with pytest.raises(BadProfile, match="unknown key 'units'; did you mean 'unit'"):
        load_profile(path)


def test_profile_check_rejects_unknown_codes(tmp_path: Path) -> None:
    path = write_profile(
        tmp_path, unpivot={"Aseguramientode_marihuana": {"drug": "MARIJUANA_X", "unit": "KG"}}
    )
    with pytest.raises(BadProfile, match="'MARIJUANA_X' is not a drug code"):
        check_profile(path)
    assert check_profile("mx-mucd").name == "mx-mucd"


def test_a_profile_refusal_is_said_in_spanish(tmp_path: Path) -> None:
    from alianza.catalogue import in_language, message_of

    path = write_profile(
        tmp_path, unpivot={"Aseguramientode_marihuana": {"drug": "CANNABIS_HERB", "units": "KG"}}
    )
    with pytest.raises(BadProfile) as refused:
        load_profile(path)
    name = path.name
    assert in_language(message_of(refused.value), "es").startswith(f"{name}: perfil '")
    assert in_language(message_of(refused.value), "es").endswith(
        ", unpivot 'Aseguramientode_marihuana': clave desconocida 'units'; ¿quiso decir 'unit'?"
    )
    path = write_profile(
        tmp_path, unpivot={"Aseguramientode_marihuana": {"drug": "MARIJUANA_X", "unit": "KG"}}
    )
    with pytest.raises(BadProfile) as refused:
        check_profile(path)
    spanish = in_language(message_of(refused.value), "es")
    assert "unpivot 'Aseguramientode_marihuana': 'MARIJUANA_X' no es un código de drug" in spanish
    with pytest.raises(UnknownProfile) as unknown:
        load_profile("nope")
    assert in_language(message_of(unknown.value), "es").startswith(
        "no existe el perfil 'nope'; incluidos: "
    )


def test_latin1_file_with_utf8_profile_names_row_and_column(
    mx_db: Database, tmp_path: Path
) -> None:
    profile = write_profile(tmp_path, encoding="utf-8")
    outcome = import_file(mx_db, MUCD / "MUCD_DataDASAACSV-0.csv", profile, actor=NodeSelf("test"))
    issue = outcome.report.issues[0]
    # "Mulegé" on line 5 of the file (title, blank line, header, Ensenada, Mulegé)
    assert (issue.code, issue.row, issue.field) == ("bad-encoding", 5, "nombreMunicipio")
    assert "0xE9" in issue.message
    assert "latin-1" in issue.message
    assert "fila 5" in issue.message_es
    assert "position" not in issue.message
    assert outcome.batch_id is None


def test_encoding_auto_detects_latin1(mx_db: Database, tmp_path: Path) -> None:
    profile = write_profile(tmp_path, encoding="auto")
    outcome = import_file(mx_db, MUCD / "MUCD_DataDASAACSV-0.csv", profile, actor=NodeSelf("test"))
    assert outcome.report.quarantined == 0
    assert outcome.report.details["encoding"] in ("cp1252 (detected)", "latin-1 (detected)")


def test_without_skip_rows_the_title_is_taken_for_the_header(
    mx_db: Database, tmp_path: Path
) -> None:
    profile = write_profile(tmp_path, skip_rows=None)
    outcome = import_file(mx_db, MUCD / "MUCD_DataDASAACSV-0.csv", profile, actor=NodeSelf("test"))
    assert "missing-column" in {i.code for i in outcome.report.issues}


def test_trailing_empty_column_not_declared_is_refused(mx_db: Database, tmp_path: Path) -> None:
    """Without ``trailing_empty_columns: ignore`` the empty tenth cell is kept as an unnamed
    column; declared, it is dropped and nothing is reported."""
    path = tmp_path / "extra.csv"
    text = (MUCD / "MUCD_DataDASAACSV-0.csv").read_bytes().decode("latin-1")
    path.write_bytes(text.replace('"1","1",', '"1","1","x"', 1).encode("latin-1"))
    outcome = import_file(mx_db, path, "mx-mucd", actor=NodeSelf("test"))
    assert [(i.code, i.row) for i in outcome.report.issues] == [("extra-cells", 4)]
    assert outcome.report.quarantined == 1  # the wide row once, not once per measure


def test_row_filters_leave_rows_out_and_say_so(mx_db: Database, tmp_path: Path) -> None:
    profile = write_profile(tmp_path, filters=[{"column": "CodEntidad", "in": ["BCN", "CHH"]}])
    outcome = import_file(mx_db, MUCD / "MUCD_DataDASAACSV-0.csv", profile, actor=NodeSelf("test"))
    rows = raw_rows(MUCD)
    wanted = [r for r in rows if r["Anio"] == "2018" and r["CodEntidad"] in ("BCN", "CHH")]
    assert outcome.report.details["filtered"] == 64 - len(wanted)
    assert [i.code for i in outcome.report.issues] == ["rows-filtered"]
    with mx_db.reader() as session:
        states = set(session.scalars(select(AggregateRow.state)))
    assert states == {"02", "08"}


def test_value_map_conditional_on_another_field(mx_db: Database, tmp_path: Path) -> None:
    """A unit written ``Pieza`` means plants for marijuana and units otherwise."""
    path = tmp_path / "piezas.csv"
    canonical = load_profile("canonical")
    header = list(canonical.columns)
    base = {
        "source_system": "T",
        "reporting_country": "MX",
        "reporting_agency": "SEDENA",
        "event_date": "2024-01-05",
        "location_type": "HIGHWAY_INTERIOR",
        "record_status": "VALIDATED",
        "releasability": "BILATERAL",
        "quantity": "3",
        "unit": "Pieza",
    }
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, restval="")
        writer.writeheader()
        writer.writerow({**base, "source_record_id": "1", "drug": "Marihuana"})
    data = json.loads((REPO / "src/alianza/seizures/profiles/canonical.json").read_text("utf-8"))
    data["values_when"] = [
        {"field": "unit", "if_column": "drug", "in": ["Marihuana"], "map": {"Pieza": "PLANT"}}
    ]
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps(data), "utf-8")
    outcome = import_file(mx_db, path, profile, actor=NodeSelf("test"))
    assert outcome.report.quarantined == 0, [i.message for i in outcome.report.issues]
    from alianza.seizures.models import DrugItem

    with mx_db.reader() as session:
        assert set(session.scalars(select(DrugItem.unit))) == {"PLANT"}


def canonical_file(path: Path, quantity: str) -> Path:
    header = list(load_profile("canonical").columns)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, restval="")
        writer.writeheader()
        writer.writerow(
            {
                "source_system": "T",
                "source_record_id": "1",
                "reporting_country": "MX",
                "reporting_agency": "SEDENA",
                "event_date": "2024-01-05",
                "location_type": "HIGHWAY_INTERIOR",
                "record_status": "VALIDATED",
                "releasability": "BILATERAL",
                "drug": "COCAINE_HCL",
                "quantity": quantity,
                "unit": "KG",
            }
        )
    return path


def test_decimal_comma_not_declared_is_not_read_as_thousands(
    mx_db: Database, tmp_path: Path
) -> None:
    """``2,5`` used to load as 25 kg with no warning."""
    outcome = import_file(
        mx_db, canonical_file(tmp_path / "q.csv", "2,5"), "canonical", actor=NodeSelf("test")
    )
    assert [(i.code, i.row, i.field) for i in outcome.report.issues] == [
        ("decimal-comma-undeclared", 2, "quantity")
    ]
    assert outcome.report.loaded == 0
    ok = import_file(
        mx_db, canonical_file(tmp_path / "t.csv", "1,250"), "canonical", actor=NodeSelf("test")
    )
    assert ok.report.loaded == 1  # a thousands separator stays one


def test_decimal_comma_declared_warns_on_ambiguous_point(mx_db: Database, tmp_path: Path) -> None:
    data = json.loads((REPO / "src/alianza/seizures/profiles/canonical.json").read_text("utf-8"))
    data["decimal_comma"] = True
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps(data), "utf-8")
    outcome = import_file(
        mx_db, canonical_file(tmp_path / "q.csv", "1.250"), profile, actor=NodeSelf("test")
    )
    assert [(i.code, i.severity.value) for i in outcome.report.issues] == [
        ("ambiguous-decimal", "warning")
    ]
    assert "1250" in outcome.report.issues[0].message
    assert outcome.report.loaded == 1


def test_profile_check_command(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from alianza.cli import cli

    runner = CliRunner()
    good = runner.invoke(cli, ["seizures", "profile", "check", "mx-mucd"])
    assert good.exit_code == 0, good.output
    assert "OK: profile 'mx-mucd'" in good.output
    bad = runner.invoke(
        cli, ["seizures", "profile", "check", str(write_profile(tmp_path, skip_row=2))]
    )
    assert bad.exit_code == 1
    assert "unknown key 'skip_row'; did you mean 'skip_rows'?" in bad.output


@pytest.mark.parametrize(
    ("calendar", "cells", "expected"),
    [
        ({"year": "Y", "month": "M", "day": "D"}, {"Y": "2024", "M": "1", "D": "5"}, "2024-01-05"),
        ({"year": "Y", "month": "M"}, {"Y": "2018", "M": "12"}, "2018-12-01"),
    ],
)
def test_calendar_columns_make_the_event_date(
    mx_db: Database,
    tmp_path: Path,
    calendar: dict[str, str],
    cells: dict[str, str],
    expected: str,
) -> None:
    from alianza.seizures.models import Event

    data = json.loads((REPO / "src/alianza/seizures/profiles/canonical.json").read_text("utf-8"))
    del data["columns"]["event_date"]
    data["calendar"] = calendar
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps(data), "utf-8")
    source = canonical_file(tmp_path / "q.csv", "3")
    rows = list(csv.DictReader(source.read_text("utf-8").splitlines()))
    with source.open("w", encoding="utf-8", newline="") as handle:
        header = [h for h in rows[0] if h != "event_date"] + list(cells)
        writer = csv.DictWriter(handle, header, extrasaction="ignore")
        writer.writeheader()
        writer.writerow({**rows[0], **cells})
    outcome = import_file(mx_db, source, profile, actor=NodeSelf("test"))
    assert outcome.report.issues == [], [i.message for i in outcome.report.issues]
    with mx_db.reader() as session:
        event = session.scalars(select(Event)).one()
    assert event.event_date.isoformat() == expected
    assert event.date_precision == ("day" if "day" in calendar else "month")


def test_municipality_code_and_name_are_checked_against_inegi(
    mx_db: Database, tmp_path: Path
) -> None:
    text = (MUCD / "MUCD_DataDASAACSV-0.csv").read_bytes().decode("latin-1")
    text = text.replace('"Ensenada","02001"', '"Ensenada","02099"', 1)  # no such code
    text = text.replace('"Los Cabos","03008"', '"Los Cabo","03008"', 1)  # not its name
    text = text.replace('"Juárez","08037"', '"CD. JUAREZ","08037"', 1)  # a synonym: fine
    path = tmp_path / "MUCD_DataDASAACSV-0.csv"
    path.write_bytes(text.encode("latin-1"))
    outcome = import_file(mx_db, path, "mx-mucd", actor=NodeSelf("test"))
    found = [(i.code, i.row, i.field) for i in outcome.report.issues]
    assert found == [
        ("unknown-place", 4, "municipality"),
        ("place-name-mismatch", 6, "municipality_name"),
    ]
    assert outcome.report.quarantined == 2
    assert "03008" in outcome.report.issues[1].message
    assert "Los Cabos" in outcome.report.issues[1].message_es
