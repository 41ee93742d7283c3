"""The deployment files: compose.yaml, the Dockerfile, the systemd unit.

No container runtime or systemd runs in the test environment, so these check what can be checked
without one: the compose file's structure, that every ALIANZA_* variable they set is a real
setting, that the commands they run parse with the real command line, and (where
systemd-analyze exists) that the unit verifies. The images themselves are not built here.
"""

from __future__ import annotations

import dataclasses
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from sqlalchemy.engine import make_url

from alianza.cli import cli
from alianza.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT_ONLY = {
    "ALIANZA_NODE_COUNTRY",
    "ALIANZA_NODE_NAME",
    "ALIANZA_DB_PASSWORD",
    "ALIANZA_SITE",
}
SETTINGS = {
    f"ALIANZA_{name.upper()}" for name in (each.name for each in dataclasses.fields(Settings))
}


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text("utf-8"))
    return data


def parses(argv: list[str]) -> None:
    """``alianza ARGS`` parses with the real command line (without running the command)."""
    assert argv[0].endswith("alianza"), argv
    group = cli.make_context("alianza", [*argv[1:2], "--help"], resilient_parsing=True)
    command = cli.get_command(group, argv[1])
    assert command is not None, argv
    if isinstance(command, click.Group):
        command = command.get_command(group, argv[2])
        assert command is not None, argv
        argv = argv[1:]
    command.make_context(argv[1], argv[2:])


def test_parses_rejects_unknown_options() -> None:
    with pytest.raises(click.UsageError):
        parses(["alianza", "serve", "--no-such-option"])
    with pytest.raises(click.UsageError):
        parses(["alianza", "db", "upgrade", "--no-such-option"])


def test_compose_runs_node_on_postgresql_behind_tls_proxy() -> None:
    services = compose()["services"]
    assert set(services) == {"db", "node", "proxy"}
    node = services["node"]
    url = node["environment"]["ALIANZA_DATABASE_URL"].replace("${ALIANZA_DB_PASSWORD:?}", "pw")
    parsed = make_url(url)
    assert (parsed.get_backend_name(), parsed.host, parsed.database) == (
        "postgresql",
        "db",
        "alianza",
    )
    assert "ports" not in node  # reached only through the proxy
    assert node["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["proxy"]["depends_on"]["node"]["condition"] == "service_healthy"
    assert "443:443" in services["proxy"]["ports"]
    caddyfile = ROOT / "deploy" / "Caddyfile"
    assert (
        f"./{caddyfile.relative_to(ROOT)}:/etc/caddy/Caddyfile:ro" in services["proxy"]["volumes"]
    )
    text = caddyfile.read_text("utf-8")
    assert "reverse_proxy node:8000" in text
    assert "tls " in text
    assert "respond /metrics 404" in text


def test_deployment_files_set_only_real_settings() -> None:
    texts = [
        (ROOT / name).read_text("utf-8")
        for name in (
            "compose.yaml",
            "Dockerfile",
            "deploy/alianza.service",
            "deploy/compose.env.example",
        )
    ]
    used = set(re.findall(r"\bALIANZA_[A-Z_]+\b", "\n".join(texts)))
    assert used - SETTINGS - ENTRYPOINT_ONLY == set()
    assert {"ALIANZA_DATABASE_URL", "ALIANZA_SECRET_KEY", "ALIANZA_KEYS_DIR"} <= used


def test_dockerfile_command_and_unit_commands_parse() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text("utf-8")
    [cmd] = re.findall(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)
    parses(yaml.safe_load(cmd))
    assert re.search(r"^USER alianza$", dockerfile, re.MULTILINE)
    assert "HEALTHCHECK" in dockerfile
    assert "/healthz" in dockerfile
    assert "--require-hashes -r /tmp/main.lock" in dockerfile
    unit = (ROOT / "deploy" / "alianza.service").read_text("utf-8")
    for line in re.findall(r"^Exec\w+=(.*)$", unit, re.MULTILINE):
        parses(shlex.split(line))


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_unit_verifies(tmp_path: Path) -> None:
    executable = Path(sys.executable).parent / "alianza"
    if not executable.exists():
        pytest.skip("the alianza script is not installed next to this Python")
    unit = (ROOT / "deploy" / "alianza.service").read_text("utf-8")
    copy = tmp_path / "alianza.service"
    copy.write_text(unit.replace("/opt/alianza/bin/alianza", str(executable)), "utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "alianza.service" not in result.stderr, result.stderr  # no warning about the unit


def test_entrypoint_is_executable_posix_shell() -> None:
    script = ROOT / "deploy" / "docker-entrypoint.sh"
    assert script.stat().st_mode & 0o111
    result = subprocess.run(["sh", "-n", str(script)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
