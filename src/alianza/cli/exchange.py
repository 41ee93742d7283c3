"""``alianza exchange``: quarterly signed packages between the two nodes."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import click

from alianza.cli.context import Context, fail, handles, pass_context
from alianza.exchange.package import PackageRefused
from alianza.exchange.service import (
    DEFAULT_GRACE_DAYS,
    exchange_status,
    receive,
    record_acknowledgement,
    record_sent,
)
from alianza.exchange.transport import SendFailed, send_package


@click.group()
def exchange() -> None:
    """Quarterly exchange of signed seizure packages with the partner node."""


@exchange.command("receive")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def receive_command(ctx: Context, file: Path) -> None:
    """Verify a partner's package and load it (nothing is written if any check fails)."""
    try:
        result, country, quarter = receive(ctx.database, file.read_bytes(), actor="cli")
    except PackageRefused as refused:
        fail(f"{file}: refused, nothing was written: {refused.message} [{refused.code}]", 2)
        return
    if result.status == "duplicate":
        click.echo(f"{file}: {country} {quarter} already received; nothing changed")
    else:
        replaced = f", replacing version {result.superseded}" if result.superseded else ""
        click.echo(f"{file}: {country} {quarter} verified and loaded{replaced}")


@exchange.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--to", "url", required=True, help="The partner node's address (https://…).")
@click.option("--attempts", default=5, show_default=True, help="Tries before giving up.")
@pass_context
@handles(SendFailed)
def send(ctx: Context, file: Path, url: str, attempts: int) -> None:
    """Push a package to the partner over HTTPS (retries with backoff; safe to repeat)."""
    data = file.read_bytes()
    delivery = send_package(data, url, attempts=attempts)
    record_sent(ctx.database, hashlib.sha256(data).hexdigest(), url)
    acknowledged = record_acknowledgement(ctx.database, delivery.receipt)
    click.echo(
        f"{file}: {delivery.status} by the partner after {delivery.attempts} attempt(s); "
        f"receipt {'verified and logged' if acknowledged else 'NOT verified'}"
    )


@exchange.command()
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Assess as of this date.")
@click.option("--grace-days", default=DEFAULT_GRACE_DAYS, show_default=True,
              help="Days after a quarter's end before its package is late.")  # fmt: skip
@pass_context
def status(ctx: Context, today: object, grace_days: int) -> None:
    """The exchange log per country and quarter: built, sent, received, acknowledged, late."""
    as_of: date = today.date() if today is not None else date.today()  # type: ignore[attr-defined]
    with ctx.database.reader() as session:
        rows = exchange_status(session, today=as_of, grace_days=grace_days)
    if not rows:
        click.echo("no packages built or received yet")
        return

    def day(value: object) -> str:
        return value.date().isoformat() if value is not None else "—"  # type: ignore[attr-defined]

    click.echo(f"{'direction':<9} {'cty':<3} {'quarter':<8} {'due':<10} {'built':<10} "
               f"{'sent':<10} {'received':<10} {'acked':<10} {'ver':>3} state")  # fmt: skip
    for row in rows:
        click.echo(
            f"{row.direction:<9} {row.country:<3} {row.quarter:<8} {row.due.isoformat():<10} "
            f"{day(row.built):<10} {day(row.sent):<10} {day(row.received):<10} "
            f"{day(row.acknowledged):<10} {row.versions:>3} {row.state}"
        )
