"""The /analysis page as the joint edition (issue 20): the same figures as the downloaded
document, the content hash, the scope and its provenance, each government's signature of the
edition (the partner's arriving as a signed cycle message), and the downloads in every format
and language. The web node is US; the MX node's keys sign its package and its signature.
Expected figures come from the tables the partner signed, summed here."""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

from sqlalchemy import select

from alianza.analysis.cosign import KIND
from alianza.analysis.models import EditionSignatureRow
from alianza.analysis.signing import sign_edition
from alianza.codes import code_list
from alianza.pme.cycle_envelope import seal
from alianza.pme.cycle_outbox import all_messages
from alianza.pme.cycle_transport import ENDPOINT
from tests.conftest import DATA
from tests.exchange.conftest import sample_tables
from tests.web.conftest import csrf_of, log_in
from tests.web.test_exchange_pages import QUARTER, Nodes, mx_package, nodes, section, upload

__all__ = ["nodes"]  # the fixture


def rows_of(table: str) -> list[list[str]]:
    """The body rows of an HTML table, as text cells."""
    body = table.split("<tbody>", 1)[1]
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(
            r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]  # fmt: skip


def markdown_rows(markdown: str, heading: str) -> list[list[str]]:
    """The rows of the Markdown table under ``## heading``."""
    part = markdown.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in part.splitlines() if line.startswith("|")][2:]
    return [[c.strip() for c in line.strip("|").split(" | ")] for line in lines]


def kg_text(kg: float) -> str:
    """Kilograms as the issue asks: to the gram (below 1 kg, to the milligram)."""
    return f"{kg:,.{6 if kg < 1 else 3}f}".rstrip("0").rstrip(".")


def test_page_shows_the_figures_and_hash_of_the_document(nodes: Nodes) -> None:
    tables = sample_tables("MX", QUARTER, seed=3)
    log_in(nodes.client, "analyst")
    assert upload(nodes.client, mx_package(nodes.mx, tables)) == 303
    page = nodes.client.get(f"/analysis?quarter={QUARTER}").text
    download = nodes.client.get(f"/analysis/download?quarter={QUARTER}&format=md&lang=en")
    assert download.status_code == 200
    digest = re.search(r'<code id="content-hash">([0-9a-f]{64})</code>', page)
    assert digest
    assert digest.group(1) == download.headers["X-Content-Hash"]
    for table_id, heading in (
        ("totals", "Totals by drug and country"),
        ("trend_drug", "Trend by drug, last eight quarters"),
        ("changes", "Shares and change on the previous quarter and a year before"),
        ("ranking", "Transport methods and concealments ranked by drug (the 10.9 question)"),
        ("corridors", "By border corridor (paired ports side by side)"),
    ):
        assert rows_of(section(page, table_id)) == markdown_rows(download.text, heading), table_id
    # a figure summed from what the partner signed, to the gram (the old page: one decimal)
    fentanyl = sum(
        o.value or 0 for o in tables["totals"] if (o.drug, o.measure) == ("FENTANYL", "AMOUNT_KG")
    )
    [row] = [r for r in rows_of(section(page, "totals")) if r[0] == "Fentanyl"]
    assert row[5] == kg_text(fentanyl)
    # a trend chart per drug, each on its own scale (not one chart of all drugs summed)
    for drug in ("MARIJUANA", "FENTANYL", "HEROIN"):
        assert f'aria-labelledby="chart-trend-{drug}-title' in page
    assert 'id="chart-trend-title' not in page
    # the releasability marking of the document, above and below
    assert page.count("BILATERAL — releasable to the United States and Mexico only") == 2
    # in Spanish, the charts' labels too (the issue: tick labels were English only)
    road = code_list("transport_mode").codes["ROAD"]
    nodes.client.cookies.set("lang", "es")
    spanish = nodes.client.get(f"/analysis?quarter={QUARTER}").text
    transport = spanish.split('id="chart-transport"', 1)[1].split("</svg>", 1)[0]
    assert road.label_es in transport
    assert road.label_en not in transport
    assert "BILATERAL — divulgable solo a Estados Unidos y México" in spanish


