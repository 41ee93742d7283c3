"""A real quarter of CBP data through the exchange: tables computed from the seizure records,
checked against sums of the raw file, read back with a standard SDMX library."""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest

from alianza.actors import NodeSelf
from alianza.exchange.cube import dsd_codelists, quarter_tables
from alianza.exchange.sdmx import Observation as Obs
from alianza.exchange.sdmx import dsd_xml
from alianza.exchange.service import build_and_record, partner_tables, receive
from alianza.seizures.service import import_file
from tests.conftest import DATA
from tests.exchange.conftest import Node

CBP = DATA / "exchange" / "cbp-nationwide-fy2019.csv"
LB = 0.45359237
GROUPS = {
    "Cocaine": "COCAINE",
    "Heroin": "HEROIN",
    "Marijuana": "MARIJUANA",
    "Methamphetamine": "METHAMPHETAMINE",
    "Fentanyl": "FENTANYL",
}


def raw_southwest_totals(months: set[tuple[str, str]]) -> dict[str, tuple[int, float]]:
    """Events and kg by drug group from the raw CSV, with a plain csv loop."""
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    with CBP.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if (
                row["Region"] != "Southwest Border"
                or (row["FY"], row["Month (abbv)"]) not in months
            ):
                continue
            group = GROUPS.get(row["Drug Type"], "OTHER")
            totals[group][0] += int(row["Count of Event"])
            totals[group][1] += float(row["Sum Qty (lbs)"]) * LB
    return {g: (int(v[0]), v[1]) for g, v in totals.items()}


@pytest.fixture
def us_with_cbp(us_node: Node) -> Node:
    outcome = import_file(us_node.database, CBP, "cbp-nationwide", actor=NodeSelf("test"))
    assert outcome.report.quarantined == 0
    return us_node


def test_quarter_tables_match_the_raw_file(us_with_cbp: Node) -> None:
    with us_with_cbp.database.reader() as session:
        tables, coverage = quarter_tables(session, country="US", quarter="2019-Q1")
    expected = raw_southwest_totals({("2019", "JAN"), ("2019", "FEB"), ("2019", "MAR")})
    got = {(o.drug, o.measure): o.value for o in tables["totals"]}
    assert {drug for drug, _m in got} == set(expected)
    for drug, (events, kg) in expected.items():
        assert got[(drug, "SEIZURES")] == events
        # kilograms travel to the milligram (cube.KG_DECIMALS)
        assert math.isclose(got[(drug, "AMOUNT_KG")] or 0.0, kg, rel_tol=1e-9, abs_tol=5e-7)
    # CBP's files have no concealment or transport mode: all of it is "not reported" (_U)
    assert {o.concealment for o in tables["by_concealment"]} == {"_U"}
    assert {o.transport_mode for o in tables["transport_methods"]} == {"_U"}
    assert coverage["not_reported"]["by_concealment"]["seizures_with_dimension_reported"] == 0


def test_fiscal_quarter_is_october_to_december(us_with_cbp: Node) -> None:
    with us_with_cbp.database.reader() as session:
        tables, _ = quarter_tables(session, country="US", quarter="2019-Q1", period_kind="fiscal")
    expected = raw_southwest_totals({("2019", "OCT"), ("2019", "NOV"), ("2019", "DEC")})
    got = {o.drug: o.value for o in tables["totals"] if o.measure == "SEIZURES"}
    assert got == {drug: events for drug, (events, _kg) in expected.items()}


def test_partner_receives_the_senders_own_aggregates(us_with_cbp: Node, mx_node: Node) -> None:
    with us_with_cbp.database.reader() as session:
        tables, coverage = quarter_tables(session, country="US", quarter="2019-Q1")
    data, _ = build_and_record(
        us_with_cbp.database,
        us_with_cbp.keys,
        quarter="2019-Q1",
        tables=tables,
        coverage=coverage,
        actor=NodeSelf("test"),
    )
    receive(mx_node.database, data, actor=NodeSelf("test"))
    with mx_node.database.reader() as session:
        received = partner_tables(session, "US", "2019-Q1")
    assert received == {name: sorted(rows, key=Obs.key) for name, rows in tables.items()}


