"""Back up and restore a whole node: database, keys and the files of its home folder.

A backup is one ``.tar.gz`` holding ``manifest.json`` (format, Alianza version, backend, schema
revisions, the SHA-256 of every other member) and:

- ``database/alianza.db``: SQLite, copied with SQLite's online backup API (consistent while
  the node runs), or ``database/alianza.pgdump``: PostgreSQL, ``pg_dump --format=custom``;
- ``keys/…``: the node's key folder (``ALIANZA_HOME/keys``);
- ``home/…``: every other file of the home folder (audit checkpoints, uploads).

:func:`restore_node` refuses a node that already has a database, keys or files unless forced,
checks every hash before writing anything, restores (``pg_restore`` into the configured
PostgreSQL database), then migrates the schema if the backup came from an older version.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.engine import URL

from alianza import __version__
from alianza.catalogue import declare
from alianza.db import Database
from alianza.db import migrate as migrations
from alianza.db.engine import parse_url
from alianza.exchange.keys import keys_folder
from alianza.settings import Settings

BACKUP_KIND = "alianza-node-backup"
BACKUP_FORMAT = 1
SQLITE_MEMBER = "database/alianza.db"
POSTGRES_MEMBER = "database/alianza.pgdump"
# Files of the home folder that are the database itself (saved through the database, not copied),
# and the writers' lock file, which holds no data (alianza.db.write_turn).
SQLITE_FILES = (
    "alianza.db",
    "alianza.db-wal",
    "alianza.db-shm",
    "alianza.db-journal",
    "alianza.db.write-lock",
)


class BackupError(RuntimeError):
    """The backup or restore cannot go on; the message says why and what to do."""


NOT_A_BACKUP = declare("backup.not-a-backup", "not an Alianza node backup (manifest kind/format)")
NOT_INSTALLED = declare(
    "backup.not-installed",
    "{command} is not installed: install the PostgreSQL client of the server's major version"
    " (Debian: postgresql-client) and put it on PATH",
)
COMMAND_FAILED = declare("backup.command-failed", "{command} failed ({code}): {reason}")
IN_MEMORY = declare("backup.in-memory", "an in-memory SQLite database cannot be backed up")
NO_MANIFEST = declare("backup.no-manifest", "not an Alianza node backup: manifest.json missing")
UNSAFE_MEMBER = declare("backup.unsafe-member", "unsafe member in the archive: {name!r}")
FILES_DIFFER = declare(
    "backup.files-differ",
    "{path}: the archive's files do not match its manifest (extra: {extra}, missing: {missing})",
)
NOT_READABLE = declare("backup.not-readable", "{path}: not a readable backup ({error})")
SHA_DIFFERS = declare(
    "backup.sha-differs", "{path}: {name} does not match its SHA-256 in the manifest"
)
OTHER_BACKEND = declare(
    "backup.other-backend",
    "the backup holds a {held} database but ALIANZA_DATABASE_URL is {backend}: restore into a"
    " node on {held}",
)
NOT_EMPTY = declare(
    "backup.not-empty",
    "the node at {home} already has {occupied}: restore into an empty node, or add --force to"
    " replace it",
)


@dataclass(frozen=True)
class Manifest:
    backend: str
    revisions: list[str]
    files: dict[str, str]  # member name → SHA-256
    alianza_version: str
    created_at: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": BACKUP_KIND,
            "format": BACKUP_FORMAT,
            "alianza_version": self.alianza_version,
            "created_at": self.created_at,
            "backend": self.backend,
            "revisions": self.revisions,
            "files": self.files,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        if data.get("kind") != BACKUP_KIND or data.get("format") != BACKUP_FORMAT:
            raise BackupError(NOT_A_BACKUP.said())
        return cls(
            backend=data["backend"],
            revisions=list(data["revisions"]),
            files=dict(data["files"]),
            alianza_version=data["alianza_version"],
            created_at=data["created_at"],
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def libpq_environment(url: URL) -> dict[str, str]:
    """``PG*`` variables for pg_dump / pg_restore: the password stays out of the process list."""
    values = {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password if isinstance(url.password, str) else None,
        "PGDATABASE": url.database,
    }
    return {**os.environ, **{k: v for k, v in values.items() if v}}


def _run(command: list[str], url: URL) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(NOT_INSTALLED.said(command=command[0]))
    result = subprocess.run(
        command, env=libpq_environment(url), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        reason = " ".join(result.stderr.split())[:500]
        raise BackupError(
            COMMAND_FAILED.said(command=command[0], code=result.returncode, reason=reason)
        )


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError(IN_MEMORY.said())
    return Path(url.database)


def _home_files(home: Path, keys: Path) -> list[Path]:
    if not home.is_dir():
        return []
    found = []
    for path in sorted(home.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        if path.parent == home and path.name in SQLITE_FILES:
            continue
        if path.is_relative_to(keys):
            continue
        found.append(path)
    return found


def backup_node(settings: Settings, database: Database, output: Path) -> Manifest:
    """Write a backup of the node to ``output`` (``.tar.gz``)."""
    url = parse_url(settings.effective_database_url)
    keys = keys_folder(settings)
    with database.reader() as session:
        revisions = sorted(migrations.current_revisions(session.connection()))
    with tempfile.TemporaryDirectory(prefix="alianza-backup-") as scratch:
        members: dict[str, Path] = {}
        if database.is_sqlite:
            copy = Path(scratch) / "alianza.db"
            source = sqlite3.connect(_sqlite_path(url))
            target = sqlite3.connect(copy)
            try:
                source.backup(target)  # the online backup API: consistent while others write
            finally:
                target.close()
                source.close()
            members[SQLITE_MEMBER] = copy
        else:
            dump = Path(scratch) / "alianza.pgdump"
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "-f", str(dump)],
                url,
            )
            members[POSTGRES_MEMBER] = dump
        if keys.is_dir():
            for path in sorted(keys.rglob("*")):
                if path.is_file():
                    members[f"keys/{path.relative_to(keys).as_posix()}"] = path
        for path in _home_files(settings.home, keys):
            members[f"home/{path.relative_to(settings.home).as_posix()}"] = path
        manifest = Manifest(
            backend="sqlite" if database.is_sqlite else "postgresql",
            revisions=revisions,
            files={name: _sha256(path) for name, path in members.items()},
            alianza_version=__version__,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            body = json.dumps(manifest.as_dict(), indent=2).encode("utf-8")
            info = tarfile.TarInfo("manifest.json")
            info.size = len(body)
            info.mtime = int(datetime.now(UTC).timestamp())
            archive.addfile(info, io.BytesIO(body))
            for name, path in members.items():
                archive.add(path, arcname=name, recursive=False)
        os.chmod(partial, 0o600)  # it holds the node's private key
        partial.replace(output)
    return manifest


def read_manifest(archive: tarfile.TarFile) -> Manifest:
    try:
        member = archive.extractfile("manifest.json")
    except KeyError:
        raise BackupError(NO_MANIFEST.said()) from None
    assert member is not None
    return Manifest.from_dict(json.loads(member.read()))


def _extract(archive: tarfile.TarFile, into: Path) -> None:
    """Extract regular files and folders with relative paths inside ``into``; anything else
    (links, devices, absolute or ``..`` paths) is refused. Python 3.11.4+ also applies
    tarfile's ``data`` filter; Debian 12's Python 3.11.2 has no ``filter`` argument."""
    for member in archive.getmembers():
        parts = Path(member.name).parts
        if not (member.isfile() or member.isdir()) or member.name.startswith("/") or ".." in parts:
            raise BackupError(UNSAFE_MEMBER.said(name=member.name))
    if hasattr(tarfile, "data_filter"):
        archive.extractall(into, filter="data")
    else:  # checked above
        archive.extractall(into)


def _unpack_verified(path: Path, into: Path) -> Manifest:
    """Extract the archive into ``into`` and check every member against the manifest."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            manifest = read_manifest(archive)
            names = {m.name for m in archive.getmembers() if m.isfile()} - {"manifest.json"}
            if names != set(manifest.files):
                raise BackupError(
                    FILES_DIFFER.said(
                        path=path,
                        extra=sorted(names - set(manifest.files)),
                        missing=sorted(set(manifest.files) - names),
                    )
                )
            _extract(archive, into)
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(NOT_READABLE.said(path=path, error=str(error))) from None
    for name, expected in manifest.files.items():
        if _sha256(into / name) != expected:
            raise BackupError(SHA_DIFFERS.said(path=path, name=name))
    return manifest


