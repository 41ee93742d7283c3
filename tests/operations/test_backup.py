"""Back up a node with data (seizure import, a received exchange package, audit entries,
keys, a checkpoint), restore it into an empty node, and find the audit chain intact and the
exchange log identical. On SQLite (online backup API) and PostgreSQL (pg_dump/pg_restore)."""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from alianza.actors import NodeSelf
from alianza.audit import AuditEntry
from alianza.cli import cli
from alianza.db import Database
from alianza.exchange.keys import create_node_keys
from alianza.exchange.models import Event, Package
from alianza.exchange.service import build_and_record
from tests.conftest import DATA, postgres_database
from tests.exchange.conftest import COVERAGE, sample_tables


def invoke(home: Path, url: str, *args: str, language: str = "en") -> Result:
    env = {"ALIANZA_DATABASE_URL": url, "ALIANZA_LANGUAGE": language}
    return CliRunner().invoke(cli, ["--home", str(home), *args], env=env)


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def empty_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A second empty database on the same backend, for the restored node."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored' / 'alianza.db'}"
        return
    with postgres_database() as url:
        yield url


def exchange_log(url: str) -> list[tuple[object, ...]]:
    database = Database(url)
    with database.reader() as session:
        events = session.execute(
            select(Event.id, Event.kind, Event.country, Event.quarter, Event.detail).order_by(
                Event.id
            )
        ).all()
        packages = session.execute(
            select(Package.id, Package.direction, Package.sha256).order_by(Package.id)
        ).all()
        audit = session.execute(
            select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id)
        ).all()
    database.dispose()
    return [tuple(row) for row in [*events, *packages, *audit]]


def test_backup_restore_round_trip(database_url: str, empty_url: str, tmp_path: Path) -> None:
    home = tmp_path / "node"
    ok(invoke(home, database_url, "node", "init", "--country", "US", "--name", "US node"))
    seizures = DATA / "seizures" / "unknown-drug.csv"
    imported = invoke(
        home, database_url, "seizures", "import", str(seizures), "--profile", "cbp-nationwide"
    )
    assert imported.exit_code == 3, imported.output  # loaded, two rows quarantined
    # a package from the MX node, received and logged
    mx_home = tmp_path / "mx"
    mx = Database(f"sqlite:///{mx_home / 'alianza.db'}", country="MX")
    mx.migrate()
    mx_keys = create_node_keys(mx_home, name="Nodo MX", country="MX")
    data, _ = build_and_record(
        mx,
        mx_keys,
        quarter="2019-Q1",
        tables=sample_tables("MX", "2019-Q1"),
        coverage=COVERAGE,
        actor=NodeSelf("test"),
    )
    mx.dispose()
    (tmp_path / "mx.json").write_text(json.dumps(mx_keys.identity.document()))
    ok(invoke(home, database_url, "node", "trust", str(tmp_path / "mx.json")))
    package = tmp_path / "mx-2019-Q1.zip"
    package.write_bytes(data)
    ok(invoke(home, database_url, "exchange", "receive", str(package)))
    ok(invoke(home, database_url, "audit", "checkpoint"))
    before = exchange_log(database_url)
    assert any(row[1] == "received" for row in before if len(row) == 5)

    archive = tmp_path / "backup" / "node.tar.gz"
    ok(invoke(home, database_url, "node", "backup", "-o", str(archive)))
    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive) as opened:
        names = set(opened.getnames())
    assert {
        "manifest.json",
        "keys/node-ed25519.pem",
        "keys/node.json",
        "home/audit-checkpoints.jsonl",
    } <= names
    assert ("database/alianza.db" in names) == database_url.startswith("sqlite")

    restored = tmp_path / "restored"
    ok(invoke(restored, empty_url, "node", "restore", str(archive)))
    assert exchange_log(empty_url) == before
    verified = ok(invoke(restored, empty_url, "audit", "verify"))
    assert "audit log intact" in verified
    assert "1 checkpoint(s)" in verified
    assert (restored / "keys" / "node-ed25519.pem").stat().st_mode & 0o777 == 0o600
    own = ok(invoke(home, database_url, "node", "show")).splitlines()[:2]
    assert ok(invoke(restored, empty_url, "node", "show")).splitlines()[:2] == own

    # A second restore into the now non-empty node is refused, with the way out named.
    again = invoke(restored, empty_url, "node", "restore", str(archive))
    assert again.exit_code == 1
    assert "already has" in again.output
    assert "--force" in again.output


def test_restore_refuses_a_tampered_backup(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'node' / 'alianza.db'}"
    ok(invoke(tmp_path / "node", url, "node", "init", "--country", "US", "--name", "US"))
    archive = tmp_path / "node.tar.gz"
    ok(invoke(tmp_path / "node", url, "node", "backup", "-o", str(archive)))
    # Rewrite the archive with one changed byte in the identity file.
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            body = source.extractfile(member)
            assert body is not None
            content = body.read()
            if member.name == "keys/node.json":
                content = content.replace(b'"US"', b'"MX"')
            member.size = len(content)
            target.addfile(member, io.BytesIO(content))
    empty = tmp_path / "empty"
    result = invoke(empty, f"sqlite:///{empty / 'alianza.db'}", "node", "restore", str(tampered))
    assert result.exit_code == 1
    assert "keys/node.json does not match its SHA-256" in result.output
    assert not (empty / "keys").exists()
    spanish = invoke(
        empty, f"sqlite:///{empty / 'alianza.db'}", "node", "restore", str(tampered), language="es"
    )
    assert spanish.exit_code == 1
    assert "keys/node.json no coincide con su SHA-256 del manifiesto" in spanish.output
