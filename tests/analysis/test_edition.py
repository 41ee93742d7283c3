"""The joint edition both sides sign: on the two demo nodes (US with CBP's real files, MX with
the real MUCD files and the generated sample), after the quarterly exchange both ways, each
node assembles the same content hash; the document names its inputs, carries the marking,
page numbers and real metadata, and says "generated sample" only because the data's stored
provenance says so. Expected figures come from the raw CSV with a plain ``csv`` loop."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner, Result

from alianza.actors import NodeSelf
from alianza.analysis.joint import joint_analysis
from alianza.cli import cli
from alianza.demo.nodes import (
    Node,
    exchange_quarter,
    load_mx_sources,
    prepare_node,
    trust_each_other,
)
from alianza.seizures.service import import_file
from tests.seizures.conftest import CBP

if TYPE_CHECKING:
    from alianza.analysis.render import Edition

QUARTER = "2025-Q4"
PREVIOUS = "2025-Q3"
US_FILES = {
    "nationwide-drugs-fy23-fy26-dec.csv": "cbp-nationwide",
    "amo-drug-seizures-fy23-fy26-dec.csv": "cbp-amo",
}
LB = 0.45359237
MONTH = {"JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}


@dataclass
class Demo:
    us: Node
    mx: Node


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The demo's two nodes, smaller: the US node holds two of CBP's files, the MX node the
    MUCD files and a generated sample of the second half of 2025; both quarters exchanged."""
    root = tmp_path_factory.mktemp("demo")
    us, mx = prepare_node(root / "us", "US"), prepare_node(root / "mx", "MX")
    for name, profile in US_FILES.items():
        import_file(us.database, CBP / name, profile, actor=NodeSelf("test"))
    load_mx_sources(mx, first=date(2025, 7, 1), last=date(2025, 12, 31), events=600)
    trust_each_other(us, mx)
    for quarter in (PREVIOUS, QUARTER):
        exchange_quarter(us, mx, quarter)
        exchange_quarter(mx, us, quarter)
    yield Demo(us, mx)
    us.dispose()
    mx.dispose()


def edition_of(node: Node, language: str = "both") -> Edition:
    from alianza.analysis.render import Edition

    with node.database.reader() as session:
        analysis = joint_analysis(session, QUARTER, own_country=node.country, inputs="packages")
    return Edition(analysis, language, f"{node.keys.identity.name} ({node.country})")


