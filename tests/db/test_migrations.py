"""Migrations: they build exactly the schema the models declare, on each backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from alianza.db import Database
from alianza.db import migrate as migrations
from alianza.db.models import all_metadata


def test_migrations_match_models(fresh_db: Database) -> None:
    with fresh_db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, all_metadata())
    assert differences == []


def test_open_database_migrates_to_every_head(fresh_db: Database) -> None:
    assert migrations.is_up_to_date(fresh_db.engine)
    tables = set(inspect(fresh_db.engine).get_table_names())
    assert {"audit_entry", "pme_plan", "pme_action", "pme_cell_version"} <= tables


def test_downgrade_to_base_then_upgrade_again(database_url: str) -> None:
    database = Database(database_url)
    database.migrate()
    migrations.downgrade(database.engine, "base")
    remaining = set(inspect(database.engine).get_table_names()) - {"alembic_version"}
    assert remaining == set()
    migrations.upgrade(database.engine)
    assert migrations.is_up_to_date(database.engine)
    database.dispose()
