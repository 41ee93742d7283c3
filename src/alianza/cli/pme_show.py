"""``alianza pme show``, and the options it shares with ``pme import`` and ``pme export``."""

from __future__ import annotations

import click

from alianza.cli import output_pme as out
from alianza.cli.context import Context, handles, pass_context
from alianza.pme.document import DEFAULT_PLAN, Language
from alianza.pme.query import (
    Address,
    BadAddress,
    NothingInLanguage,
    PlanNotFound,
    load_plan_report,
    paragraph_at,
)
from alianza.pme.show import action_text, report_text

plan_option = click.option(
    "--plan", "plan_key", default=DEFAULT_PLAN, show_default=True, help="Plan key."
)
language_option = click.option(
    "--lang",
    "language",
    type=click.Choice([lang.value for lang in Language]),
    default="en",
    show_default=True,
    help="Language of the text.",
)


@click.command()
@click.argument("what", required=False)
@plan_option
@language_option
@click.option("--width", type=int, default=100, show_default=True, help="Wrap text at this width.")
@pass_context
@handles(PlanNotFound, NothingInLanguage, BadAddress)
def show(ctx: Context, what: str | None, plan_key: str, language: str, width: int) -> None:
    """Print the report, one action (10.4.1) or one paragraph (10.2/status/5)."""
    with ctx.database.reader() as session:
        report = load_plan_report(session, plan_key, Language(language))
    if what is None:
        click.echo(report_text(report, width), nl=False)
    elif "/" in what:
        address = Address.parse(what)
        click.echo(f"{address}: {paragraph_at(report, address).text}")
    else:
        action = report.action(what)
        if action is None:
            known = ", ".join(a.number for a in report.actions())
            raise BadAddress(out.NO_ACTION.said(action=what, plan=plan_key, known=known))
        click.echo(action_text(action, report, width))
