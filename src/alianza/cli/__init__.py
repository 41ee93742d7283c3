"""The ``alianza`` command: a thin shell over the library (parse, call, render)."""

from __future__ import annotations

from pathlib import Path

import click

from alianza import __version__
from alianza.cli.analysis import analysis
from alianza.cli.audit import audit
from alianza.cli.context import Context
from alianza.cli.coop import coop
from alianza.cli.db import db
from alianza.cli.demo import demo
from alianza.cli.exchange import exchange
from alianza.cli.node import node
from alianza.cli.pme import pme
from alianza.cli.pme_engine import ENGINE_COMMANDS
from alianza.cli.pme_measures import measures
from alianza.cli.ports import ports
from alianza.cli.risk import risk
from alianza.cli.seizures import seizures
from alianza.cli.serve import serve
from alianza.cli.users import users


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="alianza")
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


cli.add_command(db)
cli.add_command(pme)
cli.add_command(audit)
cli.add_command(demo)
cli.add_command(serve)
cli.add_command(users)
cli.add_command(node)
cli.add_command(exchange)
cli.add_command(analysis)
cli.add_command(seizures)
cli.add_command(ports)
cli.add_command(coop)
pme.add_command(measures)
for _command in ENGINE_COMMANDS:
    pme.add_command(_command)
cli.add_command(risk)


def main() -> None:
    cli(prog_name="alianza")
