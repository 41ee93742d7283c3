"""``alianza pme cycle send|receive|messages|verify``: a reporting cycle between two nodes."""

from __future__ import annotations

import json
from pathlib import Path

import click

from alianza.cli import messages as words
from alianza.cli import output_cycles as out
from alianza.cli.context import Context, handles, pass_context, say
from alianza.exchange.keys import NodeIdentity, NodeKeyError, load_node_keys
from alianza.exchange.partners import BadPartnerUrl, UnknownDestination, trusted_identities
from alianza.operations.problems import message_language
from alianza.pme.cycle_inbox import message_log
from alianza.pme.cycle_outbox import all_messages
from alianza.pme.cycle_transport import receive_cycle_files, send_cycle_messages
from alianza.pme.edition import verify_edition

ERRORS = (NodeKeyError, UnknownDestination, BadPartnerUrl)


@click.command("send")
@click.option("--to", help="The partner's registered URL (default: its only one).")
@click.option(
    "--folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the messages as files into FOLDER/<country>/ instead (for a courier).",
)
@pass_context
@handles(*ERRORS)
def cycle_send(ctx: Context, to: str | None, folder: Path | None) -> None:
    """Send this node's pending cycle messages to the partner node, signed, in order."""
    report = send_cycle_messages(ctx.database, load_node_keys(ctx.settings), to=to, folder=folder)
    outcomes = ", ".join(f"{k} {v}" for k, v in sorted(report.outcomes.items()))
    sent = out.SENT.said(n=report.delivered, outcomes=outcomes or out.NOTHING_SENT.said())
    click.echo(say(sent))
    if report.error:
        raise click.ClickException(
            say(words.MESSAGES_WAITING.said(n=report.waiting, error=report.error))
        )


@click.command("receive")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@pass_context
@handles(*ERRORS)
def cycle_receive(ctx: Context, paths: tuple[Path, ...]) -> None:
    """Apply cycle message files (or every file of a folder) from the partner node."""
    refused = 0
    spanish = message_language() == "es"
    for item in receive_cycle_files(ctx.database, load_node_keys(ctx.settings), paths):
        if item.refused is not None:
            refused += 1
            reason = item.refused.es if spanish else item.refused.en
            line = out.MESSAGE_REFUSED.said(path=item.path, code=item.refused.code, reason=reason)
            click.echo(say(line))
        elif item.arrival is not None:
            detail = f": {item.arrival.detail}" if item.arrival.detail else ""
            click.echo(f"{item.path}: {item.arrival.kind} {item.arrival.outcome}{detail}")
    if refused:
        raise SystemExit(1)


@click.command("messages")
@pass_context
def cycle_messages(ctx: Context) -> None:
    """Cycle messages sent to the partner and received from it, with what became of each."""
    with ctx.database.reader() as session:
        sent = [
            (
                m.id,
                m.kind,
                m.payload.get("cycle", m.payload.get("subject")),
                m.outcome or say(out.WAITING.said()),
                m.last_error,
            )
            for m in all_messages(session)
        ]
        received = message_log(session, message_language())
    click.echo(say(out.SENT_HEADING.said()))
    for seq, kind, cycle, outcome, error in sent:
        click.echo(f"  {seq:>5} {kind:<9} {cycle}  {outcome}{f' ({error})' if error else ''}")
    click.echo(say(out.RECEIVED_HEADING.said()))
    for line in received:
        click.echo(f"  {line}")


@click.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def cycle_verify(ctx: Context, file: Path) -> None:
    """Verify a published edition file (``render --format json``): its content hash and both
    governments' signatures, against this node's key and its trusted partners'."""
    try:
        document = json.loads(file.read_text("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise click.ClickException(say(words.NOT_JSON.said(file=file, error=error))) from None
    with ctx.database.reader() as session:
        trusted: dict[str, NodeIdentity] = dict(trusted_identities(session))
    try:
        own = load_node_keys(ctx.settings).identity
        trusted[own.fingerprint] = own
    except NodeKeyError:
        pass
    check = verify_edition(document, trusted)
    for en, es in check.lines:  # the edition is both governments': its checks in both languages
        click.echo(en)
        click.echo(es)
    if check.ok:
        click.echo(say(out.VERIFIED.said(file=file)))
    else:
        click.echo(say(out.NOT_VERIFIED.said(file=file)), err=True)
        raise SystemExit(1)


COMMANDS = (cycle_send, cycle_receive, cycle_messages, cycle_verify)
