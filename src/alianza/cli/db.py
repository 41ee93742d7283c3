"""``alianza db``: the node's database schema. Each command imports the database (SQLAlchemy,
Alembic) when it runs: ``alianza db --help`` loads neither (issue 18)."""

from __future__ import annotations

import click

from alianza.cli import output_admin as out
from alianza.cli.context import Context, pass_context, say


@click.group()
def db() -> None:
    """The node's database (migrations are applied automatically on first use)."""


@db.command()
@pass_context
def upgrade(ctx: Context) -> None:
    """Apply every pending migration."""
    from alianza.db import Database
    from alianza.db import migrate as migrations

    ctx.ensure_home()
    database = Database(ctx.settings.effective_database_url)
    database.check_connection()
    migrations.upgrade(database.engine)
    revisions = ", ".join(sorted(migrations.head_revisions()))
    click.echo(say(out.SCHEMA_AT.said(revisions=revisions)))


@db.command()
@pass_context
def status(ctx: Context) -> None:
    """Show the database URL and its schema revisions."""
    from alianza.db import Database
    from alianza.db import migrate as migrations

    ctx.ensure_home()
    database = Database(ctx.settings.effective_database_url)
    database.check_connection()
    with database.engine.connect() as connection:
        current = migrations.current_revisions(connection)
    heads = migrations.head_revisions()
    url = database.engine.url.render_as_string(hide_password=True)
    click.echo(say(out.DATABASE.said(url=url)))
    held = ", ".join(sorted(current)) or out.EMPTY.said()
    click.echo(say(out.CURRENT.said(revisions=held)))
    click.echo(say(out.NEWEST.said(revisions=", ".join(sorted(heads)))))
    click.echo(say((out.UP_TO_DATE if current == heads else out.PENDING).said()))
