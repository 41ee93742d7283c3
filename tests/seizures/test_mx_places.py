"""Mexican places: INEGI codes, name matching, and Mexico's side of the border decided from
codes (every border municipality, a few interior ones), not from a string."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from alianza.codes import mx_places
from alianza.codes.reference import ports
from alianza.db import Database
from alianza.seizures.aggregate import aggregate
from alianza.seizures.profile import load_profile
from alianza.seizures.service import import_file
from tests.conftest import DATA

# Municipalities whose territory touches the international boundary, typed here from the
# map (west to east), independently of the data file.
BORDER = {
    "Baja California": ["Tijuana", "Tecate", "Mexicali"],
    "Sonora": [
        "San Luis Río Colorado",
        "Puerto Peñasco",
        "General Plutarco Elías Calles",
        "Caborca",
        "Altar",
        "Sáric",
        "Nogales",
        "Santa Cruz",
        "Cananea",
        "Naco",
        "Agua Prieta",
    ],
    "Chihuahua": [
        "Janos",
        "Ascensión",
        "Juárez",
        "Praxedis G. Guerrero",
        "Guadalupe",
        "Coyame del Sotol",
        "Manuel Benavides",
        "Ojinaga",
    ],
    "Coahuila de Zaragoza": ["Ocampo", "Acuña", "Jiménez", "Piedras Negras", "Guerrero", "Hidalgo"],
    "Nuevo León": ["Anáhuac"],
    "Tamaulipas": [
        "Nuevo Laredo",
        "Guerrero",
        "Mier",
        "Miguel Alemán",
        "Camargo",
        "Gustavo Díaz Ordaz",
        "Reynosa",
        "Río Bravo",
        "Valle Hermoso",
        "Matamoros",
    ],
}
# (state, municipality, region, zone): border states off the line, and the interior
INTERIOR = [
    ("Baja California", "Ensenada", "MX_NORTHERN_BORDER", "BORDER_STATE"),
    ("Sonora", "Hermosillo", "MX_NORTHERN_BORDER", "BORDER_STATE"),
    ("Sinaloa", "Culiacán", "MX_INTERIOR", "INTERIOR"),
    ("Jalisco", "Guadalajara", "MX_INTERIOR", "INTERIOR"),
    ("Durango", "Pueblo Nuevo", "MX_INTERIOR", "INTERIOR"),
]


def test_border_list_is_the_data_files() -> None:
    typed = {
        (mx_places.state(state).code, name)  # type: ignore[union-attr]
        for state, names in BORDER.items()
        for name in names
    }
    data = {(m.state, m.name) for m in mx_places.municipalities().values() if m.border}
    assert data == typed
    assert len(data) == 39


def test_mucd_names_match_the_catalogue() -> None:
    """Every (code, name) MUCD publishes is the catalogue's (a plain loop over the copies)."""
    for path in (DATA / "mx" / "mucd").glob("*.csv"):
        lines = path.read_bytes().decode("latin-1").splitlines()[2:]
        for row in csv.DictReader(lines):
            place = mx_places.municipality(row["idMunicipio"])
            assert place is not None, row["idMunicipio"]
            assert place.name == row["nombreMunicipio"]
            assert mx_places.states()[place.state].iso == row["CodEntidad"]


@pytest.mark.parametrize("text", ["Juarez", "JUÁREZ", "Cd. Juárez", "ciudad juarez", "08037"])
def test_names_match_accent_and_case_insensitively(text: str) -> None:
    found = mx_places.municipality(text, "08")
    assert found is not None
    assert found.code == "08037"


def test_a_bare_name_is_not_guessed_across_states() -> None:
    assert mx_places.municipality("Guerrero") is None  # Coahuila's, Tamaulipas's, Chihuahua's


def test_unknown_name_is_an_error_with_a_suggestion() -> None:
    with pytest.raises(mx_places.UnknownPlace, match="did you mean 08037 Juárez"):
        mx_places.resolve("Chihuahua / Juares")
    with pytest.raises(mx_places.UnknownPlace, match="did you mean 26 Sonora"):
        mx_places.resolve("Sonorra / Caborca")


def test_every_port_faces_a_border_municipality() -> None:
    for port in ports().values():
        place = mx_places.port_municipality(port.mexican_city, port.mexican_state)
        assert place is not None, port.mexican_city
        assert place.border, (port.code, place.name)


