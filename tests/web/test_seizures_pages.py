"""Seizure pages and API: upload and report, downloads, quarantine, releasability between
the two countries, map, error shapes. Expected figures are computed here from the rows the
tests write or from the raw CBP file with a plain csv loop, not through Alianza."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from alianza.actors import NodeSelf
from alianza.codes import code_list
from alianza.db import Database
from alianza.seizures.service import import_file
from alianza.seizures.template import template_columns
from tests.conftest import DATA
from tests.web.conftest import csrf_of, log_in

CBP_FILE = DATA / "seizures" / "cbp" / "nationwide-drugs-fy23-fy26-dec.csv"
PORTS_FILE = DATA / "seizures" / "geo" / "us_mexico_land_ports_with_mexican_twin_cities.csv"
# (row to break, field, bad value); row numbers as the report gives them (header = row 1)
BREAKS = [(3, "Drug Type", "Marijuanna"), (7, "Month (abbv)", "13"), (12, "Count of Event", "x")]


def broken_cbp_sample(folder: Path, rows: int = 30) -> tuple[Path, int]:
    """The first ``rows`` data rows of a real CBP file with three values broken."""
    with CBP_FILE.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        data = [row for _n, row in zip(range(rows), reader, strict=False)]
    for number, column, value in BREAKS:
        data[number - 2][column] = value
    path = folder / "cbp-sample-broken.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(data)
    return path, len(data)


# Events of both countries, one drug each so that each is recognisable in the figures.
EVENTS = [
    # (id, country, agency, port, releasability, drug, kg)
    ("US-N", "US", "CBP-OFO", "2504", "NATIONAL_ONLY", "HEROIN", "2"),
    ("US-B", "US", "CBP-OFO", "2506", "BILATERAL", "FENTANYL", "1.5"),
    ("MX-N", "MX", "FGR", "2304", "NATIONAL_ONLY", "COCAINE_HCL", "3"),
    ("MX-B", "MX", "ANAM", "2402", "BILATERAL", "METHAMPHETAMINE", "5"),
]
BAD_EVENTS = [  # quarantined: a drug no code list knows
    ("MX-NX", "MX", "FGR", "2304", "NATIONAL_ONLY", "Unobtanio", "1"),
    ("MX-BX", "MX", "ANAM", "2402", "BILATERAL", "Unobtanio", "1"),
]


def write_events(path: Path, events: list[tuple[str, ...]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=template_columns())
        writer.writeheader()
        for ident, country, agency, port, releasability, drug, kg in events:
            writer.writerow(
                {
                    "source_system": "TEST-TWO-COUNTRIES",
                    "source_record_id": ident,
                    "reporting_country": country,
                    "reporting_agency": agency,
                    "event_date": "2024-05-02",
                    "location_type": "POE_LAND_VEHICLE",
                    "port_code": port,
                    "direction": "NORTHBOUND",
                    "transport_mode": "ROAD",
                    "conveyance": "POV",
                    "concealment": "SPARE_TIRE",
                    "detection": "CANINE",
                    "record_status": "VALIDATED",
                    "releasability": releasability,
                    "drug": drug,
                    "form": "POWDER",
                    "quantity": kg,
                    "unit": "KG",
                }
            )
    return path


@pytest.fixture
def two_countries(web_db: Database, tmp_path: Path) -> Database:
    """A database holding both countries' records, as an old demo node did (each country's
    rows written as its own node would): the views' releasability rule still holds there."""
    for country in ("US", "MX"):
        node = Database(web_db.url, country=country)
        rows = [e for e in EVENTS + BAD_EVENTS if e[1] == country]
        outcome = import_file(
            node,
            write_events(tmp_path / f"{country}.csv", rows),
            "canonical",
            actor=NodeSelf("test"),
        )
        assert outcome.report.quarantined == len([e for e in BAD_EVENTS if e[1] == country])
        node.dispose()
    return web_db


def visible(country: str) -> list[tuple[str, ...]]:
    return [e for e in EVENTS if e[1] == country or e[4] != "NATIONAL_ONLY"]


