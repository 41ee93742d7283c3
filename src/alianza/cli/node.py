"""``alianza node``: this node's identity and keys, and the partners it trusts.

The group and the table of its subcommands only, each imported when it runs (issue 18):
``alianza node --help`` loads no command module.
"""

from __future__ import annotations

import click

from alianza.cli.lazy import Entry, LazyGroup

# name → (module, attribute, one-line help)
NODE_COMMANDS: dict[str, Entry] = {
    "backup": (
        "alianza.cli.node_commands",
        "backup",
        "Back up the whole node: database (SQLite online backup or pg_dump), keys, home files.",
    ),
    "export-key": (
        "alianza.cli.node_commands",
        "export_key",
        "Write this node's public key and identity (JSON) for the partner to trust.",
    ),
    "init": (
        "alianza.cli.node_commands",
        "init",
        "Create this node's Ed25519 key pair and session key in its keys folder (mode 0600).",
    ),
    "restore": (
        "alianza.cli.node_commands",
        "restore",
        "Restore a backup into this node (ALIANZA_HOME / --home, ALIANZA_DATABASE_URL).",
    ),
    "rotate-key": (
        "alianza.cli.node_commands",
        "rotate_key",
        "Replace this node's key pair; write the rotation message, signed by the old key.",
    ),
    "session-key": (
        "alianza.cli.node_commands",
        "session_key",
        "Create (or with --rotate replace) the key that signs this node's session cookies.",
    ),
    "set-url": (
        "alianza.cli.node_commands",
        "set_url",
        "Register the address of a trusted PARTNER (its name or fingerprint, 8+ characters).",
    ),
    "show": (
        "alianza.cli.node_commands",
        "show",
        "Show this node's identity and its trusted partners.",
    ),
    "trust": (
        "alianza.cli.node_commands",
        "trust",
        "Trust a partner's public key file (from its `alianza node export-key`).",
    ),
    "trust-rotation": (
        "alianza.cli.node_commands",
        "trust_rotation",
        "Replace a partner's trusted key with the new one in FILE (from its `alianza node "
        "rotate-key`), only if the key trusted now signed it.",
    ),
}


@click.group(cls=LazyGroup, lazy=NODE_COMMANDS)
def node() -> None:
    """This node's identity and keys, and its trusted partners."""
