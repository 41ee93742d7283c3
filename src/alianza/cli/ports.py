"""``alianza ports``: crossing volumes, wait times, the crossing model and the analysis document.

The group and the table of its subcommands only, each imported when it runs (issue 18):
``alianza ports --help`` loads no command module.
"""

from __future__ import annotations

import click

from alianza.cli.lazy import Entry, LazyGroup

# name → (module, attribute, one-line help)
PORTS_COMMANDS: dict[str, Entry] = {
    "alert": (
        "alianza.cli.ports_liaison",
        "alert",
        "Alerts to the paired port across the border.",
    ),
    "contact": (
        "alianza.cli.ports_liaison",
        "contact",
        "The counterpart directory: officials of each side of a port pair.",
    ),
    "deliver": (
        "alianza.cli.ports_liaison",
        "deliver",
        "One delivery pass: POST due outbox messages, signed, to the partner node (exit 3: "
        "some stay queued).",
    ),
    "drill": (
        "alianza.cli.ports_liaison",
        "drill",
        "Communication drills of a port pair.",
    ),
    "import": (
        "alianza.cli.ports_operations",
        "import_command",
        "Import BTS Border Crossing Entry Data and CBP wait-times files.",
    ),
    "inbox": (
        "alianza.cli.ports_liaison",
        "inbox",
        "Messages arriving from the partner node.",
    ),
    "measures": (
        "alianza.cli.ports_liaison",
        "measures",
        "PME measures of 10.6 per port pair and quarter.",
    ),
    "model": (
        "alianza.cli.ports_operations",
        "model",
        "Calibrate the crossing model, show how well it fits, and evaluate scenarios.",
    ),
    "notify": (
        "alianza.cli.ports_liaison",
        "notify",
        "Send the queued notifications (e-mail, webhook, SMS) of alerts addressed to people "
        "on this node (`alianza serve` does it every second); exit 3 when some could not go.",
    ),
    "outbox": (
        "alianza.cli.ports_liaison",
        "outbox",
        "Messages waiting to cross to the partner node.",
    ),
    "report": (
        "alianza.cli.ports_operations",
        "report",
        "Write the bilingual port-services analysis (Markdown EN/ES, HTML, PNG charts).",
    ),
    "seasonality": (
        "alianza.cli.ports_operations",
        "seasonality",
        "Seasonal index per calendar month (1.00 = the year's monthly mean) and the trend.",
    ),
    "volumes": (
        "alianza.cli.ports_operations",
        "volumes",
        "Inbound volumes by mode per year (or month); '-' means not reported, not zero.",
    ),
    "waits": (
        "alianza.cli.ports_operations",
        "waits",
        "Mean historical wait (minutes) by hour, weekday (0 = Monday, inferred) or month.",
    ),
}


@click.group(cls=LazyGroup, lazy=PORTS_COMMANDS)
def ports() -> None:
    """Ports of entry: crossings (BTS), wait times (CBP), analysis and crossing model."""
