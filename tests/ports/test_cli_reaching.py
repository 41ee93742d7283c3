"""Issue 22 from the command line: typed channels, ending an entry, truthful states and port
times with their zone."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from alianza.cli import cli
from tests.ports.test_cli_liaison import run


def add(node: Path, country: str, position: str, role: str, *channels: str) -> str:
    args = ["ports", "contact", "add", "--port", "2504", "--country", country, "--position",
            position, "--role", role, "--name", f"{country} {role}"]  # fmt: skip
    for channel in channels:
        args += ["--channel", channel]
    result = run(node, *args)
    assert result.exit_code == 0, result.output
    return result.output.split()[1].rstrip(":")


def test_states_zones_and_ended_entries_on_the_command_line(tmp_path: Path) -> None:
    us, mx, channel = tmp_path / "us", tmp_path / "mx", tmp_path / "channel"
    add(us, "US", "1", "duty-officer", "radio=ch 4")
    supervisor = add(mx, "MX", "1", "supervisor", "email=sup@example.org", "sms=+52 664 555 0102")
    add(mx, "MX", "9", "liaison-officer", "webhook=https://hooks.example.org/mx")
    bad = ["--home", str(mx), "ports", "contact", "add", "--port", "2504", "--country", "MX",
           "--position", "2", "--role", "supervisor", "--name", "x",
           "--channel", "email=nobody"]  # fmt: skip
    said = {
        language: CliRunner().invoke(
            cli, bad, env={"ALIANZA_DATABASE_URL": "", "ALIANZA_LANGUAGE": language}
        )
        for language in ("en", "es")
    }
    assert said["en"].exit_code != 0
    assert said["en"].output == "Error: channel email: 'nobody' is not name@domain\n"
    assert said["es"].exit_code != 0  # the same refusal, in the user's language (catalogue)
    assert said["es"].output == "Error: canal email: 'nobody' no es nombre@dominio\n"
    sent = run(us, "ports", "alert", "send", "--port", "2504", "--from", "US", "--template",
               "security-incident", "--field", "location=lane 4", "--severity", "critical",
               "--priority", "urgent", "--request")  # fmt: skip
    assert sent.exit_code == 0, sent.output
    listed = run(us, "ports", "alert", "list").output
    assert " queued " in listed
    assert "critical" in listed
    assert " PST" in listed or " PDT" in listed  # San Ysidro's time, with its zone
    run(us, "ports", "outbox", "send", str(channel))
    # written to a folder for a courier: not at the partner yet, so still queued
    assert " queued " in run(us, "ports", "alert", "list").output
    run(mx, "ports", "inbox", "receive", str(channel / "MX"))
    assert " delivered " in run(mx, "ports", "alert", "list").output
    ended = run(mx, "ports", "contact", "end", supervisor, "--by", "admin")
    assert ended.exit_code == 0, ended.output
    directory = run(mx, "ports", "contact", "list", "--port", "2504").output
    assert "[ended" in directory
    assert "by admin]" in directory
    assert "America/Los_Angeles" in directory
