"""``alianza coop``: the cooperation registry (10.1–10.9) and the bindings of measures.

The group and the table of its subcommands only, each imported when it runs (issue 18):
``alianza coop --help`` loads no command module.
"""

from __future__ import annotations

import click

from alianza.cli.lazy import Entry, LazyGroup

# name → (module, attribute, one-line help)
COOP_COMMANDS: dict[str, Entry] = {
    "add-deliverable": (
        "alianza.cli.coop_registry",
        "add_deliverable",
        "Record a joint study or deliverable (or, with --country, this government's) under KEY.",
    ),
    "add-mechanism": (
        "alianza.cli.coop_registry",
        "add_mechanism",
        "Record a binational mechanism (HLCG, BLM, working group, subgroup) under KEY.",
    ),
    "add-meeting": (
        "alianza.cli.coop_registry",
        "add_meeting",
        "Record a meeting or consultation of MECHANISM (its key).",
    ),
    "add-post": (
        "alianza.cli.coop_registry",
        "add_post",
        "Record a liaison post and its officer.",
    ),
    "add-technology": (
        "alianza.cli.coop_registry",
        "add_technology",
        "Record technology deployed at a port or place.",
    ),
    "add-training": (
        "alianza.cli.coop_registry",
        "add_training",
        "Record a training event (people trained, by agency).",
    ),
    "bind": (
        "alianza.cli.coop_registry",
        "bind",
        "Bind MEASUREMENT (10.4.1/measurements/1) to a measure computed from records.",
    ),
    "bindings": (
        "alianza.cli.coop_registry",
        "bindings",
        "The measurement paragraphs bound to measures.",
    ),
    "complete": (
        "alianza.cli.coop_registry",
        "complete",
        "Record deliverable KEY completed on COMPLETED_ON (and the PME event it stands for).",
    ),
    "end": (
        "alianza.cli.coop_registry",
        "end",
        "Set the end date of RECORD (mechanism:N or liaison-post:N).",
    ),
    "incidents": (
        "alianza.cli.coop_incidents",
        "incidents",
        "Border violence and crime incidents: import, analysis by region and quarter.",
    ),
    "list": (
        "alianza.cli.coop_registry",
        "list_command",
        "List the records of a KIND (mechanism, meeting, liaison-post, ...).",
    ),
    "load-facts": (
        "alianza.cli.coop_registry",
        "load_facts_command",
        "Record the 1999 facts of the seed report (the binational ones and this node's "
        "government's own) and bind the seed's counting measurements.",
    ),
    "threat-assessment": (
        "alianza.cli.coop_registry",
        "threat_assessment",
        "A DRAFT Binational Threat Assessment (Markdown) from this node's records.",
    ),
}


@click.group(cls=LazyGroup, lazy=COOP_COMMANDS)
def coop() -> None:
    """Cooperation registry: mechanisms, meetings, liaison posts, deliverables, technology."""
