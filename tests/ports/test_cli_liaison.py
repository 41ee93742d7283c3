"""The 10.6 commands, run in-process on two embedded nodes exchanging message files."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner, Result

from alianza.cli import cli
from alianza.db import Database
from alianza.liaison.lease import hold_lease, release_lease


def run(node: Path, *args: str) -> Result:
    return CliRunner().invoke(
        cli, ["--home", str(node), *args], env={"ALIANZA_DATABASE_URL": ""}, catch_exceptions=False
    )


def test_cli_alert_round_trip_between_two_nodes(tmp_path: Path) -> None:
    us, mx, channel = tmp_path / "us", tmp_path / "mx", tmp_path / "channel"
    for node, country in ((us, "US"), (mx, "MX")):
        result = run(
            node,
            "ports",
            "contact",
            "add",
            "--port",
            "San Ysidro",
            "--country",
            country,
            "--position",
            "1",
            "--role",
            "duty-officer",
            "--name",
            f"{country} officer",
            "--channel",
            "radio=ch 4",
        )
        assert result.exit_code == 0, result.output
    assert "MX #1 duty-officer" in run(mx, "ports", "contact", "list", "--port", "2504").output
    sent = run(
        us,
        "ports",
        "alert",
        "send",
        "--port",
        "2504",
        "--from",
        "US",
        "--template",
        "lane-closure",
        "--field",
        "lanes=3",
        "--field",
        "until=18:00",
        "--nominal",
        "name=Jane Roe",
    )
    assert sent.exit_code == 0, sent.output
    alert_id = sent.output.split()[1]
    assert "1 delivered" in run(us, "ports", "outbox", "send", str(channel)).output
    assert "1 applied" in run(mx, "ports", "inbox", "receive", str(channel / "MX")).output
    assert (
        "0 applied, 1 already held"
        in run(mx, "ports", "inbox", "receive", str(channel / "MX")).output
    )
    listed = run(mx, "ports", "alert", "list", "--lang", "es")
    assert "3 carril(es) cerrado(s) hasta 18:00" in listed.output
    assert "acknowledged" in run(mx, "ports", "alert", "ack", alert_id, "--by", "mx").output
    run(mx, "ports", "outbox", "send", str(channel))
    run(us, "ports", "inbox", "receive", str(channel / "US"))
    assert "acknowledged" in run(us, "ports", "alert", "list").output
    exported = run(us, "ports", "alert", "export").output
    assert "Jane Roe" not in exported
    assert json.loads(exported)[0]["nominal_details_withheld"] == ["name"]
    measured = json.loads(run(mx, "ports", "measures", "--json").output)
    assert measured[0]["alerts_acknowledged"] == 1
    assert (
        "0 alert(s) escalated"
        in run(mx, "ports", "alert", "escalate", "--country", "MX", "--after-minutes", "5").output
    )
    drill = run(
        us,
        "ports",
        "drill",
        "schedule",
        "--port",
        "2504",
        "--at",
        "2026-12-01T16:00",
        "--channel",
        "radio",
    )
    assert drill.exit_code == 0, drill.output
    recorded = run(
        us, "ports", "drill", "record", "1", "--passed", "--seconds", "30", "--notes", "clear"
    )
    assert "passed" in recorded.output
    bad = run(
        us, "ports", "alert", "send", "--port", "2504", "--from", "US", "--template", "port-runner"
    )
    assert bad.exit_code == 1
    assert "needs lane, vehicle" in bad.output


def test_outbox_send_leaves_delivery_to_the_loop_holding_the_lease(tmp_path: Path) -> None:
    us, channel = tmp_path / "us", tmp_path / "channel"
    sent = run(us, "ports", "alert", "send", "--port", "2504", "--from", "US", "--template",
               "security-incident", "--field", "location=lane 2")  # fmt: skip
    assert sent.exit_code == 0, sent.output
    database = Database(f"sqlite:///{us / 'alianza.db'}")
    now = datetime.now(UTC)
    assert hold_lease(database, "serving-worker", now=now)  # alianza serve's loop, say
    refused = run(us, "ports", "outbox", "send", str(channel))
    assert "nothing sent: a running delivery loop" in refused.output
    assert not (channel / "MX").exists()
    release_lease(database, "serving-worker", now=now)  # it stopped
    assert "1 delivered" in run(us, "ports", "outbox", "send", str(channel)).output
    assert len(list((channel / "MX").glob("*.json"))) == 1
    assert hold_lease(database, "serving-worker", now=datetime.now(UTC))  # the pass let go
    database.dispose()
