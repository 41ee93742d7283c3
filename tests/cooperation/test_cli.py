"""``alianza coop`` and ``alianza pme measures``, run in-process on an embedded node."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from alianza.cli import cli
from alianza.pme.service import SEED_REPORT


def run(node: Path, *args: str) -> Result:
    return CliRunner().invoke(
        cli,
        ["--home", str(node), *args],
        env={"ALIANZA_DATABASE_URL": "", "ALIANZA_COUNTRY": "US"},
        catch_exceptions=False,
    )


def prepared(tmp_path: Path) -> Path:
    node = tmp_path / "node"
    assert run(node, "pme", "import", str(SEED_REPORT)).exit_code == 0
    result = run(node, "coop", "load-facts", "--by", "test")
    assert result.exit_code == 0, result.output
    return node


def test_measures_json_reproduces_1999_subgroup_status(tmp_path: Path) -> None:
    node = prepared(tmp_path)
    result = run(node, "pme", "measures", "--as-of", "1999-08-31", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    by_address = {m["measurement"]: m for m in data["measures"]}
    subgroups = by_address["10.4.1/measurements/1"]
    assert (subgroups["value"], subgroups["target_value"]) == (8, "9 of 9")
    assert (subgroups["due"], subgroups["state"]) == ("1999-07-31", "overdue")
    assert len(subgroups["records"]) == 9 + 8  # the nine BLMs and the eight subgroups


def test_add_mechanism_then_measure_turns_met_late(tmp_path: Path) -> None:
    node = prepared(tmp_path)
    result = run(
        node,
        *("coop", "add-mechanism", "bps-del-rio-ciudad-acuna", "--kind", "subgroup"),
        *("--parent", "blm-del-rio-ciudad-acuna", "--topic", "border-public-safety"),
        *("--name", "BPS Del Rio", "--formed-on", "1999-10-15", "--source", "minutes"),
    )
    assert result.exit_code == 0, result.output
    text = run(node, "pme", "measures", "--as-of", "1999-10-15").output
    block = text.split("10.4.1/measurements/1")[1].split("records:")[0]
    assert "9 of 9" in block
    assert "met on 1999-10-15 -> met_late" in block


def test_add_meeting_refuses_unknown_level_with_one_line(tmp_path: Path) -> None:
    node = prepared(tmp_path)
    result = run(
        node,
        *("coop", "add-meeting", "hlcg", "--held-on", "1999-11-10"),
        *("--participant", "MX:fed", "--source", "x"),
    )
    assert result.exit_code == 1
    assert "unknown level of government 'fed'" in result.output


def test_complete_deliverable_records_event_shown_by_pme_events(tmp_path: Path) -> None:
    node = prepared(tmp_path)
    result = run(node, "coop", "complete", "bta-update", "2000-02-15", "--by", "test")
    assert result.exit_code == 0, result.output
    events = run(node, "pme", "events", "list").output
    assert "completion-update-binational-threat-assessment" in events
    assert "2000-02-15" in events


def test_bind_and_list_records(tmp_path: Path) -> None:
    node = prepared(tmp_path)
    result = run(
        node,
        *("coop", "bind", "10.4/measurements/4", "--measure", "meetings"),
        *("--param", "kind=blm", "--target", "10.4/targets/3"),
    )
    assert result.exit_code == 0, result.output
    assert "10.4/measurements/4" in run(node, "coop", "bindings").output
    listed = json.loads(run(node, "coop", "list", "liaison-post", "--format", "json").output)
    # The US node's own post only (the USCS attaché); Mexico's SHCP offices are on the MX node.
    assert [(p["city"], p["held_as"]) for p in listed] == [("Mexico City", "US")]
    mechanisms = json.loads(run(node, "coop", "list", "mechanism", "--format", "json").output)
    assert {m["held_as"] for m in mechanisms} == {"binational"}


def test_incidents_import_exit_code_and_analysis_json(tmp_path: Path) -> None:
    node = tmp_path / "node"
    defects = Path(__file__).parents[1] / "data" / "cooperation" / "incidents-defects.csv"
    report = tmp_path / "report.json"
    result = run(node, "coop", "incidents", "import", str(defects), "--report-json", str(report))
    assert result.exit_code == 3
    stats = json.loads(report.read_text("utf-8"))["stats"]
    assert (stats["loaded"], stats["quarantined"]) == (2, 8)  # Mexico's rows: on the MX node
    cells = json.loads(run(node, "coop", "incidents", "analysis", "--format", "json").output)
    assert [(c["region"], c["quarter"], c["total"]) for c in cells] == [
        ("San Diego", "1999-Q1", 1),
        ("Tucson", "1999-Q3", 1),
    ]