@pytest.mark.parametrize(("username", "country"), [("analyst", "US"), ("oficial", "MX")])
def test_aggregate_api_hides_other_countrys_national_records(
    request: pytest.FixtureRequest, two_countries: Database, username: str, country: str
) -> None:
    client = request.getfixturevalue("mx_client" if country == "MX" else "client")
    log_in(client, username)
    response = client.get(
        "/api/v1/seizures/aggregate",
        params={"by": "drug", "where": "source=TEST-TWO-COUNTRIES"},
    )
    assert response.status_code == 200, response.text
    rows = {r["drug"]: r for r in response.json()["rows"]}
    expected = {e[5]: float(e[6]) for e in visible(country)}
    assert set(rows) == set(expected)
    for drug, kg in expected.items():
        assert rows[drug]["seizures"] == 1
        assert rows[drug]["amount_kg"] == pytest.approx(kg)


@pytest.mark.parametrize(("username", "country"), [("analyst", "US"), ("oficial", "MX")])
def test_overview_map_and_quarantine_respect_releasability(
    request: pytest.FixtureRequest, two_countries: Database, username: str, country: str
) -> None:
    client = request.getfixturevalue("mx_client" if country == "MX" else "client")
    log_in(client, username)
    hidden = [e for e in EVENTS if e not in visible(country)]
    assert len(hidden) == 1
    with PORTS_FILE.open(encoding="utf-8", newline="") as handle:
        # each node names a crossing from its own side (issue 23): Tijuana, not San Ysidro
        side = "mexican_city" if country == "MX" else "port_name"
        port_names = {row["port_code"]: row[side] for row in csv.DictReader(handle)}
    overview = client.get("/seizures", params={"by": "drug"})
    assert overview.status_code == 200
    table = overview.text.split('id="overview-table"')[1]
    drugs = code_list("drug")
    for event in EVENTS:
        language = "es" if country == "MX" else "en"  # the users' own language
        assert (drugs[event[5]].label(language) in table) == (event in visible(country))
    # the map's table lists the ports of the visible events, not the hidden one's
    page = client.get("/seizures/map").text
    table = page.split('id="map-table"')[1]
    for event in visible(country):
        assert f"{port_names[event[3]]} ({event[3]})" in table
    assert f"({hidden[0][3]})" not in table
    # the quarantine: the other country's national-only bad row is not listed
    quarantine = client.get("/api/v1/seizures/quarantine").json()
    ids = {row["raw"]["source_record_id"] for row in quarantine["rows"]}
    expected = {e[0] for e in BAD_EVENTS if e[1] == country or e[4] != "NATIONAL_ONLY"}
    assert ids == expected
    assert quarantine["total"] == len(expected)
    page = client.get("/seizures/quarantine").text
    for ident in ("MX-NX", "MX-BX"):
        assert (ident in page) == (ident in expected)


def test_upload_report_downloads_and_spanish(client: TestClient, tmp_path: Path) -> None:
    path, rows = broken_cbp_sample(tmp_path)
    log_in(client, "analyst")
    csrf = csrf_of(client, "/seizures/import")
    response = client.post(
        "/seizures/import",
        files={"file": (path.name, path.read_bytes(), "text/csv")},
        data={"csrf_token": csrf, "profile": "cbp-nationwide"},
    )
    assert response.status_code == 303
    location = response.headers["location"]
    assert re.fullmatch(r"/seizures/imports/\d+", location)
    page = client.get(location)
    assert page.status_code == 200
    assert f'id="stat-rows">{rows}<' in page.text
    assert f'id="stat-loaded">{rows - len(BREAKS)}<' in page.text
    assert f'id="stat-quarantined">{len(BREAKS)}<' in page.text
    issues = page.text.split('id="issues"')[1]
    for number, column, value in BREAKS:
        assert f">{number}</td>" in issues
        assert column in issues or value in issues
    # JSON in the CLI's --report-json shape
    report = client.get(f"{location}/report.json").json()
    assert set(report) == {"stats", "errors"}
    assert report["stats"]["rows"] == rows
    assert report["stats"]["quarantined"] == len(BREAKS)
    assert report["stats"]["loaded"] == rows - len(BREAKS)
    assert {e["row"] for e in report["errors"] if e["severity"] == "error"} == {
        n for n, _c, _v in BREAKS
    }
    for error in report["errors"]:
        assert {"row", "field", "code", "message"} <= set(error)
    # CSV: one line per issue
    text = client.get(f"{location}/report.csv").text
    lines = list(csv.DictReader(io.StringIO(text)))
    assert [(r["row"], r["code"]) for r in lines] == [
        (str(e["row"]), e["code"]) for e in report["errors"]
    ]
    # the messages in Spanish after the switch
    client.get("/lang/es?next=/seizures")
    spanish = client.get(location).text
    assert 'lang="es"' in spanish
    for error in report["errors"]:
        assert error["message_es"] in spanish.replace("&#39;", "'").replace("&#34;", '"')
    assert "Informe de validación" in spanish
    # kept among recent imports, and its rows in quarantine
    assert path.name in client.get("/seizures/imports").text
    quarantine = client.get("/api/v1/seizures/quarantine", params={"source": path.name}).json()
    assert sorted(r["row"] for r in quarantine["rows"]) == [n for n, _c, _v in BREAKS]


