"""``alianza seizures``: exit codes, reports, template, aggregate; docs list every option;
the packaged CBP copies are the test copies."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from alianza.cli import cli
from alianza.cli.seizures import seizures
from alianza.seizures.public import CBP_DATA, CBP_PUBLIC_FILES
from tests.seizures.conftest import CBP, SEIZURES

DOCS = Path(__file__).resolve().parents[2] / "docs" / "seizures.md"


@pytest.fixture
def run(database_url: str, tmp_path: Path) -> object:
    runner = CliRunner()

    def invoke(*args: str) -> click.testing.Result:
        return runner.invoke(
            cli,
            list(args),
            env={
                "ALIANZA_DATABASE_URL": database_url,
                "ALIANZA_HOME": str(tmp_path),
                "ALIANZA_COUNTRY": "US",
            },
        )

    return invoke


def test_import_command_exit_codes(run: object, tmp_path: Path) -> None:
    invoke = run  # type: ignore[assignment]
    report = tmp_path / "report.json"
    bad = invoke(
        "seizures",
        "import",
        str(SEIZURES / "unknown-drug.csv"),
        "--profile",
        "cbp-nationwide",
        "--report-json",
        str(report),
    )
    assert bad.exit_code == 3, bad.output
    assert "row 3, field 'drug'" in bad.output
    body = json.loads(report.read_text("utf-8"))
    assert [(e["row"], e["field"], e["code"]) for e in body["errors"]] == [
        (3, "drug", "unknown-code"),
        (5, "drug", "unknown-code"),
    ]
    assert body["stats"]["quarantined"] == 2
    nothing = invoke(
        "seizures", "import", str(SEIZURES / "missing-column.csv"), "--profile", "cbp-nationwide"
    )
    assert nothing.exit_code == 2
    good = invoke(
        "seizures",
        "import",
        str(SEIZURES / "canonical-bad-rows-fixed.csv"),
        "--profile",
        "canonical",
        "--lang",
        "es",
    )
    assert good.exit_code == 0, good.output
    strict = invoke(
        "seizures",
        "import",
        str(SEIZURES / "canonical-bad-rows.csv"),
        "--profile",
        "canonical",
        "--strict",
    )
    assert strict.exit_code == 2
    assert "--strict" in strict.output
    unknown = invoke("seizures", "import", str(SEIZURES / "unknown-drug.csv"), "--profile", "nope")
    assert unknown.exit_code == 1
    assert "no profile 'nope'" in unknown.output


def test_aggregate_command_writes_csv_and_json(run: object) -> None:
    invoke = run  # type: ignore[assignment]
    invoke(
        "seizures",
        "import",
        str(CBP / "amo-drug-seizures-fy23-fy26-dec.csv"),
        "--profile",
        "cbp-amo",
    )
    out = invoke("seizures", "aggregate", "--by", "fiscal_year", "--where", "drug=HEROIN")
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.output)))
    expected: dict[str, int] = {}
    with (CBP / "amo-drug-seizures-fy23-fy26-dec.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["Drug Type"] == "Heroin":
                key = "FY" + row["FY"][:4]
                expected[key] = expected.get(key, 0) + int(row["Count of Event"])
    assert {r["fiscal_year"]: int(r["seizures"]) for r in rows} == expected
    as_json = invoke("seizures", "aggregate", "--by", "concealment", "--format", "json")
    assert [r["concealment"] for r in json.loads(as_json.output)["rows"]] == ["NOT_REPORTED"]
    bad = invoke("seizures", "aggregate", "--by", "colour")
    assert bad.exit_code == 1
    assert "unknown dimension" in bad.output


def test_template_command_writes_the_canonical_header(run: object, tmp_path: Path) -> None:
    invoke = run  # type: ignore[assignment]
    out = invoke("seizures", "template")
    assert out.output.splitlines()[0].startswith("source_system,source_record_id,")
    target = tmp_path / "t.csv"
    invoke("seizures", "template", "--example", "-o", str(target))
    assert len(target.read_text("utf-8").splitlines()) == 4


def test_quarantine_profiles_codes_commands(run: object) -> None:
    invoke = run  # type: ignore[assignment]
    invoke("seizures", "import", str(SEIZURES / "unknown-drug.csv"), "--profile", "cbp-nationwide")
    held = invoke("seizures", "quarantine")
    assert "unknown-drug.csv, row 3 [cbp-nationwide]: unknown-code" in held.output
    assert json.loads(invoke("seizures", "quarantine", "--format", "json").output)[0]["row"] == 3
    assert "mx-aseguramientos" in invoke("seizures", "profiles").output
    assert "Marihuana" in invoke("seizures", "codes", "drug", "--lang", "es").output
    assert invoke("seizures", "codes", "colour").exit_code == 1


def test_docs_mention_every_seizures_command_and_option() -> None:
    text = DOCS.read_text("utf-8")
    for name, command in seizures.commands.items():
        assert f"alianza seizures {name}" in text, name
        for param in command.params:
            for option in getattr(param, "opts", []):
                if option.startswith("-"):
                    assert re.search(rf"`[^`]*{re.escape(option)}\b", text), (name, option)


@pytest.mark.parametrize("name", sorted(CBP_PUBLIC_FILES))
def test_packaged_cbp_files_are_the_test_copies(name: str) -> None:
    packaged = gzip.decompress((CBP_DATA / name).read_bytes())
    assert packaged == (CBP / name.removesuffix(".gz")).read_bytes()


def test_import_command_shows_progress_and_keeps_extraction_date(
    run: object, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    import importlib

    from sqlalchemy import select

    from alianza.db import Database
    from alianza.seizures.models import ImportBatch

    command = importlib.import_module("alianza.cli.seizures_commands")
    monkeypatch.setattr(command, "PROGRESS_FROM_BYTES", 1)
    invoke = run  # type: ignore[assignment]
    out = invoke(
        "seizures",
        "import",
        str(CBP / "amo-drug-seizures-fy19-fy22.csv"),
        "--profile",
        "cbp-amo",
        "--extraction-date",
        "2026-03-11",
    )
    assert out.exit_code == 0, out.output
    assert "Importing amo-drug-seizures-fy19-fy22.csv" in out.output
    database = Database(database_url)
    with database.reader() as session:
        dates = session.scalars(select(ImportBatch.extraction_date)).all()
    database.dispose()
    assert [d.isoformat() for d in dates if d] == ["2026-03-11"]
