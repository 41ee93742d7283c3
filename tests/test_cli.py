"""The command line, run in-process on a node in a temporary folder."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from alianza.cli import COMMANDS, cli
from alianza.cli.lazy import LazyGroup
from alianza.pme.service import SEED_REPORT
from tests.conftest import DATA

Invoke = Callable[..., Result]
SOURCES = str(Path(__file__).resolve().parents[1] / "src")


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
    # issue 17: the edition's scorecard is `pme assess` as of the cycle's date, on each node
    published = _targets(editions[0]["content"]["assessment"])
    posts = published["10.4/targets/1"]["from_records"]["measures"]  # each government's side
    assert [m["government"] for m in posts] == ["MX", "US"]
    for node in ("us", "mx"):
        assessed = runner.invoke(
            cli,
            ["--home", str(folder / node), "pme", "assess", "--as-of", "2000-02-29",
             "--format", "json"],
        )  # fmt: skip
        assert assessed.exit_code == 0, assessed.output
        live = _targets(json.loads(assessed.output))
        assert live == published, node
        _measures_agree_with_assess(runner, folder / node, node.upper(), live)
        _web_scorecard_is_assess(folder / node, "viewer" if node == "us" else "lector-mx", live)


def _measures_agree_with_assess(
    runner: CliRunner, home: Path, country: str, live: dict[str, Any]
) -> None:
    """Issue 17: every measure `pme measures` computes for a target is the same measure of
    this node's side (or the binational one) in `pme assess` as of the same date."""
    measured = runner.invoke(
        cli,
        ["--home", str(home), "pme", "measures", "--as-of", "2000-02-29", "--format", "json"],
    )
    assert measured.exit_code == 0, measured.output
    bound = [m for m in json.loads(measured.output)["measures"] if m["target"]]
    assert len(bound) >= 10  # the demo binds most of its measures to targets
    for measure in bound:
        side = [
            (found["state"], found["display"])
            for found in live[measure["target"]]["from_records"]["measures"]
            if found["measurement"] == measure["measurement"]
            and found["government"] in (country, "binational")
        ]
        assert side == [(measure["state"], measure["display"])], (country, measure)


def _web_scorecard_is_assess(home: Path, username: str, live: dict[str, Any]) -> None:
    """Issue 17: the scorecard a signed-in user gets from the node's API is `pme assess`."""
    from fastapi.testclient import TestClient

    from alianza.settings import load_settings
    from alianza.web import create_app
    from tests.web.conftest import log_in

    app = create_app(load_settings(home=home, database_url=None, env="development"))
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as client:
        log_in(client, username, "alianza-demo-2026")
        answer = client.get("/api/v1/pme/assessment", params={"as_of": "2000-02-29"})
        assert answer.status_code == 200, answer.text
        assert _targets(answer.json()) == live, username


def _targets(assessment: dict[str, Any]) -> dict[str, Any]:
    """Address → a scorecard's target, without the (node-local) ids of the records behind a
    measure: the edition holds their count."""
    found = {}
    for point in assessment["alliance_points"]:
        for action in point["actions"]:
            for target in action["targets"]:
                for measure in (target["from_records"] or {}).get("measures", []):
                    measure.pop("records")
                found[target["address"]] = target
    return found


def lazy_groups(group: click.Group, path: str = "alianza") -> list[tuple[str, LazyGroup]]:
    """``group`` and every lazy group below it (importing them all), with their command paths."""
    found: list[tuple[str, LazyGroup]] = [(path, group)] if isinstance(group, LazyGroup) else []
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            found += lazy_groups(command, f"{path} {name}")
    return found


def test_lazy_helps_are_each_commands_own() -> None:
    """``alianza --help`` (and ``alianza pme --help``) print one-line helps written in the
    groups' tables (to import nothing): they must say what each command's own docstring
    says, under the name it is listed by."""
    groups = lazy_groups(cli)
    assert [path for path, _ in groups][:1] == ["alianza"]
    assert "alianza pme" in [path for path, _ in groups]
    for path, group in groups:
        for name, (module, attribute, written) in group.lazy.items():
            command = getattr(importlib.import_module(module), attribute)
            assert isinstance(command, click.Command), f"{path} {name}"
            assert command.name == name, f"{path} {name}"
            assert command.get_short_help_str(10_000) == written, f"{path} {name}"
            assert name not in group.commands, f"{path} {name}: listed twice"


