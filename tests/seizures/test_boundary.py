"""A node imports its own country's records only (issue 14): a row reporting the other country
is a row error ``foreign-reporting-country`` naming file, row and field, in both languages."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from alianza.actors import NodeSelf
from alianza.cli import cli
from alianza.db import Database
from alianza.node import NodeCountryUnknown
from alianza.seizures.aggregate import aggregate
from alianza.seizures.service import import_file
from alianza.seizures.template import EXAMPLE_ROWS, template_columns


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=template_columns())
        writer.writeheader()
        writer.writerows(rows)
    return path


def mixed_file(tmp_path: Path) -> Path:
    """The three US example rows, then a fourth, national-only one reporting MX (file row 5)."""
    foreign = {
        **EXAMPLE_ROWS[2],
        "source_record_id": "MX-0001",
        "reporting_country": "MX",
        "reporting_agency": "FGR",
        "location_type": "CHECKPOINT_MX",
        "port_code": "",
    }
    return write_rows(tmp_path / "mixed.csv", [*map(dict, EXAMPLE_ROWS), foreign])


@pytest.mark.parametrize("engine", ["rows", "auto"])
def test_import_refuses_rows_of_another_reporting_country(
    fresh_db: Database, tmp_path: Path, engine: str
) -> None:
    outcome = import_file(
        fresh_db, mixed_file(tmp_path), "canonical", actor=NodeSelf("t"), engine=engine
    )
    report = outcome.report
    found = [(i.row, i.field, i.code) for i in report.errors]
    assert found == [(5, "reporting_country", "foreign-reporting-country")]
    issue = report.errors[0]
    assert issue.message.startswith("this node is the US node; the row reports MX")
    assert issue.message_es.startswith("este nodo es el nodo de EE. UU.; la fila reporta MX")
    assert (report.loaded, report.quarantined) == (3, 1)
    with fresh_db.reader() as session:
        totals = aggregate(session, ["country"]).rows()
    assert [(r["country"], r["seizures"]) for r in totals] == [("US", 2)]


def test_import_on_a_node_without_country_is_refused(database_url: str, tmp_path: Path) -> None:
    database = Database(database_url)
    database.migrate()
    try:
        with pytest.raises(NodeCountryUnknown, match="alianza node init --country"):
            import_file(database, mixed_file(tmp_path), "canonical", actor=NodeSelf("t"))
    finally:
        database.dispose()


def test_cli_import_names_file_row_and_field_of_a_foreign_row(
    database_url: str, tmp_path: Path
) -> None:
    """Finding of issue 14: an MX row entered US totals through a US-node import."""
    report = tmp_path / "report.json"
    env = {
        "ALIANZA_DATABASE_URL": database_url,
        "ALIANZA_HOME": str(tmp_path / "home"),
        "ALIANZA_COUNTRY": "US",
    }
    out = CliRunner().invoke(
        cli,
        [
            "seizures",
            "import",
            str(mixed_file(tmp_path)),
            "--profile",
            "canonical",
            "--report-json",
            str(report),
        ],
        env=env,
    )
    assert out.exit_code == 3, out.output
    assert "mixed.csv" in out.output
    assert "row 5, field 'reporting_country'" in out.output
    assert "this node is the US node; the row reports MX" in out.output
    body = json.loads(report.read_text("utf-8"))
    assert [(e["row"], e["field"], e["code"]) for e in body["errors"]] == [
        (5, "reporting_country", "foreign-reporting-country")
    ]
