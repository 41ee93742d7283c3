"""Alembic migrations, run from code: each domain package owns a branch of revisions.

The script location (``env.py``, the revision template) is ``alianza/db/migrations``; every
domain package listed in :data:`alianza.db.revisions.MIGRATION_PACKAGES` keeps its revisions in
its own ``migrations`` folder, as a branch labelled with the package name. ``upgrade`` goes to
all heads. Opening a database loads this module only when its schema is not at head
(:func:`alianza.db.revisions.schema_is_current`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from alianza.db.engine import SQLITE_BUSY_TIMEOUT_MS
from alianza.db.revisions import version_locations


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.set_main_option("version_locations", " ".join(str(p) for p in version_locations()))
    config.set_main_option("path_separator", "space")
    config.attributes["connection"] = connection
    return config


def head_revisions() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(connection: Connection) -> set[str]:
    return set(MigrationContext.configure(connection).get_current_heads())


def is_up_to_date(engine: Engine) -> bool:
    """Alembic's own answer (what :func:`alianza.db.revisions.schema_is_current` answers
    without loading Alembic)."""
    with engine.connect() as connection:
        return current_revisions(connection) == head_revisions()


# PostgreSQL advisory lock held while migrating ("alzm"); distinct from the audit log's.
MIGRATION_LOCK_KEY = 0x616C7A6D
# How long a process waits for another one's migrations on SQLite (milliseconds).
SQLITE_MIGRATION_WAIT_MS = 15 * 60 * 1000


@contextmanager
def migration_lock(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that holds the database-wide migration lock.

    PostgreSQL: a transaction-scoped advisory lock, so any number of processes (``alianza
    serve --workers``, several nodes' containers) may start on one fresh database; the others
    wait, then find the schema at head. SQLite: the write path's ``BEGIN IMMEDIATE`` takes the
    database's write lock; the wait for it is raised from the usual busy timeout to minutes.
    """
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        raw: Any = connection.connection.driver_connection
        if sqlite:  # before BEGIN: the driver connection is in autocommit mode here
            raw.execute(f"PRAGMA busy_timeout = {SQLITE_MIGRATION_WAIT_MS}")
        try:
            with connection.begin():
                if not sqlite:
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
                    )
                yield connection
        finally:
            if sqlite:
                raw.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")


def upgrade(engine: Engine, target: str = "heads") -> None:
    """Apply every pending revision, in one transaction per call, under :func:`migration_lock`
    (a process that waited finds nothing left to do)."""
    with migration_lock(engine) as connection:
        command.upgrade(alembic_config(connection), target)


def downgrade(engine: Engine, target: str = "base") -> None:
    with migration_lock(engine) as connection:
        command.downgrade(alembic_config(connection), target)
