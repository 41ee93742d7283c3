"""Issue 16: Mexico's seizure data, faithfully, to the exchange package.

Each finding is reproduced from a small canonical file (``tests/data/exchange/
mx-2019-q2-findings.csv``: 676 kg of marijuana in Juárez, 15,000 fentanyl tablets without a
mass and 1.2 kg of fentanyl in San Luis Río Colorado, all in 2019-Q2) built into a package by
one node and received by the other, or from a hand-made package that a trusted partner signs.
Expected figures are the file's own numbers, not the code's.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from alianza.actors import NodeSelf
from alianza.exchange.models import Event, Observation, Package, Refusal
from alianza.exchange.package import PackageRefused, build_package
from alianza.exchange.sdmx import Observation as Obs
from alianza.exchange.service import build_quarter, partner_tables, receive
from alianza.seizures.service import import_file
from tests.conftest import DATA
from tests.exchange.conftest import COVERAGE, Node, sample_tables

FINDINGS = DATA / "exchange" / "mx-2019-q2-findings.csv"
QUARTER = "2019-Q2"


@pytest.fixture
def mx_package(mx_node: Node) -> bytes:
    outcome = import_file(mx_node.database, FINDINGS, "canonical", actor=NodeSelf("test"))
    assert (outcome.report.loaded, outcome.report.quarantined) == (3, 0)
    # all regions: which region a municipality lies in is the seizures side's business
    data, _ = build_quarter(
        mx_node.database, mx_node.keys, QUARTER, all_regions=True, actor=NodeSelf("test")
    )
    return data


def _rows(data: bytes, table: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read(f"data/{table}.csv").decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


TABLES = ("totals", "by_location", "by_concealment", "transport_methods")


# --- Finding 1: tablets vanish --------------------------------------------------------------


def test_tablets_reach_the_us_node(mx_package: bytes, us_node: Node) -> None:
    receive(us_node.database, mx_package, actor=NodeSelf("test"))
    with us_node.database.reader() as session:
        tables = partner_tables(session, "MX", QUARTER)
    fentanyl = {(o.measure, o.unit_measure): o for o in tables["totals"] if o.drug == "FENTANYL"}
    assert fentanyl[("UNITS", "TABLET")].value == 15000
    assert fentanyl[("SEIZURES", "EVENT")].value == 2
    kg = fentanyl[("AMOUNT_KG", "KG")]
    assert kg.value == pytest.approx(1.2)
    # the 1.2 kg leave the tablets out: never "available" (A); D = definition differs
    assert kg.status == "D"
    marijuana = {o.measure: o for o in tables["totals"] if o.drug == "MARIJUANA"}
    assert (marijuana["AMOUNT_KG"].value, marijuana["AMOUNT_KG"].status) == (676, "A")
    assert "UNITS" not in marijuana


def test_units_are_shown_in_the_joint_analysis(mx_package: bytes, us_node: Node) -> None:
    from alianza.analysis.joint import joint_analysis
    from alianza.analysis.render import report_csv, report_markdown

    receive(us_node.database, mx_package, actor=NodeSelf("test"))
    with us_node.database.reader() as session:
        analysis = joint_analysis(session, QUARTER, own_country="US", trend_quarters=1)
    figures = analysis.totals[("FENTANYL",)]["MX"]
    assert figures.units == {"TABLET": 15000}
    assert figures.kg_partial
    markdown = report_markdown(analysis)
    assert "15,000 tablets / tabletas" in markdown
    assert "1.2*" in markdown
    rows = list(csv.DictReader(io.StringIO(report_csv(analysis))))
    fentanyl = next(
        r
        for r in rows
        if r["section"] == "totals" and r["country"] == "MX" and r["code_1"] == "FENTANYL"
    )
    assert (fentanyl["kg_status"], fentanyl["units"]) == ("D", "TABLET=15000")


# --- Finding 2: accents break places --------------------------------------------------------


def test_mexican_locations_are_inegi_codes(mx_package: bytes) -> None:
    """Mexican places travel as INEGI codes (CVEGEO), not folded names (``CHIHUAHUA_JUAREZ``):
    Juárez, Chihuahua is 08037, San Luis Río Colorado, Sonora 26055."""
    codes = {row["LOCATION"] for row in _rows(mx_package, "by_location")}
    assert codes == {"MX_08037", "MX_26055"}


def test_juarez_pairs_with_el_paso(mx_package: bytes, us_node: Node) -> None:
    from alianza.analysis.joint import joint_analysis

    receive(us_node.database, mx_package, actor=NodeSelf("test"))
    with us_node.database.reader() as session:
        analysis = joint_analysis(session, QUARTER, own_country="US", trend_quarters=1)
    corridor = analysis.by_corridor[("El Paso – Ciudad Juárez", "MARIJUANA")]["MX"]
    assert (corridor.seizures, corridor.kg) == (1, 676)
    assert "MX_08037" not in analysis.unpaired_locations.get("MX", set())
    # San Luis Río Colorado is across from San Luis, Arizona (Tucson field office)
    tucson = analysis.by_corridor[("Tucson – Nogales", "FENTANYL")]["MX"]
    assert tucson.seizures == 2


def test_packages_with_folded_names_still_pair(us_node: Node, mx_node: Node) -> None:
    """A package received before the change names Juárez ``CHIHUAHUA_JUAREZ``; it is still
    read and paired with El Paso, as the INEGI code is."""
    tables = sample_tables("MX", QUARTER)
    tables["by_location"] = [
        dataclasses.replace(o, location="CHIHUAHUA_JUAREZ") if o.location == "EL_PASO" else o
        for o in tables["by_location"]
    ]
    receive(us_node.database, _signed(mx_node, QUARTER, tables), actor=NodeSelf("test"))
    from alianza.analysis.joint import joint_analysis

    with us_node.database.reader() as session:
        analysis = joint_analysis(session, QUARTER, own_country="US", trend_quarters=1)
    assert "CHIHUAHUA_JUAREZ" not in analysis.unpaired_locations.get("MX", set())
    sent = sum(
        o.value or 0
        for o in tables["by_location"]
        if (o.drug, o.location, o.measure) == ("HEROIN", "CHIHUAHUA_JUAREZ", "SEIZURES")
    )
    corridor = analysis.by_corridor[("El Paso – Ciudad Juárez", "HEROIN")]["MX"]
    assert corridor.seizures == sent > 0


def _codelists_pysdmx(path: Path) -> dict[str, dict[str, dict[str, str]]]:
    """Code list id → code → language → name, as pysdmx reads the DSD."""
    from pysdmx.io import read_sdmx

    message = read_sdmx(path)  # validates against the SDMX-ML 2.1 schemas
    result: dict[str, dict[str, dict[str, str]]] = {}
    for codelist in message.get_codelists():
        result[codelist.id] = {code.id: {"name": str(code.name)} for code in codelist.codes}
    return result


def _codelists_sdmx1(path: Path) -> dict[str, dict[str, dict[str, str]]]:
    import sdmx

    with path.open("rb") as handle:  # sdmx1 leaves a path's file open
        message = sdmx.read_sdmx(handle)
    return {
        cl_id: {code.id: dict(code.name.localizations) for code in codelist}
        for cl_id, codelist in message.codelist.items()
    }


def _package_files(data: bytes, folder: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(name))
    return folder


def test_every_code_used_is_in_the_packages_dsd(mx_package: bytes, tmp_path: Path) -> None:
    folder = _package_files(mx_package, tmp_path)
    lists = _codelists_sdmx1(folder / "structure.xml")
    assert set(_codelists_pysdmx(folder / "structure.xml")) == set(lists)
    for table in TABLES:
        for row in _rows(mx_package, table):
            for dimension in ("REF_AREA", "DRUG", "LOCATION", "CONCEALMENT", "TRANSPORT_MODE",
                              "MEASURE", "UNIT_MEASURE", "OBS_STATUS"):  # fmt: skip
                assert row[dimension] in lists[f"CL_{dimension}"], (table, dimension, row)
    # the places reported, named as reported, in both languages
    juarez = lists["CL_LOCATION"]["MX_08037"]
    assert juarez == {"en": "Juárez, Chihuahua", "es": "Juárez, Chihuahua"}


def _mucd_package(mx_node: Node, quarter: str) -> bytes:
    from alianza.seizures.mucd import PACKAGED_MUCD, import_mucd

    import_mucd(mx_node.database, PACKAGED_MUCD, actor=NodeSelf("test"))
    data, _ = build_quarter(
        mx_node.database, mx_node.keys, quarter, all_regions=True, actor=NodeSelf("test")
    )
    return data


def test_mucd_totals_are_by_municipality_code(mx_node: Node) -> None:
    """MUCD's rows carry an INEGI municipality code and no area: by location they were all
    ``_U`` (not reported). Expected: each municipality's kilograms, summed from the packaged
    files by a plain loop."""
    from alianza.seizures.mucd import PACKAGED_MUCD

    expected: dict[str, float] = {}
    for path in PACKAGED_MUCD.glob("*.csv"):
        lines = path.read_bytes().decode("latin-1").splitlines()[2:]
        for row in csv.DictReader(lines):
            if (row["Anio"], row["Mes"]) in (("2019", "4"), ("2019", "5"), ("2019", "6")):
                kg = float(row["Aseguramientode_marihuana"])
                expected[row["idMunicipio"]] = expected.get(row["idMunicipio"], 0.0) + kg
    data = _mucd_package(mx_node, QUARTER)
    got = {
        r["LOCATION"].removeprefix("MX_"): float(r["OBS_VALUE"])
        for r in _rows(data, "by_location")
        if (r["DRUG"], r["MEASURE"]) == ("MARIJUANA", "AMOUNT_KG")
    }
    assert "_U" not in got
    assert got == pytest.approx(expected)


# --- Finding 3: periods mis-dated in SDMX ---------------------------------------------------


def test_fiscal_package_has_calendar_time_periods(us_node: Node, tmp_path: Path) -> None:
    import sdmx

    # an event of 2 November 2018: US fiscal 2019-Q1, calendar 2018-Q4
    source = tmp_path / "us.csv"
    lines = FINDINGS.read_text("utf-8").splitlines()
    row = lines[1].replace(",MX,FGR,", ",US,CBP-OFO,").replace("2019-05-10", "2018-11-02")
    row = row.replace("CHECKPOINT_MX,,,Chihuahua / Juárez", "POE_LAND_VEHICLE,2402,,")
    source.write_text("\n".join([lines[0], row]) + "\n", "utf-8")
    assert (
        import_file(us_node.database, source, "canonical", actor=NodeSelf("test")).report.loaded
        == 1
    )
    data, _ = build_quarter(
        us_node.database,
        us_node.keys,
        "2019-Q1",
        period_kind="fiscal",
        all_regions=True,
        actor=NodeSelf("test"),
    )
    periods = {r["TIME_PERIOD"] for t in TABLES for r in _rows(data, t)}
    assert periods == {"2018-Q4"}  # October–December 2018, as any SDMX tool reads it
    folder = _package_files(data, tmp_path / "package")
    with (folder / "structure.xml").open("rb") as handle:
        structure = sdmx.read_sdmx(handle).structure["ALZ_SEIZURES"]
    with (folder / "data" / "totals.csv").open("rb") as handle:
        message = sdmx.read_sdmx(handle, format="csv", structure=structure)
    frame = sdmx.to_pandas(message.data[0])
    assert set(frame.index.get_level_values("TIME_PERIOD")) == {"2018-Q4"}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        import json

        descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["alianza"]["quarter"] == "2019-Q1"
    assert descriptor["alianza"]["period_kind"] == "fiscal"
    assert descriptor["alianza"]["time_period"] == "2018-Q4"


def test_fiscal_package_labelled_with_the_fiscal_quarter_is_refused(
    us_node: Node, mx_node: Node
) -> None:
    """What the old builder made: FY2026-Q1 (Oct–Dec 2025) sent as TIME_PERIOD=2026-Q1."""
    tables = sample_tables("MX", "2019-Q1")  # observations dated 2019-Q1, the fiscal label
    data = build_package(
        mx_node.keys,
        quarter="2019-Q1",
        tables=tables,
        coverage=COVERAGE,
        version=1,
        extracted_at=datetime(2019, 5, 1, tzinfo=UTC),
        period_kind="fiscal",
    )
    with pytest.raises(PackageRefused) as refused:
        receive(us_node.database, data, actor=NodeSelf("test"))
    assert refused.value.code == "quarter-mismatch"
    assert "2018-Q4" in refused.value.message


# --- Finding 4: implausible packages accepted -----------------------------------------------


def _counts(node: Node) -> tuple[int, int, int]:
    with node.database.reader() as session:
        return (
            session.scalar(select(func.count()).select_from(Package)) or 0,
            session.scalar(select(func.count()).select_from(Observation)) or 0,
            session.scalar(select(func.count()).select_from(Event)) or 0,
        )


def _signed(node: Node, quarter: str, tables: dict[str, list[Obs]]) -> bytes:
    return build_package(
        node.keys,
        quarter=quarter,
        tables=tables,
        coverage=COVERAGE,
        version=1,
        extracted_at=datetime(2019, 7, 2, tzinfo=UTC),
    )


def _refused(us: Node, data: bytes, today: date | None = None) -> PackageRefused:
    before = _counts(us)
    clock = {} if today is None else {"today": today}  # default: the receiving node's clock
    with pytest.raises(PackageRefused) as refused:
        receive(us.database, data, actor=NodeSelf("test"), **clock)
    assert _counts(us) == before  # nothing stored
    assert refused.value.message_es
    assert refused.value.message_es != refused.value.message
    return refused.value


def _replace(tables: dict[str, list[Obs]], table: str, match: Any, **changes: Any) -> None:
    rows = tables[table]
    index = next(i for i, o in enumerate(rows) if match(o))
    rows[index] = dataclasses.replace(rows[index], **changes)


def test_package_for_a_quarter_not_yet_closed_is_refused(us_node: Node, mx_node: Node) -> None:
    refusal = _refused(us_node, _signed(mx_node, "2027-Q4", sample_tables("MX", "2027-Q4")))
    assert (refusal.code, refusal.reason) == ("quarter-not-closed", "quarter-not-closed")
    assert "2027-12-31" in refusal.message
    assert "2027-12-31" in refusal.message_es
    # the same quarter, received on its last day, is still open; the day after, it is closed
    data = _signed(mx_node, "2019-Q2", sample_tables("MX", "2019-Q2"))
    _refused(us_node, data, today=date(2019, 6, 30))
    assert (
        receive(us_node.database, data, today=date(2019, 7, 1), actor=NodeSelf("test"))[0].status
        == "stored"
    )


def test_non_integer_count_is_refused(us_node: Node, mx_node: Node) -> None:
    tables = sample_tables("MX", QUARTER)
    _replace(tables, "totals", lambda o: o.measure == "SEIZURES", value=1.5)
    refusal = _refused(us_node, _signed(mx_node, QUARTER, tables))
    assert (refusal.code, refusal.reason) == ("implausible", "not-integer")
    assert "1.5" in refusal.message


def test_breakdown_larger_than_its_total_is_refused(us_node: Node, mx_node: Node) -> None:
    tables = sample_tables("MX", QUARTER)
    tables["totals"] = [
        dataclasses.replace(o, value=22.0) if (o.drug, o.measure) == ("HEROIN", "AMOUNT_KG") else o
        for o in tables["totals"]
    ]
    tables["by_location"] = [
        dataclasses.replace(o, value=22000.0 if o.location == "NOGALES" else 0.0)
        if (o.drug, o.measure) == ("HEROIN", "AMOUNT_KG")
        else o
        for o in tables["by_location"]
    ]
    refusal = _refused(us_node, _signed(mx_node, QUARTER, tables))
    assert (refusal.code, refusal.reason) == ("implausible", "breakdown-exceeds-total")
    assert "22,000" in refusal.message
    assert "NOGALES" in refusal.message


def _heroin_kg_total(tables: dict[str, list[Obs]]) -> float:
    return next(
        o.value or 0.0 for o in tables["totals"] if (o.drug, o.measure) == ("HEROIN", "AMOUNT_KG")
    )


def test_total_that_disagrees_with_its_breakdowns_is_refused(us_node: Node, mx_node: Node) -> None:
    tables = sample_tables("MX", QUARTER)
    total = _heroin_kg_total(tables)
    assert total > 400  # so that 1 % is beyond the stated tolerance (0.5 %, at least 1 kg)
    _replace(
        tables, "totals", lambda o: (o.drug, o.measure) == ("HEROIN", "AMOUNT_KG"),
        value=round(total * 1.01, 3),
    )  # fmt: skip
    refusal = _refused(us_node, _signed(mx_node, QUARTER, tables))
    assert (refusal.code, refusal.reason) == ("implausible", "sum-differs")
    assert "by_location" in refusal.message


def test_rounding_within_the_tolerance_is_accepted(us_node: Node, mx_node: Node) -> None:
    tables = sample_tables("MX", QUARTER)
    total = _heroin_kg_total(tables)
    _replace(
        tables, "totals", lambda o: (o.drug, o.measure) == ("HEROIN", "AMOUNT_KG"),
        value=round(total + 0.9, 3),
    )  # fmt: skip
    result, _country, _quarter = receive(
        us_node.database, _signed(mx_node, QUARTER, tables), actor=NodeSelf("test")
    )
    assert result.status == "stored"


def test_a_count_that_disagrees_by_one_is_refused(us_node: Node, mx_node: Node) -> None:
    tables = sample_tables("MX", QUARTER)
    _replace(
        tables,
        "transport_methods",
        lambda o: (o.drug, o.measure, o.transport_mode) == ("COCAINE", "SEIZURES", "_U"),
        value=None,
    )
    rows = tables["transport_methods"]
    index = next(
        i for i, o in enumerate(rows)
        if (o.drug, o.measure, o.transport_mode) == ("COCAINE", "SEIZURES", "_U")
    )  # fmt: skip
    original = next(
        o for o in sample_tables("MX", QUARTER)["transport_methods"] if o.key() == rows[index].key()
    )
    rows[index] = dataclasses.replace(original, value=(original.value or 0) + 1)
    refusal = _refused(us_node, _signed(mx_node, QUARTER, tables))
    assert refusal.reason in ("sum-differs", "breakdown-exceeds-total")


def test_refusals_are_logged_with_their_reason(us_node: Node, mx_node: Node) -> None:
    from alianza.exchange.inbox import receive_logged

    data = _signed(mx_node, "2027-Q4", sample_tables("MX", "2027-Q4"))
    with pytest.raises(PackageRefused):
        receive_logged(us_node.database, data, source="test", actor=NodeSelf("test"))
    with us_node.database.reader() as session:
        (refusal,) = session.scalars(select(Refusal)).all()
        assert (refusal.code, refusal.reason) == ("quarter-not-closed", "quarter-not-closed")
        assert "no ha cerrado" in (refusal.message_es or "")


def test_package_names_where_its_figures_come_from(mx_node: Node) -> None:
    """Issue 16: each import's provenance travels in the package (coverage ``sources``): the
    sources of the records counted, with their provenance, files and profiles; a generated
    sample says so."""
    from alianza.seizures.sample import PROVENANCE

    import_file(
        mx_node.database, FINDINGS, "canonical", provenance=PROVENANCE, actor=NodeSelf("test")
    )
    data, _ = build_quarter(
        mx_node.database, mx_node.keys, QUARTER, all_regions=True, actor=NodeSelf("test")
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        coverage = json.loads(archive.read("coverage.json"))
    with FINDINGS.open(encoding="utf-8", newline="") as handle:
        systems = {row["source_system"] for row in csv.DictReader(handle)}
    assert [s["source_system"] for s in coverage["sources"]] == sorted(systems)
    for source in coverage["sources"]:
        assert source["provenance"] == PROVENANCE
        assert source["generated"] is True
        assert source["profiles"] == ["canonical"]
        assert source["files"][0].startswith(f"{FINDINGS.name} (")
