"""``alianza analysis``: the joint edition of both countries' exchanged data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from alianza.actors import NodeSelf
from alianza.cli import messages as words
from alianza.cli import output_exchange as out
from alianza.cli.context import Context, fail, handles, pass_context, say
from alianza.cli.pme_options import by_option
from alianza.exchange.keys import NodeKeyError, load_node_keys
from alianza.exchange.periods import parse_quarter

if TYPE_CHECKING:
    from alianza.analysis.render import Edition

FORMATS = ("md", "html", "docx", "csv", "xlsx")
LANGUAGES = ("en", "es", "both")


def _edition(ctx: Context, quarter: str, language: str, inputs: str) -> Edition:
    from alianza.analysis.cosign import signature_state
    from alianza.analysis.joint import COUNTRIES, joint_analysis
    from alianza.analysis.render import Edition, content_hash

    parse_quarter(quarter)
    identity = load_node_keys(ctx.settings).identity
    with ctx.database.reader() as session:
        result = joint_analysis(
            session, quarter.upper(), own_country=identity.country, inputs=inputs
        )
        states = signature_state(session, quarter.upper(), content_hash(result), COUNTRIES)
    if not any(result.available.values()):
        fail(words.NO_TABLES.said(quarter=quarter))
    return Edition(result, language, f"{identity.name} ({identity.country})", tuple(states))


QUARTER = click.option("--quarter", required=True, help="Calendar quarter, e.g. 2025-Q4.")
INPUTS = click.option(
    "--inputs",
    type=click.Choice(["packages", "records"]),
    default="packages",
    show_default=True,
    help="packages: the joint edition (this node's package as sent, the partner's as "
    "received: the same on both nodes); records: a working view from this node's records.",
)


@click.command()
@QUARTER
@click.option(
    "--format", "output_format", type=click.Choice(FORMATS), default="md", show_default=True
)
@click.option(
    "--lang",
    "language",
    type=click.Choice(LANGUAGES),
    default="both",
    show_default=True,
    help="Edition: English, Spanish, or bilingual.",
)
@INPUTS
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (required for docx and xlsx; md also writes its charts beside it as PNG).",
)
@pass_context
@handles(NodeKeyError, ValueError)
def joint(
    ctx: Context,
    quarter: str,
    output_format: str,
    language: str,
    inputs: str,
    output: Path | None,
) -> None:
    """Both countries' seizure tables for a quarter: totals, trends by drug over eight
    quarters, shares and changes, transport methods and concealments ranked by drug with
    their coverage, border corridors and what could not be paired, and the inputs (packages,
    signers, source files). Prints the content hash both sides sign."""
    # imported here: matplotlib and python-docx take a second to load, not worth it on every run
    from alianza.analysis.charts import all_charts
    from alianza.analysis.render import (
        report_csv,
        report_docx,
        report_html,
        report_markdown,
        report_xlsx,
    )

    if output_format in ("docx", "xlsx") and output is None:
        fail(words.NEEDS_OUTPUT.said(format=output_format))
    edition = _edition(ctx, quarter, language, inputs)
    data: bytes
    if output_format == "csv":
        data = report_csv(edition.analysis).encode()
    elif output_format == "xlsx":
        data = report_xlsx(edition)
    elif output_format == "docx":
        data = report_docx(edition, all_charts(edition.analysis, language))
    elif output_format == "html":
        data = report_html(edition, all_charts(edition.analysis, language)).encode()
    else:
        links: dict[str, str] = {}
        if output is not None:
            for name, png in all_charts(edition.analysis, language).items():
                image = output.with_name(f"{output.stem}-{name}.png")
                image.write_bytes(png)
                links[name] = image.name
        data = report_markdown(edition, links).encode()
    if output is None:
        click.echo(data.decode(), nl=False)
    else:
        output.write_bytes(data)
        wrote = out.WROTE_EDITION.said(output=output, format=output_format, size=f"{len(data):,}")
        click.echo(say(wrote), err=True)
    click.echo(say(out.CONTENT_HASH.said(hash=edition.content_hash)), err=True)


@click.command()
@QUARTER
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the signature to FILE (the file route, for a courier).",
)
@by_option
@pass_context
@handles(NodeKeyError, ValueError)
def sign(ctx: Context, quarter: str, output: Path | None, by: str) -> None:
    """Sign the content hash of the quarter's joint edition with this node's key. The
    signature is kept here and goes to the partner node as a signed cycle message (sent by
    `alianza pme cycle send`, or by the served node on its own)."""
    from alianza.analysis.cosign import sign_and_send

    edition = _edition(ctx, quarter, "both", "packages")
    keys = load_node_keys(ctx.settings)
    with ctx.database.transaction() as session:
        document = sign_and_send(
            session,
            keys,
            quarter=quarter.upper(),
            content_hash=edition.content_hash,
            actor=NodeSelf(by),
        )
    click.echo(say(out.SIGNED.said(hash=edition.content_hash, quarter=quarter.upper())))
    if output is not None:
        output.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", "utf-8")
        click.echo(say(out.SIGNATURE_WRITTEN.said(output=output)))


@click.command()
@QUARTER
@click.argument("signature", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@by_option
@pass_context
@handles(NodeKeyError, ValueError)
def verify(ctx: Context, quarter: str, signature: Path, by: str) -> None:
    """Check a signature file (this node's or the partner's) against this node's edition of
    the quarter: the same content hash, signed by a trusted key. A signature that verifies is
    kept, as one that came by cycle message."""
    from alianza.analysis.cosign import keep_verified
    from alianza.exchange.service import signing_identities

    edition = _edition(ctx, quarter, "both", "packages")
    document = json.loads(signature.read_text("utf-8"))
    own = load_node_keys(ctx.settings).identity
    with ctx.database.transaction() as session:
        identities = signing_identities(session, own)
        signer = keep_verified(
            session, document, identities, content_hash=edition.content_hash, actor=NodeSelf(by)
        )
    verified = out.VERIFIED.said(
        name=signer.name,
        country=signer.country,
        fingerprint=signer.fingerprint[:16],
        hash=edition.content_hash,
    )
    click.echo(say(verified))


@click.command()
@QUARTER
@pass_context
@handles(NodeKeyError, ValueError)
def signatures(ctx: Context, quarter: str) -> None:
    """Which governments signed this node's joint edition of the quarter."""
    from alianza.analysis.cosign import other_editions_signed, signature_state
    from alianza.analysis.joint import COUNTRIES

    edition = _edition(ctx, quarter, "both", "packages")
    with ctx.database.reader() as session:
        states = signature_state(session, quarter.upper(), edition.content_hash, COUNTRIES)
        others = other_editions_signed(session, quarter.upper(), edition.content_hash)
    click.echo(say(out.EDITION.said(quarter=quarter.upper(), hash=edition.content_hash)))
    for state in states:
        s = state.signature
        if s is None:
            click.echo(say(out.NOT_SIGNED.said(country=state.country)))
        else:
            signed = out.SIGNED_BY.said(
                country=state.country,
                node=s.node,
                fingerprint=s.fingerprint[:16],
                at=f"{s.at:%Y-%m-%d %H:%M}",
                via=s.via,
            )
            click.echo(say(signed))
    for s in others:
        other = out.OTHER_EDITION.said(
            country=s.country, hash=s.content_hash[:16], at=f"{s.at:%Y-%m-%d %H:%M}"
        )
        click.echo(say(other))
