"""``alianza exchange``: quarterly signed packages between the two nodes.

The group and the table of its subcommands only, each imported when it runs (issue 18):
``alianza exchange --help`` loads no command module.
"""

from __future__ import annotations

import click

from alianza.cli.lazy import Entry, LazyGroup

# name → (module, attribute, one-line help)
EXCHANGE_COMMANDS: dict[str, Entry] = {
    "build": (
        "alianza.cli.exchange_commands",
        "build",
        "Build this node's signed package of a quarter's seizure tables (next version).",
    ),
    "dsd": (
        "alianza.cli.exchange_commands",
        "dsd",
        "Write the SDMX data structure definition of the exchanged tables (SDMX-ML 2.1).",
    ),
    "receive": (
        "alianza.cli.exchange_commands",
        "receive_command",
        "Verify a partner's package and load it (nothing is written if any check fails).",
    ),
    "send": (
        "alianza.cli.exchange_commands",
        "send",
        "Push a package to a trusted partner's registered endpoint over HTTPS (retries with "
        "backoff; safe to repeat).",
    ),
    "status": (
        "alianza.cli.exchange_commands",
        "status",
        "The exchange log per country and quarter: built, sent, received, acknowledged, late.",
    ),
}


@click.group(cls=LazyGroup, lazy=EXCHANGE_COMMANDS)
def exchange() -> None:
    """Quarterly exchange of signed seizure packages with the partner node."""
