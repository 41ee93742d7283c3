"""``alianza risk score-one`` (a declaration as it arrives) and ``alianza risk hit-rates`` (the
random control slice's hit rate per period and lane). Thin shells over
:mod:`alianza.risk.live` and :mod:`alianza.risk.browse`."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import click

from alianza.cli import messages as words
from alianza.cli import output_risk as out
from alianza.cli.context import Context, fail, pass_context, say
from alianza.cli.pme_options import by_option
from alianza.cli.risk_options import acting, need_library
from alianza.operations.problems import message_language


def _threshold(value: str) -> tuple[str, float]:
    name, _, threshold = value.partition("=")
    try:
        return name, float(threshold)
    except ValueError:
        raise click.BadParameter(say(words.EXPECTED_THRESHOLD.said(value=value))) from None


def _declarations(file: Path) -> list[dict[str, Any]]:
    text = file.read_text(encoding="utf-8-sig")
    if file.suffix.lower() == ".json":
        data = json.loads(text)
        return data if isinstance(data, list) else [data]
    return list(csv.DictReader(text.splitlines()))


@click.command("score-one")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--profile", type=click.Choice(["alianza", "kcs"]), default="alianza", show_default=True
)
@click.option(
    "--lane",
    "lanes",
    multiple=True,
    help="NAME=THRESHOLD, most intrusive first (repeat); default physical=0.5, non-intrusive=0.2.",
)
@click.option("--random-share", type=float, help="Share sent to the control lane at random.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@by_option
@pass_context
def score_one_command(
    ctx: Context,
    file: Path,
    profile: str,
    lanes: tuple[str, ...],
    random_share: float | None,
    as_json: bool,
    by: str,
) -> None:
    """Score declarations one at a time, as they arrive (FILE: a JSON object or list, or a
    CSV): each is checked, scored by the active model, run through the rules and watchlists,
    and given a lane, its reasons and its explanation. Nothing is stored but the audit entry."""
    need_library()
    from alianza.risk.live import LivePolicy, Refused, score_declaration
    from alianza.risk.service import NoModel

    try:
        defaults = LivePolicy()
        chosen = tuple(_threshold(v) for v in lanes) or defaults.lanes
        policy = LivePolicy(
            lanes=chosen,
            random_share=defaults.random_share if random_share is None else random_share,
            control=chosen[0][0],
        )
        found = []
        for raw in _declarations(file):
            try:
                found.append(
                    score_declaration(
                        ctx.database, raw, profile=profile, policy=policy, actor=acting(by)
                    )
                )
            except Refused as refused:
                click.echo(refused.report.text(language=message_language()), err=True)
    except NoModel as error:
        fail(error)
    except (ValueError, json.JSONDecodeError) as error:
        fail(words.FILE_ERROR.said(file=file.name, error=error))
    if as_json:
        click.echo(json.dumps([d.as_dict() for d in found], indent=2, ensure_ascii=False))
    else:
        for d in found:
            rules = ", ".join(f"{h.rule} v{h.version}" for h in d.hits)
            row = out.SCORED_ONE.said(
                reference=d.reference,
                violation=f"{d.p_violation:.4f}",
                critical=f"{d.p_critical:.4f}",
                lane=d.lane,
                reason=d.reason,
                rules=rules or out.NO_RULE_HIT.said(),
            )
            click.echo(say(row))
            for c in d.explanation.top:
                click.echo(f"    {c.contribution:+.3f}  {c.feature} = {c.value}")
            for c in d.explanation.lowering:
                click.echo(f"    {c.contribution:+.3f}  {c.feature} = {c.value}")
    if not found:
        raise SystemExit(2)


@click.command("hit-rates")
@click.option(
    "--period", type=click.Choice(["day", "week", "month"]), default="month", show_default=True
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def hit_rates_command(ctx: Context, period: str, as_json: bool) -> None:
    """The random control slice's hit rate per period and lane, with its 95 % interval (Wilson):
    the unbiased measure of how often a shipment of the traffic breaks the rules."""
    from alianza.risk import browse

    with ctx.database.reader() as session:
        rates = browse.hit_rates(session, period=period, by_lane=True)
    if as_json:
        click.echo(json.dumps(rates, indent=2))
        return
    if not rates:
        click.echo(say(out.NO_DRAWS.said()))
    for r in rates:
        if r["inspected"]:
            row = out.HIT_RATE_ROW.said(
                period=r["period"],
                lane=r["lane"],
                hits=r["hits"],
                inspected=r["inspected"],
                rate=f"{r['rate']:.3f}",
                low=f"{r['low']:.3f}",
                high=f"{r['high']:.3f}",
                drawn=r["drawn"],
            )
        else:
            row = out.HIT_RATE_NO_OUTCOME.said(period=r["period"], lane=r["lane"], drawn=r["drawn"])
        click.echo(say(row))
