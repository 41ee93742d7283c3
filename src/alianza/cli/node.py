"""``alianza node``: this node's identity and keys, and the partners it trusts."""

from __future__ import annotations

import json
from pathlib import Path

import click

from alianza.accounts.session_key import SessionKeyError, create_session_key
from alianza.cli.context import Context, handles, pass_context
from alianza.exchange.keys import NodeIdentity, NodeKeyError, create_node_keys, load_node_keys
from alianza.exchange.partners import list_partners, trust_partner


@click.group()
def node() -> None:
    """This node's identity and keys, and its trusted partners."""


@node.command()
@click.option("--country", type=click.Choice(["US", "MX"]), required=True, help="Government.")
@click.option("--name", required=True, help="Node name, e.g. 'US node (CBP)'.")
@pass_context
@handles(NodeKeyError)
def init(ctx: Context, country: str, name: str) -> None:
    """Create this node's Ed25519 key pair and session key in ALIANZA_HOME/keys (mode 0600)."""
    keys = create_node_keys(ctx.settings.home, name=name, country=country)
    if not ctx.settings.session_key_file.exists():
        create_session_key(ctx.settings.session_key_file)
    ctx.database  # noqa: B018  (creates and migrates the node's database)
    click.echo(f"node {name!r} ({country}) created; key fingerprint {keys.identity.fingerprint}")
    click.echo("Share the public key with the partner: alianza node export-key -o FILE")


@node.command("session-key")
@click.option(
    "--rotate", is_flag=True, help="Replace an existing key (every user must log in again)."
)
@pass_context
@handles(SessionKeyError)
def session_key(ctx: Context, rotate: bool) -> None:
    """Create (or with --rotate replace) the key that signs this node's session cookies."""
    path = create_session_key(ctx.settings.session_key_file, replace=rotate)
    click.echo(f"wrote {path} (mode 0600)")
    if ctx.settings.secret_key:
        click.echo("note: ALIANZA_SECRET_KEY is set and takes precedence over this file")


@node.command("export-key")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@pass_context
@handles(NodeKeyError)
def export_key(ctx: Context, output: Path) -> None:
    """Write this node's public key and identity (JSON) for the partner to trust."""
    identity = load_node_keys(ctx.settings.home).identity
    output.write_text(json.dumps(identity.document(), indent=2) + "\n", "utf-8")
    click.echo(f"wrote {output} (fingerprint {identity.fingerprint})")


@node.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
@handles(NodeKeyError, ValueError)
def trust(ctx: Context, file: Path) -> None:
    """Trust a partner's public key file (from its `alianza node export-key`).

    Check the fingerprint with the partner by another channel (telephone, meeting) first.
    """
    identity = NodeIdentity.from_document(json.loads(file.read_text("utf-8")))
    own = load_node_keys(ctx.settings.home).identity
    with ctx.database.transaction() as session:
        trust_partner(session, identity, own_fingerprint=own.fingerprint, actor="cli")
    click.echo(
        f"trusting {identity.name!r} ({identity.country}), fingerprint {identity.fingerprint}"
    )


@node.command()
@pass_context
def show(ctx: Context) -> None:
    """Show this node's identity and its trusted partners."""
    try:
        identity = load_node_keys(ctx.settings.home).identity
        click.echo(f"this node: {identity.name} ({identity.country})")
        click.echo(f"  fingerprint {identity.fingerprint}")
    except NodeKeyError as error:
        click.echo(f"this node: no keys ({error})")
    with ctx.database.reader() as session:
        partners = list_partners(session)
    click.echo(f"partners: {len(partners)}")
    for partner in partners:
        state = "revoked" if partner.revoked_at else "trusted"
        click.echo(
            f"  {partner.name} ({partner.country}) {state}, fingerprint {partner.fingerprint}"
        )


@node.command("rotate-key")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the signed rotation message for the partner.",
)
@pass_context
@handles(NodeKeyError)
def rotate_key(ctx: Context, output: Path) -> None:
    """Replace this node's key pair; write the rotation message, signed by the old key.

    The old key is kept in ALIANZA_HOME/keys/retired/. Send FILE to the partner, who runs
    `alianza node trust-rotation FILE`.
    """
    from alianza.exchange.rotation import rotate_node_keys

    keys, document = rotate_node_keys(ctx.settings.home)
    output.write_text(json.dumps(document, indent=2) + "\n", "utf-8")
    old = document["rotation"]["old_fingerprint"]
    click.echo(f"new key fingerprint {keys.identity.fingerprint} (was {old})")
    click.echo(f"wrote {output}: the partner runs `alianza node trust-rotation {output.name}`")


@node.command("trust-rotation")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
@handles(NodeKeyError, ValueError)
def trust_rotation(ctx: Context, file: Path) -> None:
    """Replace a partner's trusted key with the new one in FILE (from its
    `alianza node rotate-key`), only if the key trusted now signed it."""
    from alianza.exchange.rotation import accept_rotation

    document = json.loads(file.read_text("utf-8"))
    own = load_node_keys(ctx.settings.home).identity
    with ctx.database.transaction() as session:
        partner = accept_rotation(session, document, own_fingerprint=own.fingerprint, actor="cli")
        name, fingerprint = partner.name, partner.fingerprint
    click.echo(f"trusting {name!r} with its new key, fingerprint {fingerprint}")
