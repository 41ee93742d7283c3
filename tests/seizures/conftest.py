"""Fixtures of the seizures tests: paths of the test files, and a database holding the four
CBP files (imported once per module and backend, since importing them takes seconds)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.seizures.service import ImportOutcome, import_file
from tests.conftest import DATA, POSTGRES_URL

SEIZURES = DATA / "seizures"
CBP = SEIZURES / "cbp"
CBP_FILES = {
    "nationwide-drugs-fy19-fy22.csv": "cbp-nationwide",
    "nationwide-drugs-fy23-fy26-dec.csv": "cbp-nationwide",
    "amo-drug-seizures-fy19-fy22.csv": "cbp-amo",
    "amo-drug-seizures-fy23-fy26-dec.csv": "cbp-amo",
}


@pytest.fixture(
    scope="module",
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
    ],
)
def module_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A migrated, empty database shared by the tests of one module."""
    if request.param == "sqlite":
        database = Database(
            f"sqlite:///{tmp_path_factory.mktemp('db') / 'alianza.db'}", country="US"
        )
        database.migrate()
        yield database
        database.dispose()
        return
    assert POSTGRES_URL is not None
    name = f"alianza_test_{uuid.uuid4().hex[:12]}"
    server = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    database = Database(url, country="US")
    database.migrate()
    try:
        yield database
    finally:
        database.dispose()
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture(scope="module")
def cbp_db(module_db: Database) -> tuple[Database, dict[str, ImportOutcome]]:
    """The four CBP files imported, with what each import reported."""
    outcomes = {
        name: import_file(module_db, CBP / name, profile, actor=NodeSelf("test"))
        for name, profile in CBP_FILES.items()
    }
    return module_db, outcomes
