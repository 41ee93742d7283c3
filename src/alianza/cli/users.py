"""``alianza users``: local accounts.

The group and the table of its subcommands only, each imported when it runs (issue 18):
``alianza users --help`` loads no command module.
"""

from __future__ import annotations

import click

from alianza.cli.lazy import Entry, LazyGroup

# name → (module, attribute, one-line help)
USERS_COMMANDS: dict[str, Entry] = {
    "add": (
        "alianza.cli.users_commands",
        "add",
        "Create a user.",
    ),
    "check": (
        "alianza.cli.users_commands",
        "check",
        "List the accounts of the other government an older database still holds; they cannot "
        "sign in on this node.",
    ),
    "clear-throttle": (
        "alianza.cli.users_commands",
        "clear_throttle_command",
        "Forget the failed logins of KEY (account:NAME or address:IP, as listed by throttles).",
    ),
    "disable": (
        "alianza.cli.users_commands",
        "disable",
        "Disable a user (ends their sessions and revokes their API tokens).",
    ),
    "list": (
        "alianza.cli.users_commands",
        "list_command",
        "List users.",
    ),
    "set-password": (
        "alianza.cli.users_commands",
        "set_password_command",
        "Set a user's password; ends every session of the user (API tokens stay).",
    ),
    "set-role": (
        "alianza.cli.users_commands",
        "set_role_command",
        "Change a user's role (and optionally country and agency); ends their sessions.",
    ),
    "throttles": (
        "alianza.cli.users_commands",
        "throttles",
        "List login throttles: failed logins per account and per client address.",
    ),
    "token": (
        "alianza.cli.users_commands",
        "token",
        "Issue an API token (shown once; send it as `Authorization: Bearer TOKEN`).",
    ),
}


@click.group(cls=LazyGroup, lazy=USERS_COMMANDS)
def users() -> None:
    """Local user accounts, roles and API tokens."""
