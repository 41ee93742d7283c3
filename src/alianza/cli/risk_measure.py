"""``alianza risk evaluate | drift | explain``: how the model measures, how the traffic
moves, why a shipment scores as it does. Thin shells over :mod:`alianza.risk.service`."""

from __future__ import annotations

import json
from datetime import datetime

import click

from alianza.cli import messages as words
from alianza.cli import output_risk as out
from alianza.cli.context import Context, fail, pass_context, say
from alianza.cli.risk_options import (
    DATE,
    need_library,
    with_period,
)


@click.command("evaluate")
@with_period
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def evaluate(
    ctx: Context,
    start: datetime,
    end: datetime,
    port: str | None,
    model_id: int | None,
    as_json: bool,
) -> None:
    """Measure the model on the period's inspected shipments, and report the unbiased hit rate
    of the random-control inspections of the period."""
    need_library()
    from alianza.risk.service import NoModel, NothingToScore, evaluate_period

    if port is not None:
        fail(words.NO_PORT_FILTER.said())
    try:
        result = evaluate_period(
            ctx.database, start=start.date(), end=end.date(), model_id=model_id
        )
    except (NoModel, NothingToScore) as error:
        fail(error)
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2))
        return
    click.echo(say(out.EVALUATED.said(rows=f"{result.rows:,}", labeled=f"{result.labeled:,}")))
    for head, values in result.metrics.items():
        shown = ", ".join(f"{k} {v:.3f}" for k, v in values.items())
        click.echo(f"  {head}: {shown}")
    rate = result.random_slice
    if rate.inspected:
        line = out.RANDOM_SLICE.said(
            hits=rate.hits,
            inspected=rate.inspected,
            rate=f"{rate.rate:.3f}",
            low=f"{rate.low:.3f}",
            high=f"{rate.high:.3f}",
        )
        click.echo(say(line))
    else:
        click.echo(say(out.RANDOM_SLICE_EMPTY.said()))


@click.command("drift")
@click.option("--reference-from", type=DATE, help="First day of the reference.")
@click.option("--reference-to", type=DATE, help="Last day of the reference.")
@click.option(
    "--seasonal",
    is_flag=True,
    help="Take the same days one year earlier as the reference (seasonal trade).",
)
@click.option("--from", "start", type=DATE, required=True, help="First day of the current period.")
@click.option("--to", "end", type=DATE, required=True, help="Last day of the current period.")
@click.option("--model", "model_id", type=int, help="Model id (default: the newest).")
@click.option("--top", type=int, default=10, show_default=True, help="Features to print.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def drift(
    ctx: Context,
    reference_from: datetime | None,
    reference_to: datetime | None,
    seasonal: bool,
    start: datetime,
    end: datetime,
    model_id: int | None,
    top: int,
    as_json: bool,
) -> None:
    """Feature drift (PSI, judged against the noise of its number of categories and sample
    sizes) and the change of the random-slice hit rate between two periods."""
    need_library()
    from alianza.risk.drift import seasonal_reference
    from alianza.risk.service import NoModel, NothingToScore, drift_between

    if seasonal:
        reference = seasonal_reference(start.date(), end.date())
    elif reference_from is not None and reference_to is not None:
        reference = (reference_from.date(), reference_to.date())
    else:
        fail(words.DRIFT_REFERENCE.said())
    try:
        report = drift_between(
            ctx.database,
            reference=reference,
            current=(start.date(), end.date()),
            model_id=model_id,
        )
    except (NoModel, NothingToScore) as error:
        fail(error)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
        return
    heading = out.DRIFT_HEADING.said(
        reference=f"{reference[0]}..{reference[1]}", current=f"{start.date()}..{end.date()}"
    )
    click.echo(say(heading))
    for item in report.features[:top]:
        row = out.DRIFT_ROW.said(
            psi=f"{item.psi:8.3f}",
            level=f"{item.level:<8}",
            feature=item.feature,
            noise=f"{item.noise:.3f}",
        )
        click.echo(say(row))
    before, after = report.slices
    change = report.hit_rate
    if before.inspected and after.inspected:
        line = out.HIT_RATE_CHANGE.said(
            before=f"{change.before:.3f}",
            before_inspected=before.inspected,
            after=f"{change.after:.3f}",
            after_inspected=after.inspected,
            z=f"{change.z:+.2f}",
            p=f"{change.p_value:.3f}",
        )
        click.echo(say(line))
    else:
        click.echo(say(out.HIT_RATE_UNKNOWN.said()))


@click.command("explain")
@click.argument("references", nargs=-1, required=True)
@click.option(
    "--head", type=click.Choice(["general", "critical"]), default="general", show_default=True
)
@click.option("--top", type=int, default=5, show_default=True, help="Features per shipment.")
@click.option("--model", "model_id", type=int, help="Model id (default: the newest).")
@pass_context
def explain_command(
    ctx: Context, references: tuple[str, ...], head: str, top: int, model_id: int | None
) -> None:
    """Why shipments score as they do: the features that moved their score most."""
    need_library()
    from alianza.risk.service import NoModel, explain_shipments

    try:
        found = explain_shipments(
            ctx.database, list(references), head=head, top=top, model_id=model_id
        )
    except (NoModel, LookupError) as error:
        fail(error)
    for reference, explanation in found:
        score = f"{explanation.raw_score:+.3f}"
        click.echo(say(out.EXPLAINED.said(reference=reference, head=head, score=score)))
        click.echo(say(out.RAISING.said()))
        for c in explanation.top:
            click.echo(f"    {c.contribution:+.3f}  {c.feature} = {c.value}")
        click.echo(say(out.LOWERING.said()))
        for c in explanation.lowering:
            click.echo(f"    {c.contribution:+.3f}  {c.feature} = {c.value}")