def test_page_says_the_scope_and_its_provenance(nodes: Nodes) -> None:
    data = mx_package(nodes.mx, sample_tables("MX", QUARTER, seed=3))
    log_in(nodes.client, "analyst")
    assert upload(nodes.client, data) == 303
    page = nodes.client.get(f"/analysis?quarter={QUARTER}").text
    scope = page.split('<section id="scope"', 1)[1].split("</section>", 1)[0]
    assert "Southwest border, every component (Air and Marine Operations included)" in scope
    assert "<code>southwest-border-all</code>" in scope
    assert "<code>mx-northern-border</code>" in scope
    [package] = rows_of(section(scope, "inputs"))
    assert package[:3] == ["MX", QUARTER, "1"]
    assert package[3] == hashlib.sha256(data).hexdigest()
    assert package[4] == nodes.mx.identity.fingerprint
    # this node built no package: the page says the edition lacks its side, and how to fix it
    assert 'id="no-own-package"' in page
    nodes.client.cookies.set("lang", "es")
    spanish = nodes.client.get(f"/analysis?quarter={QUARTER}").text
    assert "Frontera suroeste, todos los componentes" in spanish
    assert "Ámbito y procedencia" in spanish


def test_downloads_in_every_format_and_language_are_the_page_edition(nodes: Nodes) -> None:
    log_in(nodes.client, "analyst")
    assert upload(nodes.client, mx_package(nodes.mx, sample_tables("MX", QUARTER))) == 303
    page = nodes.client.get(f"/analysis?quarter={QUARTER}").text
    digest = re.search(r'<code id="content-hash">([0-9a-f]{64})</code>', page)
    assert digest
    links = re.findall(r'href="(/analysis/download\?[^"]+)"', page)
    assert len(links) == 15  # five formats × English, Spanish, bilingual
    for link in links:
        response = nodes.client.get(html.unescape(link))
        assert response.status_code == 200, link
        assert response.headers["X-Content-Hash"] == digest.group(1)
    spanish = nodes.client.get(f"/analysis/download?quarter={QUARTER}&format=md&lang=es").text
    assert "Totales por droga y país" in spanish
    assert "Totals by drug" not in spanish


def build_own_package(nodes: Nodes, tmp_path: Path) -> None:
    """One bilateral US seizure in the quarter, imported, and this node's package built."""
    from alianza.actors import NodeSelf
    from alianza.seizures.service import import_file

    header = (DATA / "seizures" / "canonical-bad-rows-fixed.csv").read_text().splitlines()[0]
    row = (
        "TEST-SYS,E1,US,CBP-OFO,,2019-02-01,POE_LAND_VEHICLE,2504,SAN DIEGO FIELD OFFICE,,,,"
        "NORTHBOUND,ROAD,POV,,SPARE_TIRE,,CANINE,VALIDATED,BILATERAL,Methamphetamine,,"
        "POWDER,10,KG,"
    )
    path = tmp_path / "one.csv"
    path.write_text(f"{header}\n{row}\n")
    assert import_file(nodes.database, path, "canonical", actor=NodeSelf("test")).report.loaded == 1
    response = nodes.client.post(
        "/exchange/build",
        data={"csrf_token": csrf_of(nodes.client, "/exchange"), "quarter": QUARTER},
    )
    assert response.status_code == 303, response.text


