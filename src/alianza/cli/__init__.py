"""The ``alianza`` command: a thin shell over the library (parse, call, render).

Subcommands are imported when they are run, not before: ``alianza pme show`` loads neither the
web framework nor the risk models. Their one-line help is written in ``COMMANDS`` so that
``alianza --help`` imports nothing (tests/test_cli.py checks it matches each command's own);
a group can list its own subcommands the same way (:class:`alianza.cli.lazy.LazyGroup`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from alianza import __version__
from alianza.catalogue import in_language, message_of
from alianza.cli.context import Context
from alianza.cli.help_texts import VERSION, help_language, localize, said_in
from alianza.cli.lazy import Entry, LazyGroup
from alianza.operations.problems import ConfigurationProblem, message_language

# name → (module, attribute, one-line help)
COMMANDS: dict[str, Entry] = {
    "analysis": (
        "alianza.cli.analysis",
        "analysis",
        "Joint analyses of both countries' exchanged data.",
    ),
    "audit": (
        "alianza.cli.audit",
        "audit",
        "The append-only audit log of every write.",
    ),
    "coop": (
        "alianza.cli.coop",
        "coop",
        "Cooperation registry: mechanisms, meetings, liaison posts, deliverables, technology.",
    ),
    "db": (
        "alianza.cli.db",
        "db",
        "The node's database (migrations are applied automatically on first use).",
    ),
    "demo": (
        "alianza.cli.demo",
        "demo",
        "Build two embedded (SQLite) nodes, US and MX, with the demo data; show, then serve them.",
    ),
    "exchange": (
        "alianza.cli.exchange",
        "exchange",
        "Quarterly exchange of signed seizure packages with the partner node.",
    ),
    "node": (
        "alianza.cli.node",
        "node",
        "This node's identity and keys, and its trusted partners.",
    ),
    "pme": (
        "alianza.cli.pme",
        "pme",
        "Performance measures: import, show and export strategy reports.",
    ),
    "ports": (
        "alianza.cli.ports",
        "ports",
        "Ports of entry: crossings (BTS), wait times (CBP), analysis and crossing model.",
    ),
    "risk": (
        "alianza.cli.risk",
        "risk",
        "Shipment risk targeting: import, train, score, select, evaluate, explain.",
    ),
    "seizures": (
        "alianza.cli.seizures",
        "seizures",
        "Seizure records: import files, fix what validation rejects, aggregate.",
    ),
    "serve": (
        "alianza.cli.serve",
        "serve",
        "Serve the web application and the JSON API of this node.",
    ),
    "users": (
        "alianza.cli.users",
        "users",
        "Local user accounts, roles and API tokens.",
    ),
}


class RootGroup(LazyGroup):
    """The ``alianza`` command: its subcommands are those of :data:`COMMANDS`."""

    wrap_helps = True  # ``alianza --help`` prints each group's first sentence whole

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """The command, its ``--help`` and Click's own words (usage errors) in the user's
        language (alianza.cli.help_texts)."""
        language = message_language()
        with said_in(language):
            localize(self, (), language)
            return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> object:
        """Configuration and connection problems end the command with a one-line ``Error:``
        (in ALIANZA_LANGUAGE or the locale's language), never a traceback; so do refusals at
        the node's boundary (alianza.node), the same way in every command."""
        from alianza.node import ForeignCountry, NodeCountryUnknown

        try:
            return super().invoke(ctx)
        except ConfigurationProblem as problem:
            raise click.ClickException(problem.message(message_language())) from None
        except (NodeCountryUnknown, ForeignCountry) as error:
            raise click.ClickException(in_language(message_of(error), message_language())) from None


def show_version(ctx: click.Context, _param: click.Parameter, shown: bool) -> None:
    """``alianza --version``: "alianza, version 0.1.0", in the user's language (Click's
    ``version_option`` words its line once, in English, when the option is made)."""
    if shown and not ctx.resilient_parsing:
        click.echo(VERSION(help_language(), prog="alianza", version=__version__))
        ctx.exit()


@click.group(
    cls=RootGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=show_version,
    help="Show the version and exit.",
)
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="ALIANZA_HOME",
    help="The node's folder (database, keys, uploads). Env: ALIANZA_HOME.",
)
@click.pass_context
def cli(ctx: click.Context, home: Path | None) -> None:
    """Alianza: United States–Mexico border-security cooperation platform."""
    ctx.obj = Context(home=home)


def main() -> None:
    cli(prog_name="alianza")
