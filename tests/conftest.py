"""Shared fixtures. Storage fixtures run on SQLite always and on PostgreSQL when
``ALIANZA_TEST_POSTGRES_URL`` is set (CI sets it): each PostgreSQL test gets a database of its
own, created from that server URL and dropped afterwards."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.pme.service import SEED_REPORT, import_report_file

POSTGRES_URL = os.environ.get("ALIANZA_TEST_POSTGRES_URL")
DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=[
                pytest.mark.postgres,
                pytest.mark.skipif(
                    POSTGRES_URL is None, reason="ALIANZA_TEST_POSTGRES_URL is not set"
                ),
            ],
        ),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'alianza.db'}"
        return
    with postgres_database() as url:
        yield url


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the test server, dropped afterwards."""
    assert POSTGRES_URL is not None
    name = f"alianza_test_{uuid.uuid4().hex[:12]}"
    server = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture
def fresh_db(database_url: str) -> Iterator[Database]:
    """A migrated, empty database."""
    database = Database(database_url, country="US")
    database.migrate()
    yield database
    database.dispose()


@pytest.fixture
def mx_db(database_url: str) -> Iterator[Database]:
    """A migrated, empty database of the MX node (Mexico's records belong there)."""
    database = Database(database_url, country="MX")
    database.migrate()
    yield database
    database.dispose()


@pytest.fixture
def seeded_db(fresh_db: Database) -> Database:
    """A database holding the 1999 seed report."""
    import_report_file(fresh_db, SEED_REPORT, actor=NodeSelf("test"))
    return fresh_db


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_REPORT.read_text(encoding="utf-8")