def events_file(path: Path, places: list[tuple[str, str]]) -> Path:
    header = list(load_profile("canonical").columns)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, restval="")
        writer.writeheader()
        for number, (state, municipality) in enumerate(places, start=1):
            writer.writerow(
                {
                    "source_system": "MX-TEST",
                    "source_record_id": f"E{number}",
                    "reporting_country": "MX",
                    "reporting_agency": "GN",
                    "event_date": "2025-03-01",
                    "location_type": "HIGHWAY_INTERIOR",
                    "admin_area": f"{state} / {municipality}",
                    "record_status": "VALIDATED",
                    "releasability": "BILATERAL",
                    "drug": "COCAINE_HCL",
                    "quantity": "480",
                    "unit": "KG",
                }
            )
    return path


def test_region_from_codes_every_border_municipality(mx_db: Database, tmp_path: Path) -> None:
    """A row with its municipality filled used to fail the border-state test (``Sonora /
    Caborca`` is not ``Sonora``) and fall to MX_INTERIOR, out of the bilateral package."""
    places = [(s, m) for s, names in BORDER.items() for m in names]
    places += [(s, m) for s, m, _r, _z in INTERIOR]
    outcome = import_file(mx_db, events_file(tmp_path / "e.csv", places), "canonical")
    assert outcome.report.issues == []
    assert outcome.report.loaded == len(places)
    with mx_db.reader() as session:
        rows = aggregate(session, ["municipality", "region", "border_zone"]).rows()
    got = {r["municipality"]: (r["region"], r["border_zone"]) for r in rows}
    for state, names in BORDER.items():
        state_code = mx_places.state(state).code  # type: ignore[union-attr]
        for name in names:
            code = mx_places.municipality(name, state_code).code  # type: ignore[union-attr]
            assert got[code] == ("MX_NORTHERN_BORDER", "BORDER_MUNICIPALITY"), name
    for state, name, region, zone in INTERIOR:
        state_code = mx_places.state(state).code  # type: ignore[union-attr]
        code = mx_places.municipality(name, state_code).code  # type: ignore[union-attr]
        assert got[code] == (region, zone), name
    with mx_db.reader() as session:
        common = aggregate(session, ["country"], {"region": {"MX_NORTHERN_BORDER"}}).rows()
    assert common[0]["seizures"] == 39 + 2  # all border municipalities, Ensenada, Hermosillo


def test_unknown_place_in_an_event_is_reported_not_mangled(mx_db: Database, tmp_path: Path) -> None:
    path = events_file(tmp_path / "e.csv", [("Sonora", "Cabroca")])
    outcome = import_file(mx_db, path, "canonical")
    issue = outcome.report.issues[0]
    assert (issue.code, issue.severity.value) == ("place-not-in-catalogue", "warning")
    assert "26017 Caborca" in issue.message
    assert "26017 Caborca" in issue.message_es
    with mx_db.reader() as session:
        rows = aggregate(session, ["region", "municipality"]).rows()
    assert [(r["region"], r["municipality"]) for r in rows] == [
        ("MX_NORTHERN_BORDER", "NOT_REPORTED")
    ]


def test_border_aduanas_sit_in_border_municipalities_with_their_us_twins() -> None:
    offices = mx_places.aduanas()
    assert len(offices) == 19
    for office in offices.values():
        assert mx_places.municipalities()[office.municipality].border, office.name
    assert mx_places.aduana_twins("40") == ["2504", "2506", "2582"]  # Tijuana
    assert mx_places.aduana_twins("07") == ["2401", "2402", "2408"]  # Ciudad Juárez
    assert mx_places.aduana_twins("80") == []  # Colombia: its bridge is filed under Laredo


def test_columnar_and_row_paths_report_an_unknown_place_alike(
    mx_db: Database, tmp_path: Path
) -> None:
    path = events_file(tmp_path / "e.csv", [("Sonora", "Cabroca"), ("Sonora", "Caborca")])
    rows = import_file(mx_db, path, "canonical", engine="rows")
    path2 = events_file(tmp_path / "f.csv", [("Sonora", "Cabroca"), ("Sonora", "Caborca")])
    text = path2.read_text("utf-8").replace("MX-TEST", "MX-TEST2")
    path2.write_text(text, "utf-8")
    auto = import_file(mx_db, path2, "canonical")
    assert auto.engine == "columnar"
    assert [(i.code, i.row) for i in auto.report.issues] == [
        (i.code, i.row) for i in rows.report.issues
    ]
    assert [(i.code, i.row) for i in rows.report.issues] == [("place-not-in-catalogue", 2)]
