"""``alianza pme todo``: what needs you."""

from __future__ import annotations

import json
from datetime import date

import click

from alianza.cli.context import Context, handles, pass_context
from alianza.cli.pme_options import ISO_DATE, format_option, plan_option
from alianza.operations.problems import message_language
from alianza.pme.query import PlanNotFound
from alianza.pme.schedule import DUE_SOON_DAYS
from alianza.pme.todo import APPROVAL_WAIT_DAYS, todo_text, what_needs_me


@click.command("todo")
@click.option("--gov", "government", type=click.Choice(["US", "MX"]), help="Your government.")
@click.option("--today", type=ISO_DATE, help="As of this date (default: today).")
@click.option(
    "--due-within-days",
    type=click.IntRange(min=0),
    default=DUE_SOON_DAYS,
    show_default=True,
    help="A target due within this many days is listed.",
)
@click.option(
    "--approval-wait-days",
    type=click.IntRange(min=0),
    default=APPROVAL_WAIT_DAYS,
    show_default=True,
    help="A cycle approval waiting this many days or more is listed.",
)
@format_option
@plan_option
@pass_context
@handles(PlanNotFound)
def todo(
    ctx: Context,
    government: str | None,
    today: date | None,
    due_within_days: int,
    approval_wait_days: int,
    output_format: str,
    plan_key: str,
) -> None:
    """What needs you: targets coming due or overdue, disputes, approvals waiting."""
    when = today or date.today()
    with ctx.database.reader() as session:
        items = what_needs_me(
            session,
            when,
            government=government,
            due_within_days=due_within_days,
            approval_wait_days=approval_wait_days,
            plan_key=plan_key,
        )
    if output_format == "json":
        data = {"as_of": when.isoformat(), "items": [i.as_dict() for i in items]}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(todo_text(items, when, message_language()), nl=False)