def raw_kg(drug: str, months: set[tuple[str, str]]) -> float:
    """Kilograms of a CBP drug on the Southwest border (every component, as the package
    counts the common border) over (FY, month) pairs."""
    pounds = 0.0
    for name in US_FILES:
        with (CBP / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                key = (row["FY"][:4], row["Month (abbv)"])
                if (
                    row["Region"] == "Southwest Border"
                    and row["Drug Type"] == drug
                    and key in months
                ):
                    pounds += float(row["Sum Qty (lbs)"])
    return pounds * LB


def test_both_demo_nodes_assemble_the_same_edition(demo: Demo) -> None:
    from alianza.analysis.render import report_csv

    us, mx = edition_of(demo.us), edition_of(demo.mx)
    assert us.analysis.available == mx.analysis.available == {"US": True, "MX": True}
    assert us.content_hash == mx.content_hash
    assert report_csv(us.analysis) == report_csv(mx.analysis)
    # the same hash in every language: it is the content that is signed, not the wording
    assert edition_of(demo.mx, "es").content_hash == us.content_hash
    # the MX node's US trend is the US packages, not "—"
    assert mx.analysis.trend[PREVIOUS]["US"] == us.analysis.trend[PREVIOUS]["US"] != {}


def test_edition_names_its_inputs(demo: Demo) -> None:
    from alianza.analysis.render import report_markdown

    edition = edition_of(demo.mx)
    markdown = report_markdown(edition)
    assert edition.analysis.inputs is not None
    listed = edition.analysis.inputs.listed()
    assert {(p.country, p.quarter) for p in listed} >= {("US", QUARTER), ("MX", QUARTER)}
    for package in listed:
        assert package.sha256 in markdown
        assert package.fingerprint in markdown
    fingerprints = {demo.us.keys.identity.fingerprint, demo.mx.keys.identity.fingerprint}
    assert {p.fingerprint for p in listed} == fingerprints
    for name in (*US_FILES, "mx-generated-sample.csv"):
        assert name in markdown


def test_generated_notice_comes_from_stored_provenance(demo: Demo) -> None:
    from alianza.analysis import labels
    from alianza.analysis.render import report_markdown
    from alianza.seizures.sample import PROVENANCE

    assert "GENERATED SAMPLE" not in json.dumps(labels.HEADINGS)  # no fixed sentence
    markdown = report_markdown(edition_of(demo.us))
    assert PROVENANCE in markdown  # the words stored with the MX node's import
    assert "MX-GENERATED-SAMPLE (MX)" in markdown
    # exactly where such data is used: Mexico's generated source, never CBP's files
    from alianza.analysis.tables import provenance_notices

    with demo.us.database.reader() as session:
        analysis = joint_analysis(session, QUARTER, own_country="US", inputs="packages")
    notices = provenance_notices(analysis, "en")
    assert len(notices) == 1
    assert "MX-GENERATED-SAMPLE (MX)" in notices[0]
    # the working view (this node's side from its records) says the same, from the same data
    with demo.mx.database.reader() as session:
        working = joint_analysis(session, QUARTER, own_country="MX", inputs="records")
    assert provenance_notices(working, "en") == notices


def test_air_and_marine_branches_are_listed_unpaired_with_the_reason(demo: Demo) -> None:
    from alianza.analysis.render import report_markdown

    analysis = edition_of(demo.us).analysis
    expected = set()
    with (CBP / "amo-drug-seizures-fy23-fy26-dec.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Region"] == "Southwest Border" and row["FY"].startswith("2026"):
                expected.add(row["Branch"])
    found = {
        analysis.location_names.get(location, location)
        for (country, location), (reason, _f) in analysis.unpaired.items()
        if country == "US" and reason == "air-and-marine"
    }
    assert found == expected != set()
    markdown = report_markdown(edition_of(demo.us, "en"))
    assert "Locations in no corridor, and why" in markdown
    for name in expected:
        assert re.search(
            rf"\| US \| {re.escape(name)} \| Air and Marine Operations branch", markdown
        )


def test_change_on_previous_quarter_matches_the_raw_files(demo: Demo) -> None:
    from alianza.analysis.measures import changes

    analysis = edition_of(demo.us).analysis
    now = raw_kg("Fentanyl", {("2026", m) for m in ("OCT", "NOV", "DEC")})
    before = raw_kg("Fentanyl", {("2025", m) for m in ("JUL", "AUG", "SEP")})
    row = next(c for c in changes(analysis) if (c.drug, c.side) == ("FENTANYL", "US"))
    assert row.kg == pytest.approx(now, rel=1e-6)
    assert row.vs_previous == pytest.approx((now - before) / before * 100, rel=1e-5)
    assert row.vs_year is None  # no package of 2024-Q4: not reported, never 0


def test_docx_has_metadata_marking_page_numbers_and_the_hash(demo: Demo) -> None:
    from docx import Document

    from alianza.analysis.render import report_docx

    edition = edition_of(demo.mx, "es")
    document = Document(io.BytesIO(report_docx(edition)))
    properties = document.core_properties
    assert properties.title.startswith("Análisis conjunto")
    assert properties.author == f"{demo.mx.keys.identity.name} (MX)"
    assert "python-docx" not in (properties.author, properties.last_modified_by)
    assert edition.content_hash in properties.comments
    section = document.sections[0]
    header = " ".join(p.text for p in section.header.paragraphs)
    footer_xml = section.footer._element.xml
    assert "BILATERAL" in header
    assert "BILATERAL" in footer_xml
    assert " PAGE " in footer_xml
    assert " NUMPAGES " in footer_xml
    body = "\n".join(p.text for p in document.paragraphs)
    assert edition.content_hash in body
    assert "Totales por droga y país" in body
    assert "Totals by drug" not in body  # a Spanish edition, not a bilingual one
    english = "\n".join(
        p.text for p in Document(io.BytesIO(report_docx(edition_of(demo.mx, "en")))).paragraphs
    )
    assert "Totals by drug and country" in english
    assert "Totales" not in english


def test_each_side_signs_the_hash_and_the_partner_verifies_it(demo: Demo) -> None:
    from alianza.analysis.signing import (
        EditionSignatureInvalid,
        sign_edition,
        verify_edition_signature,
    )
    from alianza.exchange.service import signing_identities

    us, mx = edition_of(demo.us), edition_of(demo.mx)
    signed = sign_edition(demo.us.keys, quarter=QUARTER, content_hash=us.content_hash)
    with demo.mx.database.reader() as session:
        identities = signing_identities(session, demo.mx.keys.identity)
    signer = verify_edition_signature(signed, identities, content_hash=mx.content_hash)
    assert signer.fingerprint == demo.us.keys.identity.fingerprint
    with pytest.raises(EditionSignatureInvalid):
        verify_edition_signature(signed, identities, content_hash="0" * 64)
    forged = {**signed, "quarter": "2025-Q3"}
    with pytest.raises(EditionSignatureInvalid):
        verify_edition_signature(forged, identities, content_hash=mx.content_hash)


def test_cli_prints_the_same_content_hash_on_both_nodes(demo: Demo) -> None:
    hashes = set()
    for node in (demo.us, demo.mx):
        out = CliRunner().invoke(
            cli,
            ["analysis", "joint", "--quarter", QUARTER, "--format", "csv", "--lang", "es"],
            env={"ALIANZA_HOME": str(node.home.resolve())},
        )
        assert out.exit_code == 0, out.output
        hashes.add(re.findall(r"content hash: ([0-9a-f]{64})", out.stderr)[0])
        rows = list(csv.DictReader(io.StringIO(out.stdout)))
        assert all(
            re.fullmatch(r"[A-Z0-9_]+", r["code_1"]) for r in rows if r["section"] != "trend"
        )
    assert len(hashes) == 1


def test_kilograms_keep_the_precision_the_data_carry() -> None:
    from alianza.analysis.measures import kg_text

    assert kg_text(0.04) == "0.04"
    assert kg_text(3 * 0.04) == "0.12"
    assert kg_text(0.000123) == "0.000123"
    assert kg_text(1234.5678) == "1,234.568"
    assert kg_text(None) == "—"
    assert kg_text(2.0) == "2"


def test_edition_explains_blank_cells_and_dashes(demo: Demo) -> None:
    from alianza.analysis.render import report_markdown

    markdown = report_markdown(edition_of(demo.us, "en"))
    assert "A blank cell" in markdown
    assert "'—'" in markdown


def test_cli_signs_on_one_node_and_verifies_on_the_other(demo: Demo, tmp_path: Path) -> None:
    signature = tmp_path / "us.sig.json"

    def run(node: Node, *args: str, language: str = "en") -> Result:
        env = {"ALIANZA_HOME": str(node.home.resolve()), "ALIANZA_LANGUAGE": language}
        return CliRunner().invoke(cli, list(args), env=env)

    signed = run(demo.us, "analysis", "sign", "--quarter", QUARTER, "-o", str(signature))
    assert signed.exit_code == 0, signed.output
    checked = run(demo.mx, "analysis", "verify", "--quarter", QUARTER, str(signature))
    assert checked.exit_code == 0, checked.output
    assert checked.output.startswith("OK: US node (demo) (US")
    document = json.loads(signature.read_text("utf-8"))
    signature.write_text(json.dumps({**document, "content_hash": "f" * 64}), "utf-8")
    refused = run(demo.mx, "analysis", "verify", "--quarter", QUARTER, str(signature))
    assert refused.exit_code == 1
    assert "the signature is for content ffffffffffffffff…" in refused.output
    spanish = run(
        demo.mx, "analysis", "verify", "--quarter", QUARTER, str(signature), language="es"
    )
    assert spanish.exit_code == 1
    assert "la firma es de otro contenido (ffffffffffffffff…)" in spanish.output
