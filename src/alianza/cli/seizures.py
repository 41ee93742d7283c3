"""``alianza seizures``: import seizure files, see quarantine, aggregate, code lists.

The group and the table of its subcommands only, each imported when it runs (issue 18):
``alianza seizures --help`` loads no command module.
"""

from __future__ import annotations

import click

from alianza.cli.lazy import Entry, LazyGroup

# name → (module, attribute, one-line help)
SEIZURES_COMMANDS: dict[str, Entry] = {
    "aggregate": (
        "alianza.cli.seizures_commands",
        "aggregate_command",
        "Number of seizures and amount seized over events and aggregate rows together, within "
        "a named scope; a fiscal year still open is marked fiscal_year_to_date.",
    ),
    "codes": (
        "alianza.cli.seizures_commands",
        "codes",
        "Show a code list (drug, unit, concealment …), or list the code lists.",
    ),
    "import": (
        "alianza.cli.seizures_commands",
        "import_command",
        "Import a seizure file (CSV, XLSX, JSON, JSON Lines) with a mapping profile.",
    ),
    "profile": (
        "alianza.cli.seizures_commands",
        "profile_group",
        "Work with mapping profiles (JSON files that say how a source's columns are read).",
    ),
    "profiles": (
        "alianza.cli.seizures_commands",
        "profiles",
        "List the built-in mapping profiles.",
    ),
    "quarantine": (
        "alianza.cli.seizures_commands",
        "quarantine",
        "Rows held in quarantine, with their raw values and reasons.",
    ),
    "summary-rebuild": (
        "alianza.cli.seizures_commands",
        "summary_rebuild",
        "Recompute the seizure summary tables from the events (imports keep them up to date).",
    ),
    "template": (
        "alianza.cli.seizures_commands",
        "template",
        "Write the canonical CSV template (profile `canonical`).",
    ),
}


@click.group(cls=LazyGroup, lazy=SEIZURES_COMMANDS)
def seizures() -> None:
    """Seizure records: import files, fix what validation rejects, aggregate."""
