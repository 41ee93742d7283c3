"""Publication of a published cycle: every format in English and Spanish, read back."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.pme.cycle_publish import publish_cycle
from alianza.pme.cycles import (
    Government,
    PartnerAct,
    approve_cycle,
    enter_status,
    lock_cycle,
    open_cycle,
    submit_cycle,
    waive_approval,
)
from alianza.pme.read import read_report_bytes
from alianza.pme.service import SEED_REPORT, import_report_file
from tests.pme.samples import mx_node_identity, spanish_report

MX_NODE = mx_node_identity()

EN = "Subgroups established in all nine BLMs (See 10.9. Status para 1)."
ES = "Subgrupos establecidos en los nueve MEF."
ONLY_EN = "Quarterly exchanges began in 2000-Q1 (See 10.4. Status para 2)."


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    """A SQLite node with cycle 2000-02 published (10.9's Spanish waived) and rendered."""
    from alianza.pme.publication import write_publication

    folder = tmp_path_factory.mktemp("publication")
    database = Database(f"sqlite:///{folder / 'node.db'}", country="US")
    database.migrate()
    import_report_file(database, SEED_REPORT, actor=NodeSelf("test"))
    with database.transaction() as s:
        open_cycle(
            s, "2000-02", as_of=date(2000, 2, 29), label_en="Status as of 29 Feb 2000",
            label_es="Estado al 29 feb 2000", actor=NodeSelf("sre"),
        )  # fmt: skip
        for lang, text in (("en", EN), ("es", ES)):
            enter_status(
                s, "2000-02", "10.4.1", government=Government.JOINT, language=lang, text=text,
                actor=NodeSelf("cbp"),
            )  # fmt: skip
        enter_status(
            s,
            "2000-02",
            "10.9",
            government=Government.US,
            language="en",
            text=ONLY_EN,
            actor=NodeSelf("cbp"),
        )
        submit_cycle(s, "2000-02", actor=NodeSelf("sre"))
        for gov in (Government.US, Government.MX):
            partner = PartnerAct(MX_NODE, "x") if gov is Government.MX else None
            approve_cycle(
                s,
                "2000-02",
                government=gov,
                language="en",
                actor=NodeSelf("official"),
                partner=partner,
            )
            waive_approval(
                s, "2000-02", government=gov, language="es", reason="ES text next cycle",
                actor=NodeSelf("o"), partner=partner,
            )  # fmt: skip
        lock_cycle(s, "2000-02", actor=NodeSelf("sre"))
        publish_cycle(s, "2000-02", actor=NodeSelf("sre"))
    with database.reader() as s:
        written = write_publication(s, "2000-02", folder / "out")
    database.dispose()
    return folder / "out", [w.path for w in written]


def test_write_publication_writes_every_format_in_both_languages(
    published: tuple[Path, list[Path]],
) -> None:
    _, paths = published
    assert sorted(p.name for p in paths) == sorted(
        ["2000-02.json"]
        + [f"2000-02-{lang}.{ext}" for lang in ("en", "es") for ext in ("tsv", "md", "html")]
        + [f"2000-02-{lang}.{ext}" for lang in ("en", "es") for ext in ("docx", "xlsx")]
        + [f"2000-02-{lang}-timeline.png" for lang in ("en", "es")]
    )
    for path in paths:
        if path.suffix == ".png":
            assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_publication_tsv_reimports_with_the_cycle_status(
    published: tuple[Path, list[Path]],
) -> None:
    folder, _ = published
    report = read_report_bytes((folder / "2000-02-es.tsv").read_bytes(), "es.tsv").report
    action = report.action("10.4.1")
    other = report.action("10.9")
    assert action is not None
    assert other is not None
    (status,) = action.status
    assert status.as_of == date(2000, 2, 29)
    assert [p.text for p in status.paragraphs] == [ES]
    # 10.9 has no Spanish text (waived): shown in English, marked, with its government.
    assert [p.text for p in other.status[0].paragraphs] == [f"Estados Unidos: [EN] {ONLY_EN}"]
    assert len(report.actions()) == 10


def test_publication_docx_has_source_table_and_spanish_status(
    published: tuple[Path, list[Path]],
) -> None:
    folder, _ = published
    document = Document(io.BytesIO((folder / "2000-02-es.docx").read_bytes()))
    report_table = document.tables[0]
    assert [c.text for c in report_table.rows[0].cells] == [
        "ACCIÓN", "LÍNEA BASE Al 1 feb 98", "META", "MEDICIÓN", "ESTADO Al 29 feb 00",
    ]  # fmt: skip
    rows = {r.cells[0].text.split(" ")[0]: r for r in report_table.rows[1:]}
    assert len(rows) == 10
    assert rows["10.4.1"].cells[4].text == ES
    assert rows["10.1"].cells[4].text == "Sin estado informado en este ciclo."
    assert len(document.inline_shapes) == 1  # the timeline chart


def test_publication_xlsx_has_report_scorecard_and_deadlines(
    published: tuple[Path, list[Path]],
) -> None:
    folder, _ = published
    workbook = load_workbook(folder / "2000-02-en.xlsx")
    assert workbook.sheetnames == ["Report", "Scorecard", "Deadlines"]
    report = workbook["Report"]
    assert report.max_row == 11  # header + the seed's 10 actions
    scorecard = list(workbook["Scorecard"].values)
    header, row = scorecard[0], scorecard[1]
    assert header[0] == "Alliance Point"
    assert header[-1] == "Total"
    assert row[0] == "10"
    assert row[-1] == 25
    # As of 2000-02-29 with nothing recorded done: seven targets due 1999-07-31, three due
    # 1999-12-31 and 10.9's quarterly exchange due to start 1999-07-31 are overdue.
    assert row[header.index("Overdue")] == 11
    frozen = json.loads((folder / "2000-02.json").read_text("utf-8"))
    assert frozen["content"]["assessment"]["rollup"]["targets"]["overdue"] == 11


def test_publication_xlsx_in_spanish_names_sheets_and_states_in_spanish(
    published: tuple[Path, list[Path]],
) -> None:
    folder, _ = published
    workbook = load_workbook(folder / "2000-02-es.xlsx")
    assert workbook.sheetnames == ["Informe", "Tablero", "Plazos"]
    header = next(workbook["Tablero"].values)
    assert header[0] == "Punto de Alianza"
    assert header[-1] == "Total"
    assert "Vencida" in header  # the overdue targets' column
    assert next(workbook["Plazos"].values) == ("Meta", "Vence", "Estado")


def test_publication_html_is_self_contained_and_marks_plan_language(
    published: tuple[Path, list[Path]],
) -> None:
    folder, _ = published
    html = (folder / "2000-02-es.html").read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="es">' in html
    assert "@page { size: A4 landscape" in html
    assert "data:image/png;base64," in html
    assert ES in html
    assert "Texto del plan en inglés" in html  # the seed holds no Spanish plan text
    english = (folder / "2000-02-en.html").read_text("utf-8")
    # 10.5's baseline "See 10.4." links to 10.4's row, which carries that id.
    assert '<p id="p-10.5-baseline-1"><a href="#action-10.4">See 10.4.</a>' in english
    assert '<tr id="action-10.4">' in english
    # Cycle status paragraphs link to each other; 10.4 has no status this cycle: unresolved.
    assert '<a href="#p-10.9-status-1">See 10.9. Status para 1</a>' in english
    assert '<p id="p-10.9-status-1">' in english
    assert (
        '<span class="unresolved" title="status of 10.4 has 0 paragraph(s), not 2">'
        "See 10.4. Status para 2</span>"
    ) in english
    markdown = (folder / "2000-02-en.md").read_text("utf-8")
    assert "## Scorecard: targets by schedule state" in markdown


def test_publication_spanish_edition_mixes_translated_and_english_actions(
    seeded_db: Database, tmp_path: Path
) -> None:
    from alianza.pme.publication import build_edition

    spanish = tmp_path / "ap10-es.tsv"
    spanish.write_text(spanish_report("Para el 31 de julio de 1999, establecer subgrupos."))
    import_report_file(seeded_db, spanish, actor=NodeSelf("test"))
    with seeded_db.transaction() as s:
        open_cycle(s, "c", as_of=date(2000, 2, 29), label_en="L", label_es="E", actor=NodeSelf("x"))
        for lang, text in (("es", ES), ("en", EN)):
            enter_status(s, "c", "10.4", government=Government.MX, language=lang, text=text,
                         actor=NodeSelf("node"), partner=PartnerAct(MX_NODE, "x"))  # fmt: skip
        submit_cycle(s, "c", actor=NodeSelf("x"))
        for gov in (Government.US, Government.MX):
            for lang in ("en", "es"):
                partner = PartnerAct(MX_NODE, "x") if gov is Government.MX else None
                approve_cycle(
                    s, "c", government=gov, language=lang, actor=NodeSelf("x"), partner=partner
                )
        lock_cycle(s, "c", actor=NodeSelf("x"))
        publish_cycle(s, "c", actor=NodeSelf("x"))
    with seeded_db.reader() as s:
        edition = build_edition(s, "c", "es")
    actions = {a.number: a for a in edition.report.actions()}
    assert len(actions) == 10
    assert edition.report.alliance_points[0].title.startswith("Mejorar la cooperación")
    assert actions["10.4.1"].targets[0].text == "Para el 31 de julio de 1999, establecer subgrupos."
    assert actions["10.1"].text[0].text.startswith("When the Binational Threat Assessment")
    assert edition.untranslated == ("10.1", "10.2", "10.3", "10.5", "10.6", "10.7", "10.8", "10.9")
    assert [p.text for p in actions["10.4"].status[0].paragraphs] == [f"México: {ES}"]


def test_publication_keeps_plan_text_as_published_after_later_import(
    seeded_db: Database, tmp_path: Path
) -> None:
    from alianza.pme.publication import build_edition

    with seeded_db.transaction() as s:
        open_cycle(s, "c", as_of=date(1999, 8, 31), label_en="L", label_es="E", actor=NodeSelf("x"))
        enter_status(
            s, "c", "10.2", government=Government.US, language="en", text=EN, actor=NodeSelf("x")
        )
        submit_cycle(s, "c", actor=NodeSelf("x"))
        for gov in (Government.US, Government.MX):
            partner = PartnerAct(MX_NODE, "x") if gov is Government.MX else None
            approve_cycle(
                s, "c", government=gov, language="en", actor=NodeSelf("x"), partner=partner
            )
            waive_approval(
                s,
                "c",
                government=gov,
                language="es",
                reason="r",
                actor=NodeSelf("x"),
                partner=partner,
            )
        lock_cycle(s, "c", actor=NodeSelf("x"))
        publish_cycle(s, "c", actor=NodeSelf("x"))
    changed = tmp_path / "changed.tsv"
    changed.write_text(
        SEED_REPORT.read_text("utf-8").replace(
            "Continue and strengthen the BLM mechanisms.", "Replace the BLM mechanisms."
        ),
        "utf-8",
    )
    import_report_file(seeded_db, changed, actor=NodeSelf("test"))
    with seeded_db.reader() as s:
        edition = build_edition(s, "c", "en")
    action = edition.report.action("10.2")
    assert action is not None
    assert action.targets[2].text == "Continue and strengthen the BLM mechanisms."


def test_chart_rows_group_by_alliance_point_past_forty_targets() -> None:
    from alianza.pme.document import Language, Report
    from alianza.pme.publication.chart import chart_rows
    from alianza.pme.publication.content import Edition, TimelineItem

    july, december = date(1999, 7, 31), date(1999, 12, 31)
    items = (
        [TimelineItem(f"1.{n}/targets/1", july, "overdue") for n in range(30)]
        + [TimelineItem(f"2.{n}/targets/1", december, "not_due") for n in range(10)]
        + [TimelineItem("2.99/targets/1", None, "waiting_on_event")]
    )

    def edition(timeline: list[TimelineItem]) -> Edition:
        return Edition(
            "en", "t", "l", date(1999, 8, 31), Report(Language.EN, ()), (), [], timeline, "", ""
        )

    assert chart_rows(edition(items)) == [
        ("Alliance Point 1", [(july, "overdue", 30)]),
        ("Alliance Point 2", [(december, "not_due", 10), (None, "waiting_on_event", 1)]),
    ]
    few = chart_rows(edition(items[:3]))
    assert few == [(f"1.{n}/targets/1", [(july, "overdue", 1)]) for n in range(3)]


@pytest.mark.parametrize(
    ("formats", "english", "spanish"),
    [
        (("md", "pdf"), "unknown format(s) ['pdf']; use tsv, md, html, docx, xlsx, png, json",
         "formato desconocido ['pdf']; use tsv, md, html, docx, xlsx, png, json"),
        (("rtf", "pdf"),
         "unknown format(s) ['pdf', 'rtf']; use tsv, md, html, docx, xlsx, png, json",
         "formatos desconocidos ['pdf', 'rtf']; use tsv, md, html, docx, xlsx, png, json"),
    ],
)  # fmt: skip
def test_an_unknown_format_is_refused_in_english_and_spanish_before_anything_is_written(
    seeded_db: Database, tmp_path: Path, formats: tuple[str, ...], english: str, spanish: str
) -> None:
    from alianza.catalogue import in_language, message_of
    from alianza.pme.publication import write_publication

    with seeded_db.reader() as session, pytest.raises(ValueError, match="unknown") as refused:
        write_publication(session, "2000-02", tmp_path / "out", formats=formats)
    assert str(refused.value) == english
    assert in_language(message_of(refused.value), "es") == spanish
    assert not (tmp_path / "out").exists()
