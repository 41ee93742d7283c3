"""``alianza analysis``: the joint edition of both countries' exchanged data.

The group and the table of its subcommands only, each imported when it runs (issue 18):
``alianza analysis --help`` loads no command module.
"""

from __future__ import annotations

import click

from alianza.cli.lazy import Entry, LazyGroup

# name → (module, attribute, one-line help)
ANALYSIS_COMMANDS: dict[str, Entry] = {
    "joint": (
        "alianza.cli.analysis_commands",
        "joint",
        "Both countries' seizure tables for a quarter: totals, trends by drug over eight "
        "quarters, shares and changes, transport methods and concealments ranked by drug with "
        "their coverage, border corridors and what could not be paired, and the inputs "
        "(packages, signers, source files).",
    ),
    "sign": (
        "alianza.cli.analysis_commands",
        "sign",
        "Sign the content hash of the quarter's joint edition with this node's key.",
    ),
    "signatures": (
        "alianza.cli.analysis_commands",
        "signatures",
        "Which governments signed this node's joint edition of the quarter.",
    ),
    "verify": (
        "alianza.cli.analysis_commands",
        "verify",
        "Check a signature file (this node's or the partner's) against this node's edition of "
        "the quarter: the same content hash, signed by a trusted key.",
    ),
}


@click.group(cls=LazyGroup, lazy=ANALYSIS_COMMANDS)
def analysis() -> None:
    """Joint analyses of both countries' exchanged data."""
