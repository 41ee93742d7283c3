"""The joint analysis of both countries' tables for a quarter, in every output format."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict

import pytest

from alianza.analysis.charts import all_charts
from alianza.analysis.corridors import corridor_of, corridors
from alianza.analysis.joint import JointAnalysis, joint_analysis
from alianza.analysis.render import (
    report_csv,
    report_docx,
    report_html,
    report_markdown,
    report_xlsx,
)
from alianza.exchange.sdmx import Observation
from alianza.exchange.service import build_and_record, receive
from tests.exchange.conftest import COVERAGE, Node, sample_tables

QUARTER = "2019-Q1"


def exchanged(us_node: Node, mx_node: Node) -> dict[str, dict[str, list[Observation]]]:
    """MX sends its sample tables to the US node; returns both countries' tables."""
    tables = {"MX": sample_tables("MX", QUARTER, seed=7)}
    data, _ = build_and_record(
        mx_node.database, mx_node.keys, quarter=QUARTER, tables=tables["MX"], coverage=COVERAGE
    )
    receive(us_node.database, data)
    return tables


def test_corridors_pair_the_ports_the_strategy_names() -> None:
    labels = {c.label for c in corridors()}
    assert {
        "San Diego – Tijuana",
        "Tucson – Nogales",
        "El Paso – Ciudad Juárez",
        "Laredo – Nuevo Laredo",
    } <= labels
    assert corridor_of("SAN_YSIDRO", "MX").label == "San Diego – Tijuana"  # type: ignore[union-attr]
    assert corridor_of("SAN_DIEGO_FIELD_OFFICE", "US").label == "San Diego – Tijuana"  # type: ignore[union-attr]
    assert corridor_of("EL_CENTRO_SECTOR", "US").label == "San Diego – Tijuana"  # type: ignore[union-attr]
    assert corridor_of("NUEVO_LAREDO", "MX").label == "Laredo – Nuevo Laredo"  # type: ignore[union-attr]


@pytest.fixture
def analysis(us_node: Node, mx_node: Node) -> JointAnalysis:
    exchanged(us_node, mx_node)
    with us_node.database.reader() as session:
        return joint_analysis(session, QUARTER, own_country="US", trend_quarters=4)


def test_joint_totals_are_the_partners_tables(analysis: JointAnalysis) -> None:
    sent = sample_tables("MX", QUARTER, seed=7)["totals"]
    expected: dict[str, dict[str, float | None]] = defaultdict(dict)
    for o in sent:
        expected[o.drug][o.measure] = o.value
    for drug, measures in expected.items():
        figures = analysis.totals[(drug,)]["MX"]
        assert figures.seizures == measures["SEIZURES"]
        assert figures.kg == measures["AMOUNT_KG"]  # None stays None: not reported
    # this node has no seizure records: its side is absent, not zero
    assert analysis.available == {"US": False, "MX": True}
    assert all("US" not in row for row in analysis.totals.values())


def test_joint_transport_methods_ranked_with_the_drugs_they_carry(analysis: JointAnalysis) -> None:
    sent = sample_tables("MX", QUARTER, seed=7)["transport_methods"]
    per_mode: dict[str, float] = defaultdict(float)
    for o in sent:
        if o.measure == "SEIZURES" and o.transport_mode != "_U":
            per_mode[o.transport_mode] += o.value or 0
    ranked = sorted(per_mode.items(), key=lambda item: (-item[1], item[0]))
    top = analysis.top_transport_modes()
    assert [(mode, count) for mode, count, _drugs in top] == ranked
    mode, _count, drugs = top[0]
    carried = {
        o.drug: o.value for o in sent if o.transport_mode == mode and o.measure == "SEIZURES"
    }
    assert dict(drugs) == carried


def test_joint_report_renders_in_every_format(analysis: JointAnalysis) -> None:
    charts = all_charts(analysis)
    assert all(png.startswith(b"\x89PNG") for png in charts.values())
    markdown = report_markdown(analysis, {"totals": "t.png"})
    assert "Totals by drug and country / Totales por droga y país" in markdown
    assert "![Totals by drug and country" in markdown
    html = report_html(analysis, charts)
    assert html.count("data:image/png;base64,") == 3
    rows = list(csv.DictReader(io.StringIO(report_csv(analysis))))
    assert {r["country"] for r in rows} == {"MX"}
    assert {r["section"] for r in rows} == {"totals", "corridors", "concealment", "transport"}
    missing = [r for r in rows if r["section"] == "totals" and r["kg"] == ""]
    assert [r["label_1"] for r in missing] == ["Other drugs / Otras drogas"]
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(report_xlsx(analysis)))
    assert workbook.sheetnames == ["totals", "corridors", "concealment", "transport"]
    from docx import Document

    document = Document(io.BytesIO(report_docx(analysis, charts)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert (
        "Transport methods most used and the drugs they carry / Medios de transporte más "
        "usados y las drogas que transportan" in headings
    )
    with zipfile.ZipFile(io.BytesIO(report_docx(analysis, charts))) as archive:
        assert len([n for n in archive.namelist() if n.startswith("word/media/")]) == len(charts)
