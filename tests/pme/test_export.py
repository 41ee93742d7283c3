"""Exports: TSV round-trips (seed and generated reports), JSON follows its schema, and the
readable formats hold the content."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, given, settings

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.pme.document import Report
from alianza.pme.export import ExportFormat, render_report, report_tsv
from alianza.pme.export.json import report_json
from alianza.pme.query import load_plan_report
from alianza.pme.read import read_report, read_report_text
from alianza.pme.service import SEED_REPORT, import_report_file
from tests.pme.strategies import reports

SCHEMA = json.loads(
    (Path(__file__).parents[2] / "docs" / "pme-report.schema.json").read_text("utf-8")
)


def test_export_tsv_of_seed_reimports_to_the_same_data(seeded_db: Database, tmp_path: Path) -> None:
    with seeded_db.reader() as session:
        stored = load_plan_report(session)
    exported = tmp_path / "export.tsv"
    exported.write_text(report_tsv(stored), encoding="utf-8")
    second = Database(f"sqlite:///{tmp_path / 'second.db'}", country="US")
    second.migrate()
    import_report_file(second, exported, actor=NodeSelf("test"))
    with second.reader() as session:
        again = load_plan_report(session)
    second.dispose()
    assert again == stored == read_report(SEED_REPORT).report
    # and importing the export into the first node changes nothing
    assert not import_report_file(seeded_db, exported, actor=NodeSelf("test")).summary.changed


@given(reports())
@settings(max_examples=150, deadline=None)
def test_export_tsv_then_read_is_identity(report: Report) -> None:
    assert read_report_text(report_tsv(report)).report == report


@given(reports())
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_export_tsv_round_trips_through_storage(report: Report) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.tsv"
        path.write_text(report_tsv(report), encoding="utf-8")
        database = Database(f"sqlite:///{Path(folder) / 'a.db'}", country="US")
        database.migrate()
        import_report_file(database, path, actor=NodeSelf("test"))
        with database.reader() as session:
            stored = load_plan_report(session, language=report.language)
        database.dispose()
    assert stored == report


def test_export_json_follows_the_schema_and_the_source(seeded_db: Database, seed_text: str) -> None:
    with seeded_db.reader() as session:
        document = report_json(load_plan_report(session))
    jsonschema.validate(document, SCHEMA)
    point = document["alliance_points"][0]
    assert point["number"] == "10"
    actions = {a["number"]: a for a in point["actions"]}
    assert actions["10.4.1"]["parent"] == "10.4"
    assert actions["10.4"]["parent"] is None
    assert [t["text"] for t in actions["10.4.1"]["targets"]] == [
        "By July 31, 1999, both governments will establish Border Public Safety "
        "subgroups for every BLM."
    ]
    assert actions["10.1"]["baseline"]["as_of"] == "1998-02-01"
    assert [s["as_of"] for s in actions["10.1"]["status"]] == ["1999-08-31"]
    # every status paragraph of the source, tags removed, in order
    source_10_7 = next(line for line in seed_text.splitlines() if line.startswith("<p>10.7."))
    expected = [
        re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<p>(.*?)</p>", source_10_7.split("\t")[4])
    ]
    assert actions["10.7"]["status"][0]["paragraphs"] == expected
    assert actions["10.1"]["text"].startswith("When the Binational Threat Assessment")


def test_export_markdown_and_html_hold_every_action(seeded_db: Database) -> None:
    with seeded_db.reader() as session:
        report = load_plan_report(session)
    markdown = render_report(report, ExportFormat.MD, "Report")
    html = render_report(report, ExportFormat.HTML, "Report")
    for action in report.actions():
        assert f"### {action.number} " in markdown
        assert f'id="action-{action.number}"' in html
    assert "## Alliance Point 10: Enhance cooperation" in markdown
    assert "*Mobile Search*" in markdown
    assert "<i>Mobile Search</i>" in html
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in html
    assert "http" not in html  # self-contained: no external assets


def test_export_html_escapes_markup_it_did_not_make() -> None:
    text = (
        "Alliance Point 1: <b>T</b> & co\nACTION\tBASELINE As of 1 Feb 98\tTARGET\t"
        "MEASUREMENT\tSTATUS As of 1 Jan 99\n1.1 <script>x()</script>\t&lt;img src=x&gt;\t\t\t\n"
    )
    report = read_report_text(text).report
    html = render_report(report, ExportFormat.HTML, "<T>")
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;img src=x&gt;" in html
    assert "<title>&lt;T&gt;</title>" in html
