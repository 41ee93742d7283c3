"""The node and exchange commands, end to end on two homes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from alianza.actors import NodeSelf
from alianza.cli import cli
from alianza.db import Database
from alianza.exchange.keys import load_node_keys
from alianza.exchange.service import build_and_record
from tests.exchange.conftest import COVERAGE, sample_tables


def test_cli_nodes_trust_each_other_and_exchange_a_file(tmp_path: Path) -> None:
    runner = CliRunner()
    us, mx = tmp_path / "us", tmp_path / "mx"

    def run(home: Path, *args: str) -> str:
        result = runner.invoke(cli, ["--home", str(home), *args])
        assert result.exit_code == 0, result.output
        return result.output

    run(us, "node", "init", "--country", "US", "--name", "US node")
    run(mx, "node", "init", "--country", "MX", "--name", "Nodo MX")
    assert (us / "keys" / "node-ed25519.pem").stat().st_mode & 0o777 == 0o600
    run(us, "node", "export-key", "-o", str(tmp_path / "us.json"))
    run(mx, "node", "export-key", "-o", str(tmp_path / "mx.json"))
    assert "trusting 'Nodo MX' (MX)" in run(us, "node", "trust", str(tmp_path / "mx.json"))
    run(mx, "node", "trust", str(tmp_path / "us.json"))
    assert "Nodo MX (MX) trusted" in run(us, "node", "show")

    database = Database(f"sqlite:///{us / 'alianza.db'}")
    data, _ = build_and_record(
        database,
        load_node_keys(us),
        quarter="2019-Q1",
        tables=sample_tables("US", "2019-Q1"),
        coverage=COVERAGE,
        actor=NodeSelf("test"),
    )
    database.dispose()
    package = tmp_path / "us-2019-Q1.zip"
    package.write_bytes(data)
    assert "verified and loaded" in run(mx, "exchange", "receive", str(package))
    assert "already received" in run(mx, "exchange", "receive", str(package))
    status = run(mx, "exchange", "status", "--today", "2019-04-30")
    assert "inbound   US  2019-Q1" in status

    tampered = tmp_path / "tampered.zip"
    tampered.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    refused = runner.invoke(cli, ["--home", str(mx), "exchange", "receive", str(tampered)])
    assert refused.exit_code == 2
    assert "refused, nothing was written" in refused.output


def test_cli_trusting_own_key_is_refused(tmp_path: Path) -> None:
    runner = CliRunner()
    home = tmp_path / "us"
    runner.invoke(cli, ["--home", str(home), "node", "init", "--country", "US", "--name", "U"])
    runner.invoke(cli, ["--home", str(home), "node", "export-key", "-o", str(tmp_path / "k.json")])
    result = runner.invoke(cli, ["--home", str(home), "node", "trust", str(tmp_path / "k.json")])
    assert result.exit_code == 1
    assert "own key" in result.output


def test_cli_send_goes_only_to_a_registered_https_partner(tmp_path: Path) -> None:
    """Issue 15: `exchange send --to` took any address, plain http:// to a remote included."""
    runner = CliRunner()
    us, mx = tmp_path / "us", tmp_path / "mx"

    def run(home: Path, *args: str, code: int = 0) -> str:
        result = runner.invoke(cli, ["--home", str(home), *args])
        assert result.exit_code == code, result.output
        return result.output

    run(us, "node", "init", "--country", "US", "--name", "US node")
    run(mx, "node", "init", "--country", "MX", "--name", "Nodo MX")
    run(mx, "node", "export-key", "-o", str(tmp_path / "mx.json"))
    refused = run(
        us, "node", "trust", str(tmp_path / "mx.json"), "--url", "http://mx.example", code=1
    )
    assert "plain http:// is refused" in refused
    run(us, "node", "trust", str(tmp_path / "mx.json"))
    assert "Nodo MX (MX) trusted" in run(us, "node", "show")
    assert "no endpoint" in run(us, "node", "show")
    package = tmp_path / "p.zip"
    package.write_bytes(b"not sent anywhere")
    assert "no registered partner endpoint" in run(us, "exchange", "send", str(package), code=1)
    assert "endpoint https://mx.example" in run(
        us, "node", "set-url", "Nodo MX", "https://mx.example/"
    )
    elsewhere = run(us, "exchange", "send", str(package), "--to", "https://evil.example", code=1)
    assert "is not the registered endpoint of a trusted partner" in elsewhere
    plain = run(us, "exchange", "send", str(package), "--to", "http://mx.example", code=1)
    assert "plain http:// is refused" in plain
    loopback = run(us, "node", "set-url", "Nodo MX", "http://127.0.0.1:9")
    assert "endpoint http://127.0.0.1:9" in loopback
    unreachable = run(us, "exchange", "send", str(package), "--attempts", "1", code=1)
    assert "could not reach the partner's node" in unreachable
    assert "127.0.0.1:9" not in unreachable