def test_a_lazy_group_lists_its_commands_as_click_would() -> None:
    """Below the root, a lazy group's ``--help`` lists its commands exactly as a plain click
    group holding the imported commands does (long helps cut with "..." to the width)."""
    for path, group in lazy_groups(cli)[1:]:
        context = click.Context(group)
        eager = click.Group(
            group.name,
            commands=[group.get_command(context, name) for name in group.list_commands(context)],
        )
        for width in (80, 100, 200):
            lazy_text, eager_text = click.HelpFormatter(width), click.HelpFormatter(width)
            group.format_commands(context, lazy_text)
            eager.format_commands(click.Context(eager), eager_text)
            assert lazy_text.getvalue() == eager_text.getvalue(), f"{path} at width {width}"


def reachable(command: click.Command) -> list[click.Command]:
    """``command`` and every command below it (importing lazy groups' commands)."""
    found = [command]
    if isinstance(command, click.Group):
        context = click.Context(command)
        for name in command.list_commands(context):
            below = command.get_command(context, name)
            assert below is not None
            found += reachable(below)
    return found


def test_every_command_written_is_in_a_table_or_a_group() -> None:
    """A command module's command that no table lists (and no group holds) would never run:
    every click command written in ``alianza.cli`` is reachable from ``alianza``."""
    import pkgutil

    import alianza.cli

    listed = {id(command) for command in reachable(cli)}
    for module_info in pkgutil.iter_modules(alianza.cli.__path__, "alianza.cli."):
        module = importlib.import_module(module_info.name)
        for attribute, value in vars(module).items():
            written_here = getattr(value, "callback", None) is not None and (
                value.callback.__module__ == module.__name__
            )
            if isinstance(value, click.Command) and written_here:
                assert id(value) in listed, f"{module.__name__}.{attribute} is listed nowhere"


HEAVY = (
    "sqlalchemy",
    "alembic",
    "openpyxl",
    "fastapi",
    "pydantic",
    "numpy",
    "pandas",
    "lightgbm",
    "argon2",
)


def loaded_by(*arguments: str) -> list[str]:
    """The heavy libraries a fresh ``alianza ARGUMENTS`` process has loaded when it ends."""
    probe = (
        "import atexit, sys\n"
        f"heavy = {HEAVY!r}\n"
        "atexit.register(lambda: print(sorted(m for m in heavy if m in sys.modules)))\n"
        "sys.argv = ['alianza', *sys.argv[1:]]\n"
        "from alianza.cli import main\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *arguments],
        env={**os.environ, "PYTHONPATH": SOURCES},
        capture_output=True,
        text=True,
        check=True,
    )
    loaded: list[str] = eval(result.stdout.strip().splitlines()[-1])
    return loaded


def test_help_and_version_load_no_heavy_library() -> None:
    """``alianza --help`` and ``--version`` start at once (issue 18):
    neither the database (SQLAlchemy, Alembic) nor the settings (pydantic), the web framework
    or a file format library."""
    assert loaded_by("--help") == []
    assert loaded_by("--version") == []


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_groups_help_loads_no_heavy_library(name: str) -> None:
    """``alianza GROUP --help`` (``serve --help`` and ``demo --help`` too) imports the group's
    table, not its commands' libraries (issue 18)."""
    assert loaded_by(name, "--help") == []


def test_a_read_command_loads_what_it_needs_only(tmp_path: Path) -> None:
    """``alianza pme show`` on an up-to-date node reads with SQLAlchemy, without Alembic
    (no migration to run), spreadsheets, the web framework or pydantic (the settings are a
    plain dataclass); the import before it, on a
    fresh node, migrates with Alembic."""
    home = tmp_path / "node"
    assert "alembic" in loaded_by("--home", str(home), "pme", "import", str(SEED_REPORT))
    loaded = loaded_by("--home", str(home), "pme", "show", "10.4.1")
    assert "sqlalchemy" in loaded
    assert [m for m in loaded if m in ("alembic", "openpyxl", "fastapi", "numpy", "pydantic")] == []


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