def test_package_tables_read_with_a_standard_sdmx_library(
    us_with_cbp: Node, tmp_path: Path
) -> None:
    from pysdmx.io import get_datasets, read_sdmx

    with us_with_cbp.database.reader() as session:
        tables, coverage = quarter_tables(session, country="US", quarter="2019-Q1")
    data, _ = build_and_record(
        us_with_cbp.database,
        us_with_cbp.keys,
        quarter="2019-Q1",
        tables=tables,
        coverage=coverage,
        actor=NodeSelf("test"),
    )
    structure = tmp_path / "dsd.xml"
    structure.write_text(dsd_xml(dsd_codelists(), datetime.now(UTC).isoformat()), "utf-8")
    message = read_sdmx(structure)  # validates against the SDMX-ML 2.1 schemas
    assert message.header.id == "ALZ_SEIZURES_DSD"
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name in ("totals", "by_location", "by_concealment", "transport_methods"):
        path = tmp_path / f"{name}.csv"
        path.write_bytes(archive.read(f"data/{name}.csv"))
        (dataset,) = get_datasets(path, structure)
        frame = dataset.data
        assert len(frame) == len(tables[name])
        ours = {(o.drug, o.location, o.measure): o.value for o in tables[name]}
        for row in frame.itertuples():
            value = ours[(row.DRUG, row.LOCATION, row.MEASURE)]
            assert value is not None
            assert math.isclose(float(row.OBS_VALUE), value, rel_tol=1e-12)
        codes = dsd_codelists()["LOCATION"]
        assert set(frame["LOCATION"]) - set(codes) <= {"_T"}


def test_mx_generated_sample_imports_cleanly_and_reports_concealment(
    mx_node: Node, tmp_path: Path
) -> None:
    from datetime import date

    from alianza.seizures.sample import write_mx_sample

    sample = tmp_path / "mx.csv"
    rows = write_mx_sample(sample, first=date(2019, 1, 1), last=date(2019, 6, 30), events=300)
    outcome = import_file(mx_node.database, sample, "canonical", actor=NodeSelf("test"))
    assert (outcome.report.rows, outcome.report.loaded, outcome.report.quarantined) == (
        rows,
        rows,
        0,
    )
    with sample.open(encoding="utf-8", newline="") as handle:
        raw = list(csv.DictReader(handle))
    shared_q1 = {
        r["source_record_id"]
        for r in raw
        if r["releasability"] == "BILATERAL" and r["event_date"] < "2019-04-01"
    }
    with mx_node.database.reader() as session:
        tables, _ = quarter_tables(session, country="MX", quarter="2019-Q1")
    by_mode = sum(o.value or 0 for o in tables["transport_methods"] if o.measure == "SEIZURES")
    # an event with two drug groups counts once per group, so at least one per event
    assert by_mode >= len(shared_q1)
    assert "_U" not in {o.concealment for o in tables["by_concealment"]}


def test_quarters_tables_equal_quarter_tables_one_by_one(us_with_cbp: Node) -> None:
    """The one-pass form used by the joint analysis gives exactly the package's tables."""
    from alianza.exchange.cube import quarters_tables

    quarters = ["2018-Q4", "2019-Q1", "2019-Q2"]
    with us_with_cbp.database.reader() as session:
        together = quarters_tables(session, country="US", quarters=quarters)
        fiscal = quarters_tables(
            session, country="US", quarters=["2019-Q1", "2019-Q2"], period_kind="fiscal"
        )
        for quarter in quarters:
            alone, _coverage = quarter_tables(session, country="US", quarter=quarter)
            assert together[quarter] == alone, quarter
            assert any(alone.values()) or quarter == "2018-Q4"
        for quarter in ("2019-Q1", "2019-Q2"):
            alone, _ = quarter_tables(session, country="US", quarter=quarter, period_kind="fiscal")
            assert fiscal[quarter] == alone


def test_published_rows_of_counted_units_travel_as_units(us_with_cbp: Node) -> None:
    """A published (aggregate) row of tablets without a mass is counted in UNITS, and the
    kilograms of its cell say they leave it out (D)."""
    from sqlalchemy import select, update

    from alianza.seizures.models import AggregateRow

    with us_with_cbp.database.transaction() as session:
        row = session.scalars(
            select(AggregateRow)
            .where(AggregateRow.region == "SOUTHWEST_BORDER", AggregateRow.drug_code == "FENTANYL")
            .where(AggregateRow.period_month >= datetime(2019, 1, 1).date())
            .where(AggregateRow.period_month < datetime(2019, 4, 1).date())
            .order_by(AggregateRow.id)
            .limit(1)
        ).one()
        session.execute(
            update(AggregateRow)
            .where(AggregateRow.id == row.id)
            .values(unit="TABLET", quantity_reported="15000", net_mass_kg=None)
        )
    with us_with_cbp.database.reader() as session:
        tables, _ = quarter_tables(session, country="US", quarter="2019-Q1")
    fentanyl = {(o.measure, o.unit_measure): o for o in tables["totals"] if o.drug == "FENTANYL"}
    assert fentanyl[("UNITS", "TABLET")].value == 15000
    assert fentanyl[("AMOUNT_KG", "KG")].status == "D"
    located = [o for o in tables["by_location"] if o.measure == "UNITS"]
    assert sum(o.value or 0 for o in located) == 15000
