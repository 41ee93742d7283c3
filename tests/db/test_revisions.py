"""Opening a database checks its schema version without Alembic (issue 18): an up-to-date one
is opened without loading Alembic at all; an outdated or fresh one is migrated as before."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from alianza.db import Database, revisions
from alianza.db import migrate as migrations

SOURCES = str(Path(__file__).resolve().parents[2] / "src")

# Opens the database in a fresh process as every command does; prints whether Alembic was
# loaded (it is, by alianza.db.migrate, only to migrate).
PROBE = (
    "import sys\n"
    "from alianza.db import Database\n"
    "database = Database(sys.argv[1], country='US')\n"
    "database.migrate()\n"
    "database.dispose()\n"
    "print(sorted(m for m in ('alembic', 'alianza.db.migrate') if m in sys.modules))\n"
)


def open_in_a_new_process(url: str) -> list[str]:
    """The Alembic modules loaded by a process that opened the database at ``url``."""
    output = subprocess.run(
        [sys.executable, "-c", PROBE, url],
        env={**os.environ, "PYTHONPATH": SOURCES},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    loaded: list[str] = eval(output.strip().splitlines()[-1])
    return loaded


def recorded_versions(url: str) -> set[str]:
    engine = create_engine(url)
    with engine.connect() as connection:
        versions = set(
            connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        )
    engine.dispose()
    return versions


def table_names(url: str) -> set[str]:
    engine = create_engine(url)
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    return names


def test_heads_read_from_the_files_are_alembics() -> None:
    assert revisions.head_revisions() == frozenset(migrations.head_revisions())


def test_an_up_to_date_database_opens_without_alembic(database_url: str) -> None:
    database = Database(database_url)
    database.migrate()
    database.dispose()
    assert open_in_a_new_process(database_url) == []
    assert recorded_versions(database_url) == set(migrations.head_revisions())


def test_an_outdated_database_is_migrated(database_url: str) -> None:
    database = Database(database_url)
    database.migrate()
    at_head = table_names(database_url)
    migrations.downgrade(database.engine, "pme@-1")  # one revision back on one branch
    database.dispose()
    assert recorded_versions(database_url) != set(migrations.head_revisions())
    assert open_in_a_new_process(database_url) == ["alembic", "alianza.db.migrate"]
    assert recorded_versions(database_url) == set(migrations.head_revisions())
    assert table_names(database_url) == at_head


def test_a_fresh_database_is_migrated(database_url: str) -> None:
    assert open_in_a_new_process(database_url) == ["alembic", "alianza.db.migrate"]
    assert recorded_versions(database_url) == set(migrations.head_revisions())


def test_revision_files_read_without_alembic(tmp_path: Path) -> None:
    def written(text: str) -> Path:
        path = tmp_path / "revision.py"
        path.write_text(text, encoding="utf-8")
        return path

    first = 'revision: str = "a_0001"\ndown_revision: str | None = None\n'
    assert revisions.revision_of(written(first)) == ("a_0001", ())
    merge = 'revision = "a_0003"\ndown_revision = ("a_0002", "b_0001")\n'
    assert revisions.revision_of(written(merge)) == ("a_0003", ("a_0002", "b_0001"))
    # Not a literal, or no down revision: not read here (the caller migrates through Alembic).
    assert revisions.revision_of(written('revision = "a_4"\ndown_revision = NAME\n')) is None
    assert revisions.revision_of(written('revision = "a_4"\n')) is None
    assert revisions.revision_of(written('"""no revision here"""\n')) is None
