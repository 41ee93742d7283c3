"""``alianza node``: this node's identity and keys, and the partners it trusts."""

from __future__ import annotations

import json
from pathlib import Path

import click

from alianza.accounts.session_key import SessionKeyError, create_session_key
from alianza.actors import NodeSelf
from alianza.catalogue import message_of
from alianza.cli import output_node as out
from alianza.cli.context import Context, handles, pass_context, say
from alianza.exchange.keys import NodeIdentity, NodeKeyError, create_node_keys, load_node_keys
from alianza.exchange.partners import list_partners, set_partner_url, trust_partner
from alianza.operations.backup import BackupError, backup_node, restore_node


@click.command()
@click.option("--country", type=click.Choice(["US", "MX"]), required=True, help="Government.")
@click.option("--name", required=True, help="Node name, e.g. 'US node (CBP)'.")
@pass_context
@handles(NodeKeyError)
def init(ctx: Context, country: str, name: str) -> None:
    """Create this node's Ed25519 key pair and session key in its keys folder (mode 0600)."""
    keys = create_node_keys(ctx.settings, name=name, country=country)
    if not ctx.settings.session_key_file.exists():
        create_session_key(ctx.settings.session_key_file)
    ctx.database  # noqa: B018  (creates and migrates the node's database)
    fingerprint = keys.identity.fingerprint
    click.echo(say(out.CREATED.said(name=name, country=country, fingerprint=fingerprint)))
    click.echo(say(out.SHARE_KEY.said()))


@click.command("session-key")
@click.option(
    "--rotate", is_flag=True, help="Replace an existing key (every user must log in again)."
)
@pass_context
@handles(SessionKeyError)
def session_key(ctx: Context, rotate: bool) -> None:
    """Create (or with --rotate replace) the key that signs this node's session cookies."""
    path = create_session_key(ctx.settings.session_key_file, replace=rotate)
    click.echo(say(out.SESSION_KEY_WRITTEN.said(path=path)))
    if ctx.settings.secret_key:
        click.echo(say(out.SECRET_KEY_WINS.said()))


@click.command("export-key")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@pass_context
@handles(NodeKeyError)
def export_key(ctx: Context, output: Path) -> None:
    """Write this node's public key and identity (JSON) for the partner to trust."""
    identity = load_node_keys(ctx.settings).identity
    output.write_text(json.dumps(identity.document(), indent=2) + "\n", "utf-8")
    click.echo(say(out.KEY_EXPORTED.said(path=output, fingerprint=identity.fingerprint)))


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--url",
    help="The partner node's address (https://…; http:// only to this machine): where "
    "packages and alerts for it are sent.",
)
@pass_context
@handles(NodeKeyError, ValueError)
def trust(ctx: Context, file: Path, url: str | None) -> None:
    """Trust a partner's public key file (from its `alianza node export-key`).

    Check the fingerprint with the partner by another channel (telephone, meeting) first.
    """
    identity = NodeIdentity.from_document(json.loads(file.read_text("utf-8")))
    own = load_node_keys(ctx.settings).identity
    with ctx.database.transaction() as session:
        partner = trust_partner(
            session, identity, own_fingerprint=own.fingerprint, actor=NodeSelf("cli"), url=url
        )
        registered = partner.url
    who = {"name": identity.name, "country": identity.country}
    if registered:
        trusting = out.TRUSTING_AT.said(**who, fingerprint=identity.fingerprint, url=registered)
    else:
        trusting = out.TRUSTING.said(**who, fingerprint=identity.fingerprint)
    click.echo(say(trusting))


@click.command("set-url")
@click.argument("partner")
@click.argument("url")
@pass_context
@handles(ValueError, LookupError)
def set_url(ctx: Context, partner: str, url: str) -> None:
    """Register the address of a trusted PARTNER (its name or fingerprint, 8+ characters).

    Packages, port alerts and cycle messages go only to registered addresses; URL is
    https://… (http:// only to this machine).
    """
    with ctx.database.transaction() as session:
        found = set_partner_url(session, partner, url, actor=NodeSelf("cli"))
        name, registered = found.name, found.url
    click.echo(say(out.ENDPOINT.said(name=name, url=registered)))


@click.command()
@pass_context
def show(ctx: Context) -> None:
    """Show this node's identity and its trusted partners."""
    try:
        identity = load_node_keys(ctx.settings).identity
        click.echo(say(out.THIS_NODE.said(name=identity.name, country=identity.country)))
        click.echo(f"  {say(out.FINGERPRINT.said(fingerprint=identity.fingerprint))}")
    except NodeKeyError as error:
        click.echo(say(out.NO_KEYS.said(error=message_of(error))))
    with ctx.database.reader() as session:
        partners = list_partners(session)
    click.echo(say(out.PARTNERS.said(n=len(partners))))
    for partner in partners:
        state = out.PARTNER_REVOKED if partner.revoked_at else out.PARTNER_TRUSTED
        line = state.said(
            name=partner.name, country=partner.country, fingerprint=partner.fingerprint
        )
        endpoint = (
            out.PARTNER_ENDPOINT.said(url=partner.url) if partner.url else out.NO_ENDPOINT.said()
        )
        click.echo(f"  {say(line)}, {say(endpoint)}")


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The backup file to write (.tar.gz; mode 0600: it holds the private key).",
)
@pass_context
@handles(BackupError)
def backup(ctx: Context, output: Path) -> None:
    """Back up the whole node: database (SQLite online backup or pg_dump), keys, home files."""
    manifest = backup_node(ctx.settings, ctx.database, output)
    backed_up = out.BACKED_UP.said(
        path=output,
        backend=manifest.backend,
        revisions=", ".join(manifest.revisions),
        n=len(manifest.files),
    )
    click.echo(say(backed_up))


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a node that already has data or keys.")
@pass_context
@handles(BackupError)
def restore(ctx: Context, file: Path, force: bool) -> None:
    """Restore a backup into this node (ALIANZA_HOME / --home, ALIANZA_DATABASE_URL).

    The node must be empty unless --force; every file's SHA-256 is checked first.
    Then run `alianza audit verify`.
    """
    result = restore_node(ctx.settings, file, force=force)
    manifest = result.manifest
    restored = out.RESTORED.said(
        path=file,
        backend=manifest.backend,
        created_at=manifest.created_at,
        version=manifest.alianza_version,
        n=result.files,
    )
    click.echo(say(restored))
    click.echo(say(out.CHECK_IT.said()))


@click.command("rotate-key")
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

    keys, document = rotate_node_keys(ctx.settings)
    output.write_text(json.dumps(document, indent=2) + "\n", "utf-8")
    old = document["rotation"]["old_fingerprint"]
    click.echo(say(out.ROTATED.said(fingerprint=keys.identity.fingerprint, old=old)))
    click.echo(say(out.ROTATION_WRITTEN.said(path=output, name=output.name)))


@click.command("trust-rotation")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
@handles(NodeKeyError, ValueError)
def trust_rotation(ctx: Context, file: Path) -> None:
    """Replace a partner's trusted key with the new one in FILE (from its
    `alianza node rotate-key`), only if the key trusted now signed it."""
    from alianza.exchange.rotation import accept_rotation

    document = json.loads(file.read_text("utf-8"))
    own = load_node_keys(ctx.settings).identity
    with ctx.database.transaction() as session:
        partner = accept_rotation(
            session, document, own_fingerprint=own.fingerprint, actor=NodeSelf("cli")
        )
        name, fingerprint = partner.name, partner.fingerprint
    click.echo(say(out.ROTATION_TRUSTED.said(name=name, fingerprint=fingerprint)))