def test_api_import_status_codes(client: TestClient, tmp_path: Path) -> None:
    path, rows = broken_cbp_sample(tmp_path)
    log_in(client, "analyst")
    csrf = csrf_of(client, "/seizures/import")
    headers = {"X-CSRF-Token": csrf}
    ok = client.post(
        "/api/v1/seizures/imports",
        files={"file": (path.name, path.read_bytes())},
        data={"profile": "cbp-nationwide"},
        headers=headers,
    )
    assert ok.status_code == 200, ok.text
    body = ok.json()
    assert body["stats"]["rows"] == rows
    assert body["stats"]["quarantined"] == len(BREAKS)
    assert body["url"] == f"/seizures/imports/{body['id']}"
    # a file where every row is bad: nothing loaded, the single error shape with the errors
    bad = (DATA / "seizures" / "unknown-drug.csv").read_bytes()
    header, *lines = bad.decode("utf-8").splitlines()
    only_bad = "\n".join([header] + [lines[i - 2] for i in (3, 5)]) + "\n"
    refused = client.post(
        "/api/v1/seizures/imports",
        files={"file": ("all-bad.csv", only_bad.encode())},
        data={"profile": "cbp-nationwide"},
        headers=headers,
    )
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "import-rejected"
    assert {d["row"] for d in error["details"]} == {2, 3}
    unknown = client.post(
        "/api/v1/seizures/imports",
        files={"file": ("x.csv", b"a\n1\n")},
        data={"profile": "no-such-profile"},
        headers=headers,
    )
    assert unknown.status_code == 400
    assert unknown.json()["error"]["code"] == "unknown-profile"
    dimension = client.get("/api/v1/seizures/aggregate", params={"by": "colour"})
    assert dimension.status_code == 422
    assert dimension.json()["error"]["code"] == "unknown-dimension"
    scoped = client.get(
        "/api/v1/seizures/aggregate",
        params={"by": "drug", "scope": "southwest-border-cbp-public", "unit": "lb"},
    )
    assert scoped.status_code == 200, scoped.text
    assert scoped.json()["scope"]["name"] == "southwest-border-cbp-public"
    assert "amount_lb" in scoped.json()["measures"]
    nowhere = client.get("/api/v1/seizures/aggregate", params={"by": "drug", "scope": "moon"})
    assert nowhere.status_code == 422
    assert nowhere.json()["error"]["code"] == "unknown-scope"


def test_viewer_cannot_import_and_reports_stay_in_their_country(
    client: TestClient, mx_client: TestClient, tmp_path: Path
) -> None:
    path, _rows = broken_cbp_sample(tmp_path)
    log_in(client, "viewer")
    csrf = csrf_of(client, "/seizures")
    for url in ("/seizures/import", "/api/v1/seizures/imports"):
        refused = client.post(
            url,
            files={"file": (path.name, path.read_bytes())},
            data={"profile": "cbp-nationwide", "csrf_token": csrf},
            headers={"X-CSRF-Token": csrf},
        )
        assert refused.status_code == 403
    assert client.get("/seizures/import").status_code == 403
    assert '/seizures/import"' not in client.get("/seizures").text  # no link to it
    client.post("/logout", data={"csrf_token": csrf})
    log_in(client, "analyst")
    csrf = csrf_of(client, "/seizures/import")
    location = client.post(
        "/seizures/import",
        files={"file": (path.name, path.read_bytes())},
        data={"profile": "cbp-nationwide", "csrf_token": csrf},
    ).headers["location"]
    log_in(mx_client, "oficial")  # Mexico, on the MX node
    assert mx_client.get(location).status_code == 404
    assert mx_client.get(f"{location}/report.json").status_code == 404
    assert path.name not in mx_client.get("/seizures/imports").text


