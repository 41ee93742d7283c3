"""Mexican places: INEGI codes, name matching, and Mexico's side of the border decided from
codes (every border municipality, a few interior ones), not from a string."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from alianza.actors import NodeSelf
from alianza.codes import mx_places
from alianza.codes.reference import ports
from alianza.db import Database
from alianza.seizures.aggregate import aggregate
from alianza.seizures.mucd import PACKAGED_MUCD
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
    "Coahuila de Zaragoza": [
        "Ocampo",
        "Acuña",
        "Jiménez",
        "Piedras Negras",
        "Nava",  # between Piedras Negras and Guerrero: see the chain test below
        "Guerrero",
        "Hidalgo",
    ],
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
    assert len(data) == 40


# Municipalities per state as INEGI publishes them (2,478 in all, San Luis Potosí's 59th, Villa
# de Pozos, created in 2024), typed here from those published figures, not from the data file
# nor from graphari (no copy of INEGI's table could be fetched here to check them against).
PER_STATE = {
    "01": 11, "02": 7, "03": 5, "04": 13, "05": 38, "06": 10, "07": 124, "08": 67,
    "09": 16, "10": 39, "11": 46, "12": 85, "13": 84, "14": 125, "15": 125, "16": 113,
    "17": 36, "18": 20, "19": 51, "20": 570, "21": 217, "22": 18, "23": 11, "24": 59,
    "25": 20, "26": 72, "27": 17, "28": 43, "29": 60, "30": 212, "31": 106, "32": 58,
}  # fmt: skip


def test_catalogue_has_every_municipality_of_each_state() -> None:
    """The catalogue held 319 of Mexico's municipalities (MUCD's and the border list)."""
    counts: dict[str, int] = {}
    for place in mx_places.municipalities().values():
        assert place.code[:2] == place.state
        counts[place.state] = counts.get(place.state, 0) + 1
    assert counts == PER_STATE
    assert sum(counts.values()) == 2478


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("03008", "Los Cabos"),  # graphari 1.1.0 numbers it 03004: corrected
        ("03009", "Loreto"),
        ("02007", "San Felipe"),  # created 2020-2021
        ("04013", "Dzitbalché"),
        ("24059", "Villa de Pozos"),
        ("07125", "Honduras de la Sierra"),
        ("09017", "Venustiano Carranza"),  # Mexico City's alcaldías are 09002-09017
        ("23008", "Playa del Carmen"),
    ],
)
def test_catalogue_codes_and_names(code: str, name: str) -> None:
    place = mx_places.municipality(code)
    assert place is not None
    assert place.name == name
    assert mx_places.municipality("03004") is None


def test_mucd_names_match_the_catalogue() -> None:
    """Every (code, name) MUCD publishes resolves to the catalogue: its name, or a former name
    kept as a synonym (``Solidaridad``, now ``Playa del Carmen``). A plain loop over all 13
    packaged files."""
    files = sorted(PACKAGED_MUCD.glob("*.csv"))
    assert len(files) == 13
    for path in files:
        lines = path.read_bytes().decode("latin-1").splitlines()[2:]
        for row in csv.DictReader(lines):
            place = mx_places.municipality(row["idMunicipio"])
            assert place is not None, row["idMunicipio"]
            assert mx_places.same_name(row["nombreMunicipio"], place), row
            by_name = mx_places.municipality(row["nombreMunicipio"], place.state)
            assert by_name == place, row
            assert mx_places.states()[place.state].iso == row["CodEntidad"]


def _adjacency() -> dict[str, set[str]]:
    """Which municipalities of the six border states share a boundary (tests/data/mx/
    border_states_adjacency.csv, from INEGI's municipal layer as graphari ships it)."""
    neighbours: dict[str, set[str]] = {}
    with (DATA / "mx" / "border_states_adjacency.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            neighbours.setdefault(row["a"], set()).add(row["b"])
            neighbours.setdefault(row["b"], set()).add(row["a"])
    return neighbours


def test_border_municipalities_form_one_chain_along_the_boundary() -> None:
    """The municipalities that touch the boundary follow one another from Tijuana to
    Matamoros: each shares a boundary with the next, so the set is connected in the
    municipal adjacency graph. Without Nava, Piedras Negras and Guerrero (Coahuila) do
    not meet, and the border list broke in two."""
    neighbours = _adjacency()
    border = {m.code for m in mx_places.municipalities().values() if m.border}
    reached, frontier = {"02004"}, ["02004"]  # Tijuana
    while frontier:
        for other in neighbours[frontier.pop()] & border:
            if other not in reached:
                reached.add(other)
                frontier.append(other)
    assert reached == border
    assert "28022" in reached  # Matamoros


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
    outcome = import_file(
        mx_db, events_file(tmp_path / "e.csv", places), "canonical", actor=NodeSelf("test")
    )
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
    assert common[0]["seizures"] == 40 + 2  # all border municipalities, Ensenada, Hermosillo


def test_unknown_place_in_an_event_is_reported_not_mangled(mx_db: Database, tmp_path: Path) -> None:
    path = events_file(tmp_path / "e.csv", [("Sonora", "Cabroca")])
    outcome = import_file(mx_db, path, "canonical", actor=NodeSelf("test"))
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
    rows = import_file(mx_db, path, "canonical", engine="rows", actor=NodeSelf("test"))
    path2 = events_file(tmp_path / "f.csv", [("Sonora", "Cabroca"), ("Sonora", "Caborca")])
    text = path2.read_text("utf-8").replace("MX-TEST", "MX-TEST2")
    path2.write_text(text, "utf-8")
    auto = import_file(mx_db, path2, "canonical", actor=NodeSelf("test"))
    assert auto.engine == "columnar"
    assert [(i.code, i.row) for i in auto.report.issues] == [
        (i.code, i.row) for i in rows.report.issues
    ]
    assert [(i.code, i.row) for i in rows.report.issues] == [("place-not-in-catalogue", 2)]


def _unmangle(text: str) -> str:
    """SAT's names as that catalogue copy stores them: UTF-8 read once as Latin-1 in places
    (``ACUÃ\\x91A`` is ``ACUÑA``)."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def test_aduana_keys_are_sats() -> None:
    """The border aduanas' keys were typed from general knowledge; each is the key SAT's
    catalogue c_Aduana gives the same customs office (tests/data/mx/sat_c_aduana_north.csv)."""
    with (DATA / "mx" / "sat_c_aduana_north.csv").open(encoding="utf-8", newline="") as handle:
        sat = {row["aduana"]: _unmangle(row["name"]) for row in csv.DictReader(handle)}
    offices = mx_places.aduanas()
    assert set(offices) == set(sat)
    for code, office in offices.items():
        city = sat[code].split(",")[0]
        assert mx_places.fold(office.name.removeprefix("Aduana de ")) == mx_places.fold(city)
