"""``alianza audit``: the hash-chained audit log. Each command imports the log (SQLAlchemy) when
it runs: ``alianza audit --help`` loads nothing heavy (issue 18)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from alianza.cli import messages as words
from alianza.cli import output_admin as out
from alianza.cli.context import Context, fail, pass_context, say

if TYPE_CHECKING:
    from alianza.audit import Checkpoint

CHECKPOINTS = "audit-checkpoints.jsonl"


def checkpoints_file(ctx: Context) -> Path:
    return ctx.settings.home / CHECKPOINTS


def read_checkpoints(path: Path) -> list[Checkpoint]:
    from alianza import audit as audit_log

    if not path.exists():
        return []
    return [
        audit_log.Checkpoint.from_dict(json.loads(line))
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    ]


@click.group()
def audit() -> None:
    """The append-only audit log of every write."""


@audit.command()
@pass_context
def verify(ctx: Context) -> None:
    """Check that no audit entry was changed or removed (also against saved checkpoints)."""
    from alianza import audit as audit_log

    checkpoints = read_checkpoints(checkpoints_file(ctx))
    with ctx.database.reader() as session:
        report = audit_log.verify_chain(session, checkpoints)
    if report.ok:
        click.echo(say(out.AUDIT_INTACT.said(entries=report.entries, n=len(checkpoints))))
    else:
        fail(words.AUDIT_BROKEN.said(entry=report.broken_at, reason=report.reason), code=4)


@audit.command()
@pass_context
def checkpoint(ctx: Context) -> None:
    """Save the chain's head (entries, last id, hash) to ALIANZA_HOME/audit-checkpoints.jsonl.

    Keep a copy elsewhere too: a checkpoint lets `verify` detect removed newest entries.
    """
    from alianza import audit as audit_log

    with ctx.database.reader() as session:
        head = audit_log.chain_head(session)
    if head is None:
        fail(words.AUDIT_EMPTY.said())
        return
    path = checkpoints_file(ctx)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        file.write(json.dumps(head.as_dict()) + "\n")
    click.echo(json.dumps(head.as_dict()))
