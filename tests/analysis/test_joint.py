"""The joint analysis of both countries' tables for a quarter, in every output format."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from typing import Any

import pytest

from alianza.actors import NodeSelf
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
from alianza.catalogue import in_language, message_of
from alianza.exchange.sdmx import Observation
from alianza.exchange.service import build_and_record, receive
from tests.exchange.conftest import COVERAGE, Node, sample_tables

QUARTER = "2019-Q1"


def exchanged(us_node: Node, mx_node: Node) -> dict[str, dict[str, list[Observation]]]:
    """MX sends its sample tables to the US node; returns both countries' tables."""
    tables = {"MX": sample_tables("MX", QUARTER, seed=7)}
    data, _ = build_and_record(
        mx_node.database,
        mx_node.keys,
        quarter=QUARTER,
        tables=tables["MX"],
        coverage=COVERAGE,
        actor=NodeSelf("test"),
    )
    receive(us_node.database, data, actor=NodeSelf("test"))
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
    assert {r["section"] for r in rows} == {
        "totals", "corridors", "concealment", "transport", "trend"
    }  # fmt: skip
    missing = [r for r in rows if r["section"] == "totals" and r["kg"] == ""]
    assert [(r["dimension_1"], r["code_1"]) for r in missing] == [("drug", "OTHER")]
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(report_xlsx(analysis)))
    assert workbook.sheetnames == [
        "sources", "totals", "trend_drug", "changes", "ranking", "corridors", "unpaired",
        "inputs", "notes",
    ]  # fmt: skip
    from docx import Document

    document = Document(io.BytesIO(report_docx(analysis, charts)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert (
        "Transport methods and concealments ranked by drug (the 10.9 question) / Medios de "
        "transporte y ocultamientos por droga, en orden (la pregunta de 10.9)" in headings
    )
    with zipfile.ZipFile(io.BytesIO(report_docx(analysis, charts))) as archive:
        assert len([n for n in archive.namelist() if n.startswith("word/media/")]) == len(charts)


def test_joint_ranks_transport_methods_by_drug_with_coverage(analysis: JointAnalysis) -> None:
    from alianza.analysis.measures import rankings

    sent = sample_tables("MX", QUARTER, seed=7)["transport_methods"]
    counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    totals: dict[str, float] = defaultdict(float)
    for o in sent:
        if o.measure != "SEIZURES" or o.value is None:
            continue
        totals[o.drug] += o.value
        if o.transport_mode not in ("_U", "_T"):
            counts[o.drug][o.transport_mode] += o.value
    found = {r.drug: r for r in rankings(analysis) if r.kind == "transport" and r.side == "MX"}
    assert set(found) == {d for d, t in totals.items() if t}
    for drug, ranked in found.items():
        expected = sorted(counts[drug].items(), key=lambda i: (-i[1], i[0]))[:3]
        assert ranked.methods == expected
        assert ranked.coverage == pytest.approx(sum(counts[drug].values()) / totals[drug] * 100)
    # both countries together: this node has no records, so the same as Mexico's
    both = [r for r in rankings(analysis) if r.kind == "transport" and r.side == "BOTH"]
    assert [(r.drug, r.methods) for r in both] == [(d, found[d].methods) for d in found]


def test_joint_spanish_edition_has_no_english_labels(analysis: JointAnalysis) -> None:
    from alianza.analysis.render import Edition
    from alianza.codes import code_list

    spanish = report_markdown(Edition(analysis, "es"))
    road = code_list("transport_mode").codes["ROAD"]
    assert road.label_es in spanish
    assert f" {road.label_en} (" not in spanish
    assert "Totales por droga y país" in spanish
    assert "Totals by drug" not in spanish


def test_joint_xlsx_figures_are_numbers(analysis: JointAnalysis) -> None:
    from openpyxl import load_workbook

    sent = {
        o.drug: o.value
        for o in sample_tables("MX", QUARTER, seed=7)["totals"]
        if o.measure == "SEIZURES"
    }
    sheet = load_workbook(io.BytesIO(report_xlsx(analysis)))["totals"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    seizures = {row[0]: row[4] for row in values if row[4] is not None}
    assert sorted(seizures.values()) == sorted(float(v or 0) for v in sent.values())


def test_unknown_inputs_are_refused_in_spanish() -> None:
    no_session: Any = None  # refused before the database is read
    with pytest.raises(ValueError, match="inputs 'files'") as refused:
        joint_analysis(no_session, "2024Q1", own_country="US", inputs="files")
    assert str(refused.value) == "inputs 'files' is not one of packages, records"
    assert in_language(message_of(refused.value), "es") == (
        "inputs 'files' no es uno de packages, records"
    )
