"""Alembic environment: always runs on a connection handed in by alianza.db.migrate."""

from __future__ import annotations

from alembic import context

from alianza.db.models import all_metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through alianza.db.migrate (alianza db upgrade)")

context.configure(
    connection=connection,
    target_metadata=all_metadata(),
    render_as_batch=True,  # SQLite alters tables by copy-and-move
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
