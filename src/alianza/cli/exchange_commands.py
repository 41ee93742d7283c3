"""``alianza exchange``: quarterly signed packages between the two nodes."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import click

from alianza.actors import NodeSelf
from alianza.cli import messages as words
from alianza.cli import output_exchange as out
from alianza.cli.context import Context, fail, handles, pass_context, say
from alianza.exchange.cube import COMMON_BORDER, dsd_codelists, quarter_tables
from alianza.exchange.inbox import package_entry
from alianza.exchange.keys import NodeKeyError, load_node_keys
from alianza.exchange.package import PackageRefused
from alianza.exchange.partners import destination
from alianza.exchange.periods import parse_quarter
from alianza.exchange.sdmx import DATAFLOW, dsd_xml
from alianza.exchange.service import (
    DEFAULT_GRACE_DAYS,
    build_and_record,
    exchange_status,
    receive,
    record_acknowledgement,
    record_sent,
)
from alianza.exchange.transport import SendFailed, send_package
from alianza.operations.problems import message_language


@click.command()
@click.option("--quarter", required=True, help="Calendar quarter 2019-Q1 (fiscal with --fiscal).")
@click.option("--fiscal", is_flag=True, help="The quarter is a US fiscal quarter (Q1 = Oct–Dec).")
@click.option("--all-regions", is_flag=True, help="Not only the common border's regions.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@pass_context
@handles(NodeKeyError, ValueError)
def build(ctx: Context, quarter: str, fiscal: bool, all_regions: bool, output: Path) -> None:
    """Build this node's signed package of a quarter's seizure tables (next version)."""
    keys = load_node_keys(ctx.settings)
    period_kind = "fiscal" if fiscal else "calendar"
    parse_quarter(quarter)
    with ctx.database.reader() as session:
        tables, coverage = quarter_tables(
            session,
            country=keys.identity.country,
            quarter=quarter.upper(),
            period_kind=period_kind,
            regions=None if all_regions else COMMON_BORDER,
        )
    data, result = build_and_record(
        ctx.database,
        keys,
        quarter=quarter.upper(),
        tables=tables,
        coverage=coverage,
        period_kind=period_kind,
        actor=NodeSelf("cli"),
    )
    output.write_bytes(data)
    count = sum(len(rows) for rows in tables.values())
    with ctx.database.reader() as session:
        version = package_entry(session, result.package_id)
    built = out.BUILT.said(
        output=output,
        country=keys.identity.country,
        quarter=quarter.upper(),
        kind=period_kind,
        version=version.version if version else "?",
        count=count,
        size=f"{len(data):,}",
        sha256=hashlib.sha256(data).hexdigest(),
    )
    click.echo(say(built))


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def dsd(output: Path) -> None:
    """Write the SDMX data structure definition of the exchanged tables (SDMX-ML 2.1)."""
    prepared = datetime.now(UTC).replace(microsecond=0).isoformat()
    output.write_text(dsd_xml(dsd_codelists(), prepared), "utf-8")
    click.echo(say(out.DSD_WRITTEN.said(output=output, dataflow=DATAFLOW)))


@click.command("receive")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def receive_command(ctx: Context, file: Path) -> None:
    """Verify a partner's package and load it (nothing is written if any check fails)."""
    try:
        result, country, quarter = receive(ctx.database, file.read_bytes(), actor=NodeSelf("cli"))
    except PackageRefused as refused:
        said = refused.message_es if message_language() == "es" else refused.message
        fail(words.PACKAGE_REFUSED.said(file=file, message=said, code=refused.code), 2)
        return
    if result.status == "duplicate":
        said = out.ALREADY_RECEIVED.said(file=file, country=country, quarter=quarter)
    elif result.superseded:
        said = out.LOADED_REPLACING.said(
            file=file, country=country, quarter=quarter, version=result.superseded
        )
    else:
        said = out.LOADED.said(file=file, country=country, quarter=quarter)
    click.echo(say(said))


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--to",
    "url",
    help="A trusted partner's registered address (default: the one registered endpoint).",
)
@click.option("--attempts", default=5, show_default=True, help="Tries before giving up.")
@pass_context
@handles(SendFailed, ValueError, LookupError)
def send(ctx: Context, file: Path, url: str | None, attempts: int) -> None:
    """Push a package to a trusted partner's registered endpoint over HTTPS (retries with
    backoff; safe to repeat). Register it with `alianza node trust FILE --url` or
    `alianza node set-url`."""
    with ctx.database.reader() as session:
        url = destination(session, url)
    data = file.read_bytes()
    delivery = send_package(data, url, attempts=attempts)
    sha256 = hashlib.sha256(data).hexdigest()
    record_sent(ctx.database, sha256, url)
    acknowledged = record_acknowledgement(ctx.database, delivery.receipt, sent=sha256)
    receipt = out.RECEIPT_VERIFIED if acknowledged else out.RECEIPT_NOT_VERIFIED
    sent = out.SENT.said(
        file=file, status=delivery.status, n=delivery.attempts, receipt=receipt.said()
    )
    click.echo(say(sent))


@click.command()
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Assess as of this date.")
@click.option(
    "--grace-days",
    default=DEFAULT_GRACE_DAYS,
    show_default=True,
    help="Days after a quarter's end before its package is late.",
)
@pass_context
def status(ctx: Context, today: object, grace_days: int) -> None:
    """The exchange log per country and quarter: built, sent, received, acknowledged, late."""
    as_of: date = today.date() if today is not None else date.today()  # type: ignore[attr-defined]
    with ctx.database.reader() as session:
        rows = exchange_status(session, today=as_of, grace_days=grace_days)
    if not rows:
        click.echo(say(out.NO_PACKAGES.said()))
        return

    def day(value: object) -> str:
        return value.date().isoformat() if value is not None else "—"  # type: ignore[attr-defined]

    click.echo(say(out.STATUS_COLUMNS.said()))
    for row in rows:
        click.echo(
            f"{row.direction:<9} {row.country:<3} {row.quarter:<8} {row.due.isoformat():<10} "
            f"{day(row.built):<10} {day(row.sent):<10} {day(row.received):<10} "
            f"{day(row.acknowledged):<10} {row.versions:>3} {row.state}"
        )
