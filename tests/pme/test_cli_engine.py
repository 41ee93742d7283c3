"""The engine's commands on a fresh embedded node, and their documentation."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from alianza.actors import NodeSelf
from alianza.cli import cli
from alianza.cli.pme_engine import ENGINE_COMMANDS
from alianza.db import open_database
from alianza.pme.cycles import PartnerAct, record_partner_approval
from alianza.pme.service import SEED_REPORT
from alianza.settings import load_settings
from tests.pme.samples import mx_node_identity

DOCS = Path(__file__).resolve().parents[2] / "docs" / "pme-engine.md"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh embedded node holding the seed (whatever ALIANZA_DATABASE_URL says)."""
    monkeypatch.delenv("ALIANZA_DATABASE_URL", raising=False)
    monkeypatch.setenv("ALIANZA_COUNTRY", "US")  # a US node without keys
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "pme", "import", str(SEED_REPORT)])
    assert result.exit_code == 0, result.output
    return tmp_path


def run(home: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--home", str(home), "pme", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_assess_json_shows_seed_states(home: Path) -> None:
    data = json.loads(run(home, "assess", "--as-of", "1999-08-31", "--format", "json"))
    targets = {
        t["address"]: t["state"]
        for point in data["alliance_points"]
        for action in point["actions"]
        for t in action["targets"]
    }
    assert targets["10.4.1/targets/1"] == "overdue"
    assert targets["10.1/targets/1"] == "waiting_on_event"


def test_cli_event_record_then_judge_changes_assessment(home: Path) -> None:
    out = run(home, "events", "record", "10.1/targets/1", "2000-03-15", "--by", "hlcg")
    assert "now gives a due date to: 10.1/targets/1" in out
    run(
        home,
        *("judge", "10.1/targets/1", "--as-of", "2000-09-01", "--completion", "done"),
        *("--justification", "Joint analysis delivered", "--by", "coordinator-us"),
    )
    data = json.loads(run(home, "assess", "--as-of", "2000-09-30", "--format", "json"))
    (target,) = [
        t
        for action in data["alliance_points"][0]["actions"]
        for t in action["targets"]
        if t["address"] == "10.1/targets/1"
    ]
    assert (target["state"], target["due"], target["completion"]) == (
        "met_on_time",
        "2000-09-15",
        "done",
    )


def test_cli_deadlines_correct_then_history(home: Path) -> None:
    run(
        home,
        *("deadlines", "correct", "10.2/targets/2", "--kind", "month", "--due", "1999-12-31"),
        *("--reason", "HLCG agreement", "--by", "coordinator-mx"),
    )
    history = run(home, "deadlines", "history", "10.2/targets/2")
    assert "corrected" in history
    assert "HLCG agreement" in history


def test_cli_deadlines_correct_refuses_missing_due_with_one_line(home: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            *("--home", str(home), "pme", "deadlines", "correct", "10.2/targets/2"),
            *("--kind", "absolute", "--reason", "r"),
        ],
    )
    assert result.exit_code == 1
    assert "needs a due date" in result.output


def test_cli_references_unresolved_lists_other_alliance_points(home: Path) -> None:
    data = json.loads(run(home, "references", "--unresolved", "--format", "json"))
    assert [r["to"] for r in data] == [
        "alliance-point/4",
        "alliance-point/11",
        "alliance-point/11",
        "14.4",
    ]


def _commands() -> list[tuple[str, click.Command]]:
    found = []
    for command in ENGINE_COMMANDS:
        if isinstance(command, click.Group):
            found += [(f"{command.name} {n}", c) for n, c in command.commands.items()]
        else:
            found.append((str(command.name), command))
    return found


@pytest.mark.parametrize(("name", "command"), _commands(), ids=lambda v: str(v))
def test_docs_name_every_engine_command_and_option(name: str, command: click.Command) -> None:
    docs = DOCS.read_text(encoding="utf-8")
    assert f"alianza pme {name}" in docs
    for param in command.params:
        if isinstance(param, click.Option):
            assert any(opt in docs for opt in param.opts), f"{name}: {param.opts} not documented"


def test_cli_cycle_from_open_to_publish_then_diff(home: Path) -> None:
    for key in ("2000-02", "2000-08"):
        run(
            home,
            *("cycle", "open", key, "--as-of", f"{key}-01", "--label", f"Status {key}"),
            *("--label-es", f"Estado {key}", "--by", "sre"),
        )
    run(home, "cycle", "enter", "2000-02", "10.9", "--gov", "US", "--lang", "en", "--text", "A")
    run(home, "cycle", "enter", "2000-02", "10.9", "--gov", "US", "--lang", "es", "--text", "Á")
    run(home, "cycle", "submit", "2000-02")
    refused = CliRunner().invoke(
        cli, ["--home", str(home), "pme", "cycle", "approve", "2000-02", "--gov", "MX",
              "--lang", "en", "--by", "anyone"],
    )  # fmt: skip
    assert refused.exit_code == 1
    assert "this node is the US node" in refused.output
    database = open_database(load_settings(home=home))  # Mexico's approvals, as its messages
    with database.transaction() as session:
        for lang in ("en", "es"):
            record_partner_approval(
                session,
                "2000-02",
                partner=PartnerAct(mx_node_identity(), "sre"),
                language=lang,
                actor=NodeSelf("node"),
            )
    database.dispose()
    for lang in ("en", "es"):
        out = run(home, "cycle", "approve", "2000-02", "--gov", "US", "--lang", lang)
    assert "approved; approvals still missing: none" in out
    run(home, "cycle", "lock", "2000-02")
    assert "sha256" in run(home, "cycle", "publish", "2000-02")
    run(home, "cycle", "enter", "2000-08", "10.9", "--gov", "US", "--lang", "en", "--text", "B")
    changes = json.loads(run(home, "diff", "2000-02", "2000-08", "--format", "json"))
    assert changes == [
        {"kind": "changed", "address": "10.9/US/1/en", "before": "A", "after": "B"},
        {"kind": "removed", "address": "10.9/US/1/es", "before": "Á", "after": None},
    ]
    listing = run(home, "cycle", "list")
    assert "2000-02      2000-02-01  published" in listing


def test_cli_deadlines_correct_refuses_a_bad_offset_in_spanish(home: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            *("--home", str(home), "pme", "deadlines", "correct", "10.1/targets/1"),
            *("--kind", "relative", "--event", "x", "--offset", "6M", "--reason", "r"),
        ],
        env={"ALIANZA_LANGUAGE": "es"},
    )
    assert result.exit_code == 1
    assert "'6M' no es un periodo como 'P6M', 'P30D', 'P2W' o 'P1Y'" in result.output
