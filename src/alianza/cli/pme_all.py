"""The ``alianza pme`` group with every subcommand attached (imported when ``pme`` runs)."""

from __future__ import annotations

from alianza.cli.pme import pme
from alianza.cli.pme_engine import ENGINE_COMMANDS
from alianza.cli.pme_measures import measures
from alianza.cli.pme_todo import todo

pme.add_command(measures)
pme.add_command(todo)
for _command in ENGINE_COMMANDS:
    pme.add_command(_command)

__all__ = ["pme"]
