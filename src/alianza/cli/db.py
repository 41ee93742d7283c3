"""``alianza db``: the node's database schema. Each command imports the database (SQLAlchemy,
Alembic) when it runs: ``alianza db --help`` loads neither (issue 18)."""

from __future__ import annotations

import click

from alianza.cli.context import Context, pass_context


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
    click.echo(f"schema is at {', '.join(sorted(migrations.head_revisions()))}")


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
    click.echo(f"database: {database.engine.url.render_as_string(hide_password=True)}")
    click.echo(f"current:  {', '.join(sorted(current)) or '(empty)'}")
    click.echo(f"newest:   {', '.join(sorted(heads))}")
    click.echo("up to date" if current == heads else "pending migrations: run `alianza db upgrade`")
