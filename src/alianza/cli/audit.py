"""``alianza audit``: the hash-chained audit log."""

from __future__ import annotations

import click

from alianza import audit as audit_log
from alianza.cli.context import Context, fail, pass_context


@click.group()
def audit() -> None:
    """The append-only audit log of every write."""


@audit.command()
@pass_context
def verify(ctx: Context) -> None:
    """Check that no audit entry was changed or removed."""
    with ctx.database.reader() as session:
        report = audit_log.verify_chain(session)
    if report.ok:
        click.echo(f"audit log intact: {report.entries} entries")
    else:
        fail(f"audit log broken at entry {report.broken_at}: {report.reason}", code=4)
