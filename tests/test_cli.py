"""The command line, run in-process on a node in a temporary folder."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from alianza.cli import cli
from alianza.pme.service import SEED_REPORT
from tests.conftest import DATA

Invoke = Callable[..., Result]


@pytest.fixture
def run(tmp_path: Path) -> Invoke:
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, ["--home", str(tmp_path / "node"), *args], catch_exceptions=False)

    return invoke


def test_cli_import_show_export_seed(run: Invoke, tmp_path: Path) -> None:
    result = run("pme", "import", str(SEED_REPORT))
    assert result.exit_code == 0, result.output
    assert "10 action(s)" in result.output
    again = run("pme", "import", str(SEED_REPORT))
    assert "nothing changed" in again.output

    shown = run("pme", "show", "10.4.1")
    assert shown.exit_code == 0
    assert "By July 31, 1999, both governments will establish" in shown.output
    assert "sub-action of 10.4" in shown.output

    paragraph = run("pme", "show", "10.2/status/5")
    assert "eight of the nine BLMs" in paragraph.output

    output = tmp_path / "report.json"
    exported = run("pme", "export", "--format", "json", "-o", str(output))
    assert exported.exit_code == 0
    document = json.loads(output.read_text("utf-8"))
    assert len(document["alliance_points"][0]["actions"]) == 10


def test_cli_import_malformed_file_exits_2_naming_the_line(run: Invoke) -> None:
    path = DATA / "pme" / "bad-as-of-date.tsv"
    result = run("pme", "import", str(path))
    assert result.exit_code == 2
    assert f"{path}, line 3" in result.output
    assert "nothing was written" in result.output
    assert "[bad-as-of-date]" in result.output
    listing = run("pme", "show")
    assert listing.exit_code == 1
    assert "no plan 'binational-drug-strategy' is loaded" in listing.output


def test_cli_show_unknown_action_lists_the_known_ones(run: Invoke) -> None:
    run("pme", "import", str(SEED_REPORT))
    result = run("pme", "show", "10.12")
    assert result.exit_code == 1
    assert "no action 10.12" in result.output
    assert "10.4.1" in result.output


def test_cli_db_status_and_audit_verify(run: Invoke) -> None:
    run("pme", "import", str(SEED_REPORT))
    status = run("db", "status")
    assert "up to date" in status.output
    verified = run("audit", "verify")
    assert verified.exit_code == 0
    assert "audit log intact: 1 entries" in verified.output


def test_cli_demo_builds_two_fresh_nodes_each_with_its_own_records(tmp_path: Path) -> None:
    """``alianza demo --no-serve``: a US node and a MX node, each holding only its own
    government's records and accounts; what the US node knows of Mexico is the MX package."""
    import sqlite3

    runner = CliRunner()
    folder = tmp_path / "demo"
    (folder).mkdir()
    (folder / "stale.txt").write_text("from an earlier run")
    result = runner.invoke(
        cli, ["demo", "--dir", str(folder), "--no-serve"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert not (folder / "stale.txt").exists()
    for suffix in ("tsv", "md", "html", "json"):
        assert (folder / "us" / "exports" / f"alliance-point-10.{suffix}").stat().st_size > 1000
    assert "nothing changed" in result.output

    def rows(node: str, query: str) -> list[tuple[object, ...]]:
        with sqlite3.connect(folder / node / "alianza.db") as connection:
            return connection.execute(query).fetchall()

    for node, country in (("us", "US"), ("mx", "MX")):
        identity = json.loads((folder / node / "keys" / "node.json").read_text())
        assert identity["country"] == country
        countries = "SELECT DISTINCT {} FROM {} ORDER BY 1"
        assert rows(node, countries.format("country", "account_user")) == [(country,)]
        assert rows(node, countries.format("reporting_country", "seizure_event")) in (
            [(country,)],
            [],  # CBP's public files are aggregates, not events
        )
        assert rows(node, countries.format("reporting_country", "seizure_aggregate")) in (
            [(country,)],
            [],
        )
        # each received the other's signed package for the quarter
        partner = "MX" if country == "US" else "US"
        inbound = rows(
            node, "SELECT country, quarter FROM exchange_package WHERE direction='inbound'"
        )
        quarters = [f"{year}-Q{n}" for year in (2024, 2025) for n in range(1, 5)]
        assert sorted(inbound) == [(partner, quarter) for quarter in quarters]
    assert rows("mx", "SELECT count(*) FROM seizure_event")[0][0] == 4000
    assert rows("us", "SELECT count(*) FROM seizure_aggregate")[0][0] > 20000
    assert "US → MX" in result.output
    assert "MX → US" in result.output
    assert "the same content hash on both nodes" in result.output
    # each government signed the joint edition; the signatures crossed as cycle messages
    assert "signatures of the edition on the US node: US (own), MX (message)" in result.output
    assert "signatures of the edition on the MX node: US (message), MX (own)" in result.output
    # the reporting cycle across the two nodes: one edition, the same hash, both signatures
    editions = [
        json.loads((folder / node / "publication-2000-02" / "2000-02.json").read_text("utf-8"))
        for node in ("us", "mx")
    ]
    assert editions[0]["sha256"] == editions[1]["sha256"]
    assert editions[0]["content"] == editions[1]["content"]
    for edition in editions:
        assert [s["country"] for s in edition["signatures"]] == ["US", "MX"]
    verified = runner.invoke(
        cli,
        ["--home", str(folder / "us"), "pme", "cycle", "verify",
         str(folder / "mx" / "publication-2000-02" / "2000-02.json")],
    )  # fmt: skip
    assert verified.exit_code == 0, verified.output


def test_top_level_help_is_each_commands_own() -> None:
    """``alianza --help`` prints one-line helps written in COMMANDS (to import nothing): they
    must say what each command's own docstring says."""
    import click

    from alianza.cli import COMMANDS

    context = click.Context(cli)
    for name, (_module, _attribute, written) in COMMANDS.items():
        command = cli.get_command(context, name)
        assert command is not None, name
        assert command.name == name
        assert command.get_short_help_str(10_000) == written, name


def test_help_and_a_plain_command_do_not_load_the_web_framework(tmp_path: Path) -> None:
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from alianza.cli import cli\n"
        "for args in (['--help'], ['--home', sys.argv[1], 'db', 'status']):\n"
        "    result = CliRunner().invoke(cli, args)\n"
        "    assert result.exit_code == 0, result.output\n"
        "heavy = ('fastapi', 'lightgbm', 'docx', 'openpyxl')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "node")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "[]"
