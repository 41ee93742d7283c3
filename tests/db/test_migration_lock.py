"""Several processes starting at once on a fresh database migrate it once and all succeed
(a database-wide lock around migrations: PostgreSQL advisory lock, SQLite's write lock)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from alianza.db import migrate as migrations

PROCESSES = 4
SOURCES = str(Path(__file__).resolve().parents[2] / "src")


STARTS = {
    # `alianza db upgrade` in several deployment steps at once
    "db-upgrade": "from alianza.cli import main\nsys.argv = ['alianza', 'db', 'upgrade']\nmain()\n",
    # `uvicorn --workers 3 --factory alianza.web.asgi:app`: each worker opens the database
    "asgi-workers": "from alianza.web.asgi import app\napp()\n",
}


@pytest.mark.parametrize("start_with", sorted(STARTS))
def test_processes_starting_together_migrate_once(
    database_url: str, tmp_path: Path, start_with: str
) -> None:
    environment = {
        **os.environ,
        "PYTHONPATH": SOURCES,
        "ALIANZA_HOME": str(tmp_path / "node"),
        "ALIANZA_DATABASE_URL": database_url,
    }
    # Each process waits for a start file, so that all reach the empty database together.
    start = tmp_path / "start"
    script = (
        "import pathlib, sys, time\n"
        f"while not pathlib.Path({str(start)!r}).exists(): time.sleep(0.01)\n" + STARTS[start_with]
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    start.touch()
    results = [(p.wait(timeout=300), *p.communicate()) for p in processes]
    for status, _out, err in results:
        assert status == 0, err
    engine = create_engine(database_url)
    with engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        assert sorted(versions) == sorted(migrations.head_revisions())
    engine.dispose()