def _is_empty_database(database: Database) -> bool:
    tables = set(inspect(database.engine).get_table_names())
    return not tables - {"alembic_version"}


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    files: int


def restore_node(settings: Settings, path: Path, *, force: bool = False) -> RestoreResult:
    """Restore the backup at ``path`` into the node ``settings`` describe (home folder, keys,
    database). Refuses a node that holds anything unless ``force``."""
    url = parse_url(settings.effective_database_url)
    home, keys = settings.home, keys_folder(settings)
    with tempfile.TemporaryDirectory(prefix="alianza-restore-") as scratch:
        unpacked = Path(scratch)
        manifest = _unpack_verified(path, unpacked)
        backend = url.get_backend_name()
        if manifest.backend != backend:
            raise BackupError(OTHER_BACKEND.said(held=manifest.backend, backend=backend))
        database = Database(settings.effective_database_url)
        try:
            database.check_connection()
            occupied = [
                what
                for what, present in (
                    ("a database with tables", not _is_empty_database(database)),
                    ("keys", keys.is_dir() and any(keys.iterdir())),
                    ("files", bool(_home_files(home, keys))),
                )
                if present
            ]
            if occupied and not force:
                raise BackupError(NOT_EMPTY.said(home=home, occupied=", ".join(occupied)))
            if backend == "sqlite":
                database.dispose()
                target = _sqlite_path(url)
                target.parent.mkdir(parents=True, exist_ok=True)
                for name in SQLITE_FILES:
                    (target.parent / name).unlink(missing_ok=True)
                shutil.copyfile(unpacked / SQLITE_MEMBER, target)
            else:
                _run(
                    [
                        "pg_restore",
                        "--no-owner",
                        "--no-privileges",
                        "--clean",
                        "--if-exists",
                        "--single-transaction",
                        "--exit-on-error",
                        "-d",
                        url.database or "",
                        str(unpacked / POSTGRES_MEMBER),
                    ],
                    url,
                )
            written = 0
            for name in manifest.files:
                if name.startswith("keys/"):
                    destination = keys / name.removeprefix("keys/")
                elif name.startswith("home/"):
                    destination = home / name.removeprefix("home/")
                else:
                    continue
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(unpacked / name, destination)
                written += 1
            if keys.is_dir():
                os.chmod(keys, 0o700)
                for key_file in keys.rglob("*"):
                    if key_file.is_file():
                        os.chmod(key_file, 0o600)
            database.migrate()  # a backup of an older version: bring it to this version's schema
        finally:
            database.dispose()
    return RestoreResult(manifest, written)
