"""``alianza users``: local accounts."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from alianza.accounts.permissions import Country, Role
from alianza.accounts.service import (
    AccountError,
    create_user,
    disable_user,
    foreign_users,
    issue_token,
    list_users,
    set_password,
    set_role,
)
from alianza.accounts.throttle import clear_throttle, list_throttles
from alianza.actors import NodeSelf
from alianza.cli import messages as words
from alianza.cli import output_users as out
from alianza.cli.context import Context, handles, pass_context, say
from alianza.node import node_country

ROLES = click.Choice([r.value for r in Role])
COUNTRIES = click.Choice([c.value for c in Country])


@click.command()
@click.argument("username")
@click.option("--role", type=ROLES, required=True, help="admin, coordinator, analyst, ...")
@click.option(
    "--country",
    type=COUNTRIES,
    help="The user's government: this node's (the default); another is refused.",
)
@click.option("--agency", required=True, help="The user's agency, e.g. CBP or SHCP.")
@click.option("--name", "display_name", help="Display name (default: the username).")
@click.option("--lang", "language", type=click.Choice(["en", "es"]), default="en")
@click.password_option(help="Prompted for (twice) when not given; at least 10 characters.")
@pass_context
@handles(AccountError)
def add(
    ctx: Context,
    username: str,
    role: str,
    country: str | None,
    agency: str,
    display_name: str | None,
    language: str,
    password: str,
) -> None:
    """Create a user."""
    with ctx.database.transaction() as session:
        country = country or node_country(session).value
        create_user(
            session,
            username=username,
            password=password,
            role=Role(role),
            country=Country(country),
            agency=agency,
            display_name=display_name,
            language=language,
            actor=NodeSelf("cli"),
        )
    created = out.CREATED.said(username=username, role=role, country=country, agency=agency)
    click.echo(say(created))


@click.command("list")
@pass_context
def list_command(ctx: Context) -> None:
    """List users."""
    with ctx.database.reader() as session:
        rows = list_users(session)
    if not rows:
        click.echo(say(out.NO_USERS.said()))
        return
    own = ctx.database.country
    active, disabled = say(out.ACTIVE.said()), say(out.DISABLED.said())
    for user in rows:
        state = active if user.active else disabled
        other = f"  {say(out.OTHER_GOVERNMENT.said())}" if own and user.country != own else ""
        click.echo(
            f"{user.username:<20} {user.role:<12} {user.country} {user.agency:<12} {state}{other}"
        )


@click.command()
@click.option(
    "--disable",
    "disable_them",
    is_flag=True,
    help="Disable them (ends their sessions, revokes their tokens; audited).",
)
@pass_context
def check(ctx: Context, disable_them: bool) -> None:
    """List the accounts of the other government an older database still holds; they cannot
    sign in on this node. Exit 1 while any of them is active (--disable disables them)."""
    with ctx.database.transaction() as session:
        own = node_country(session).value
        found = foreign_users(session)
        for user in found:
            if disable_them and user.active:
                disable_user(session, user.username, actor=NodeSelf("cli: users check --disable"))
        rows = [(u.username, u.role, u.country, u.agency, u.active) for u in found]
    if not rows:
        click.echo(say(out.NO_FOREIGN_ACCOUNTS.said(own=own)))
        return
    click.echo(say(out.FOREIGN_ACCOUNTS.said(own=own, n=len(rows))))
    for username, role, country, agency, active in rows:
        state = say((out.ACTIVE if active else out.DISABLED).said())
        click.echo(f"  {username:<20} {role:<12} {country} {agency:<12} {state}")
    if any(active for *_, active in rows):
        click.echo(say(out.DISABLE_THEM.said()), err=True)
        raise SystemExit(1)


@click.command()
@click.argument("username")
@pass_context
@handles(AccountError)
def disable(ctx: Context, username: str) -> None:
    """Disable a user (ends their sessions and revokes their API tokens)."""
    with ctx.database.transaction() as session:
        disable_user(session, username, actor=NodeSelf("cli"))
    click.echo(say(out.USER_DISABLED.said(username=username)))


@click.command("set-role")
@click.argument("username")
@click.argument("role", type=ROLES)
@click.option("--country", type=COUNTRIES, help="Change the user's country too.")
@click.option("--agency", help="Change the user's agency too.")
@pass_context
@handles(AccountError)
def set_role_command(
    ctx: Context, username: str, role: str, country: str | None, agency: str | None
) -> None:
    """Change a user's role (and optionally country and agency); ends their sessions."""
    with ctx.database.transaction() as session:
        set_role(
            session,
            username,
            Role(role),
            country=Country(country) if country else None,
            agency=agency,
            actor=NodeSelf("cli"),
        )
    click.echo(say(out.ROLE_SET.said(username=username, role=role)))


@click.command()
@click.argument("username")
@click.option("--name", "token_name", default="script", show_default=True, help="Token label.")
@pass_context
@handles(AccountError)
def token(ctx: Context, username: str, token_name: str) -> None:
    """Issue an API token (shown once; send it as `Authorization: Bearer TOKEN`)."""
    with ctx.database.transaction() as session:
        value = issue_token(session, username, token_name, actor=NodeSelf("cli"))
    click.echo(value)


@click.command("set-password")
@click.argument("username")
@click.password_option(help="Prompted for (twice) when not given; at least 10 characters.")
@pass_context
@handles(AccountError)
def set_password_command(ctx: Context, username: str, password: str) -> None:
    """Set a user's password; ends every session of the user (API tokens stay)."""
    with ctx.database.transaction() as session:
        set_password(session, username, password, actor=NodeSelf("cli"))
    click.echo(say(out.PASSWORD_SET.said(username=username)))


@click.command()
@pass_context
def throttles(ctx: Context) -> None:
    """List login throttles: failed logins per account and per client address."""
    now = datetime.now(UTC)
    with ctx.database.reader() as session:
        rows = list_throttles(session)
    if not rows:
        click.echo(say(out.NO_FAILED_LOGINS.said()))
    for row in rows:
        wait = row.wait(now)
        state = out.WAITS.said(seconds=wait) if wait > 0 else out.NOT_DELAYED.said()
        last = row.last_failure_at.isoformat(timespec="seconds")
        line = out.FAILURES.said(key=row.key, n=row.failures, last=last, state=state)
        click.echo(say(line))


@click.command("clear-throttle")
@click.argument("key", required=False)
@click.option("--all", "everything", is_flag=True, help="Clear every key.")
@pass_context
def clear_throttle_command(ctx: Context, key: str | None, everything: bool) -> None:
    """Forget the failed logins of KEY (account:NAME or address:IP, as listed by throttles)."""
    if (key is None) == (not everything):
        raise click.UsageError(say(words.GIVE_THROTTLE.said()))
    with ctx.database.transaction() as session:
        cleared = clear_throttle(session, key, actor=NodeSelf("cli"))
    click.echo(say(out.CLEARED.said(n=cleared)))