def test_not_reported_is_not_zero_on_the_overview(client: TestClient, web_db: Database) -> None:
    """CBP's public files have no concealment: the overview says "not reported", not 0."""
    sample = CBP_FILE.read_text("utf-8-sig").splitlines()[:21]
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cbp.csv"
        path.write_text("\n".join(sample) + "\n", "utf-8")
        import_file(web_db, path, "cbp-nationwide", actor=NodeSelf("test"))
    events = sum(
        int(line["Count of Event"]) for line in csv.DictReader(io.StringIO("\n".join(sample)))
    )
    log_in(client, "viewer")
    page = client.get("/seizures", params={"by": "concealment"}).text
    table = page.split('id="overview-table"')[1]
    assert "Not reported" in table
    assert f">{events:,}</td>" in table
    data = json.loads(client.get("/api/v1/seizures/aggregate?by=concealment").text)
    assert [r["concealment"] for r in data["rows"]] == ["NOT_REPORTED"]
    assert data["rows"][0]["seizures"] == events


FORMULAS = ("=cmd|' /C calc'!A0", "@SUM(1+1)")


def test_report_csv_neutralises_formula_values(client: TestClient, tmp_path: Path) -> None:
    """Issue 15: the raw values quoted in report.csv came out as live formulas."""
    header = (
        "FY,Month (abbv),Component,Region,Land Filter,Area of Responsibility,"
        "Drug Type,Count of Event,Sum Qty (lbs)\n"
    )
    rows = "".join(
        f"2024,JAN,Office of Field Operations,Southwest Border,Land Only,"
        f'SAN DIEGO FIELD OFFICE,"{formula}",3,40.5\n'
        for formula in FORMULAS
    )
    log_in(client, "analyst")
    response = client.post(
        "/seizures/import",
        files={"file": ("formulas.csv", (header + rows).encode(), "text/csv")},
        data={"csrf_token": csrf_of(client, "/seizures/import"), "profile": "cbp-nationwide"},
    )
    assert response.status_code == 303
    text = client.get(f"{response.headers['location']}/report.csv").text
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    quoted = [cell for cell in cells if cell.lstrip("'") in FORMULAS]
    assert sorted(quoted) == sorted(f"'{formula}" for formula in FORMULAS)
    assert not [cell for cell in cells if cell[:1] in ("=", "@", "+", "\t", "\r")]


def test_overview_shows_where_the_figures_come_from(
    client: TestClient, web_db: Database, tmp_path: Path
) -> None:
    """Issue 16: each import's provenance was stored but not shown. The overview names the
    sources of its figures (same filters), each with its provenance, files and profile, and
    marks a generated sample, in the reader's language."""
    from alianza.seizures.sample import PROVENANCE

    rows = [("US-B", "US", "CBP-OFO", "2506", "BILATERAL", "FENTANYL", "1.5")]
    real = write_events(tmp_path / "real.csv", rows)
    import_file(
        web_db,
        real,
        "canonical",
        provenance="Test agency, published extract v3",
        actor=NodeSelf("test"),
    )
    generated = tmp_path / "invented.csv"
    invented = [("US-G", "US", "CBP-OFO", "2504", "BILATERAL", "HEROIN", "7")]
    text = write_events(tmp_path / "g.csv", invented).read_text("utf-8")
    generated.write_text(text.replace("TEST-TWO-COUNTRIES", "TEST-GENERATED"), "utf-8")
    outcome = import_file(
        web_db, generated, "canonical", provenance=PROVENANCE, actor=NodeSelf("test")
    )
    assert outcome.report.loaded == 1

    log_in(client, "analyst")
    page = client.get("/seizures").text
    shown = re.search(r'id="sources".*?</section>', page, re.S)
    assert shown, "no #sources"
    block = shown.group(0)
    assert "Test agency, published extract v3" in block
    assert PROVENANCE in block.replace("&#39;", "'")
    assert "real.csv" in block
    assert "invented.csv" in block
    assert "canonical" in block
    assert block.count("GENERATED SAMPLE — not real seizures") == 1
    assert "Test agency, published extract v3" in client.get("/seizures/map").text
    # filtered to another country's figures: neither source is named
    other = client.get("/seizures?country=MX").text
    assert "Test agency, published extract v3" not in other

    log_in(client, "coordinador")  # a Mexican user, in Spanish
    spanish = client.get("/seizures").text
    assert "De dónde vienen estas cifras" in spanish
    assert "MUESTRA GENERADA — no son aseguramientos reales" in spanish