def test_page_shows_each_governments_signature_of_the_edition(nodes: Nodes, tmp_path: Path) -> None:
    log_in(nodes.client, "admin")
    assert upload(nodes.client, mx_package(nodes.mx, sample_tables("MX", QUARTER))) == 303
    build_own_package(nodes, tmp_path)
    page = nodes.client.get(f"/analysis?quarter={QUARTER}").text
    assert rows_of(section(page, "signatures")) == [
        ["United States", "not signed yet", "", "", ""],
        ["Mexico", "not signed yet", "", "", ""],
    ]
    digest = re.search(r'<code id="content-hash">([0-9a-f]{64})</code>', page)
    assert digest
    assert 'id="sign-form"' in page
    # the downloads say so too (issue 20): DOCX, HTML and Markdown, English and Spanish
    for language, lines in (
        ("en", ["Not yet signed by United States", "Not yet signed by Mexico"]),
        ("es", ["Aún sin la firma de Estados Unidos", "Aún sin la firma de México"]),
    ):
        for text, hash_header in downloaded(nodes, language):
            assert hash_header == digest.group(1)
            assert all(line in text for line in lines), (language, text[-800:])
    response = nodes.client.post(
        "/analysis/sign",
        data={"csrf_token": csrf_of(nodes.client, f"/analysis?quarter={QUARTER}"),
              "quarter": QUARTER},
    )  # fmt: skip
    assert response.status_code == 303
    with nodes.database.reader() as session:
        [message] = all_messages(session)
    assert (message.kind, message.destination) == (KIND, "MX")
    assert message.payload["signature"]["content_hash"] == digest.group(1)

    # Mexico's node signs the same edition; its signature arrives as a signed cycle message
    signature = sign_edition(nodes.mx, quarter=QUARTER, content_hash=digest.group(1))
    body = seal(
        nodes.mx,
        message_id="00000000-0000-0000-0000-0000000000a1",
        seq=1,
        destination="US",
        kind=KIND,
        payload={"by": "eva", "quarter": QUARTER, "signature": signature},
        created_at="2019-04-20T00:00:00+00:00",
    )
    tampered = json.loads(body)
    tampered["message"] = tampered["message"].replace(QUARTER, "2019-Q2")
    refused = nodes.client.post(ENDPOINT, content=json.dumps(tampered).encode())
    assert refused.status_code == 403
    arrived = nodes.client.post(ENDPOINT, content=body)
    assert arrived.status_code == 200, arrived.text
    assert arrived.json()["outcome"] == "applied"

    page = nodes.client.get(f"/analysis?quarter={QUARTER}").text
    us, mx = rows_of(section(page, "signatures"))
    assert us[:2] == ["United States", "✓ signed this edition"]
    assert us[2].startswith(f"US node (test) {nodes.us.identity.fingerprint[:16]}")
    assert us[4] == "signed on this node"
    assert mx[:2] == ["Mexico", "✓ signed this edition"]
    assert mx[2].startswith(f"Nodo MX (test) {nodes.mx.identity.fingerprint[:16]}")
    assert mx[4] == "signed cycle message from the partner node"
    assert 'id="signed-by-both"' in page
    assert 'id="sign-form"' not in page
    assert f'<code id="content-hash">{digest.group(1)}</code>' in page  # the hash, unchanged

    # each download names both signers (node, key fingerprint, when), and its content hash is
    # the one they signed, as before they signed: the signatures are not part of the content
    with nodes.database.reader() as session:
        at = {
            row.country: row.at.strftime("%Y-%m-%d %H:%M UTC")
            for row in session.scalars(select(EditionSignatureRow))
        }
    us_fp, mx_fp = nodes.us.identity.fingerprint, nodes.mx.identity.fingerprint
    expected = {
        "en": [
            f"Signed by United States: node US node (test), key fingerprint {us_fp}, {at['US']}",
            f"Signed by Mexico: node Nodo MX (test), key fingerprint {mx_fp}, {at['MX']}",
        ],
        "es": [
            f"Firmado por Estados Unidos: nodo US node (test), huella de la clave {us_fp}, "
            f"{at['US']}",
            f"Firmado por México: nodo Nodo MX (test), huella de la clave {mx_fp}, {at['MX']}",
        ],
    }
    for language, lines in expected.items():
        for text, hash_header in downloaded(nodes, language):
            assert hash_header == digest.group(1)
            assert all(line in text for line in lines), (language, text[-800:])
            assert "Not yet signed" not in text
            assert "Aún sin la firma" not in text
    for text, _ in downloaded(nodes, "both"):  # bilingual: each line in English, then Spanish
        assert f"{expected['en'][0]} / {expected['es'][0]}" in text
        assert f"{expected['en'][1]} / {expected['es'][1]}" in text


def downloaded(nodes: Nodes, language: str) -> list[tuple[str, str]]:
    """The Markdown, HTML (unescaped) and DOCX (its paragraphs) editions' text, each with
    the content hash its response names."""
    import io

    from docx import Document

    found = []
    for fmt in ("md", "html", "docx"):
        response = nodes.client.get(
            f"/analysis/download?quarter={QUARTER}&format={fmt}&lang={language}"
        )
        assert response.status_code == 200
        if fmt == "docx":
            words = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
        else:
            words = html.unescape(response.text)
        found.append((words, response.headers["X-Content-Hash"]))
    return found
