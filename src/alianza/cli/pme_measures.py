"""``alianza pme measures``: bound measurements computed from the cooperation registry."""

from __future__ import annotations

import json
from datetime import date

import click

from alianza.cli.context import Context, handles, pass_context
from alianza.cli.pme_options import ISO_DATE, format_option, plan_option
from alianza.cooperation.measures import compute_measures, measures_text
from alianza.pme.query import PlanNotFound


@click.command("measures")
@click.option("--as-of", type=ISO_DATE, required=True, help="Compute as of this date.")
@format_option
@plan_option
@pass_context
@handles(PlanNotFound)
def measures(ctx: Context, as_of: date, output_format: str, plan_key: str) -> None:
    """Value of every bound measurement as of a date, its target, and the records behind it."""
    with ctx.database.reader() as session:
        values = compute_measures(session, as_of, plan_key=plan_key)
    if output_format == "json":
        data = {"plan": plan_key, "as_of": as_of.isoformat()}
        data["measures"] = [v.as_dict() for v in values]  # type: ignore[assignment]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(measures_text(values, as_of), nl=False)
