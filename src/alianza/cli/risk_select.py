"""``alianza risk score | select | override``: scoring a period and assigning its shipments
to lanes. Thin shells over :mod:`alianza.risk.service` and :mod:`alianza.risk.overrides`."""

from __future__ import annotations

import getpass
from datetime import datetime
from pathlib import Path

import click

from alianza.cli import output_risk as out
from alianza.cli.context import Context, fail, pass_context, say
from alianza.cli.pme_options import by_option
from alianza.cli.risk_options import (
    acting,
    need_library,
    parse_lane,
    with_period,
)


@click.command("score")
@with_period
@click.option("--top", type=int, default=20, show_default=True, help="Rows to print.")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every score to this CSV file.",
)
@by_option
@pass_context
def score(
    ctx: Context,
    start: datetime,
    end: datetime,
    port: str | None,
    model_id: int | None,
    top: int,
    csv_path: Path | None,
    by: str,
) -> None:
    """Score the shipments declared in a period (both heads, calibrated probabilities); the
    scores are written to the audit log under --by."""
    need_library()
    from alianza.cells import SafeCsvWriter
    from alianza.risk.service import NoModel, NothingToScore, audit_scores, score_batch

    try:
        scored = score_batch(
            ctx.database,
            start=start.date(),
            end=end.date(),
            port=port,
            model_id=model_id,
        )
    except (NoModel, NothingToScore) as error:
        fail(error)
    audit_scores(ctx.database, scored, actor=acting(by))
    table, scores = scored.batch.table, scored.scores
    order = sorted(range(len(table)), key=lambda i: -scores.ranking("general")[i])
    click.echo(say(out.SCORED.said(id=scored.model_id, count=f"{len(table):,}")))
    click.echo(say(out.SCORE_COLUMNS.said()))
    for i in order[:top]:
        click.echo(
            f"{table.ids[i]:<14}{table.text['port'][i]:<8}{table.text['hs6'][i]:<8}"
            f"{scores.probability['general'][i]:>14.4f}{scores.probability['critical'][i]:>13.4f}"
        )
    if csv_path is not None:
        with csv_path.open("w", encoding="utf-8", newline="") as handle:
            writer = SafeCsvWriter(handle)
            writer.writerow(["reference", "p_violation", "p_critical", "cold_start"])
            for i in order:
                writer.writerow(
                    [
                        table.ids[i],
                        f"{scores.probability['general'][i]:.6f}",
                        f"{scores.probability['critical'][i]:.6f}",
                        int(scores.cold["general"][i]),
                    ]
                )


@click.command("select")
@with_period
@click.option(
    "--lane",
    "lanes",
    multiple=True,
    required=True,
    help="NAME=CAPACITY, most intrusive first (repeat): --lane physical=5 --lane documentary=20.",
)
@click.option(
    "--rules",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Rules and watchlists (TOML) to apply instead of those held in the database; the "
    "file is stored on the node first (changed rules become new versions).",
)
@click.option(
    "--random-share",
    type=float,
    default=0.1,
    show_default=True,
    help="Share of each lane's capacity drawn at random (control slice).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the random slice.")
@click.option(
    "--critical",
    "critical",
    multiple=True,
    help="LANE=SLOTS: slots of a lane for the highest critical-head probabilities (repeat).",
)
@click.option(
    "--fill-floor",
    type=float,
    help="Spare-capacity policy: slots left take only priorities at or above this (others "
    "stay unused). Default: fill every slot with the highest scores, whatever they are.",
)
@click.option("--replace", help="Select an already selected batch again; the reason (audited).")
@by_option
@pass_context
def select_command(
    ctx: Context,
    start: datetime,
    end: datetime,
    port: str | None,
    model_id: int | None,
    lanes: tuple[str, ...],
    rules: Path | None,
    random_share: float,
    seed: int,
    critical: tuple[str, ...],
    fill_floor: float | None,
    replace: str | None,
    by: str,
) -> None:
    """Assign the period's shipments to lanes within capacity and record the selection:
    mandatory rule hits first, then the random control slice (randomised rounding: its
    expected size is the share of every lane, however small), then the highest scores under
    the stated spare-capacity policy. A batch already selected needs --replace REASON."""
    need_library()
    from alianza.risk.book import RuleRefused, rule_book_from_file
    from alianza.risk.selection import Lane
    from alianza.risk.service import NoModel, NothingToScore, score_batch, select_and_store

    try:
        parsed = [Lane(*parse_lane(v)) for v in lanes]
        budget = dict(parse_lane(v) for v in critical)
        book = rule_book_from_file(ctx.database, rules, actor=acting(by)) if rules else None
        scored = score_batch(
            ctx.database, start=start.date(), end=end.date(), port=port, model_id=model_id
        )
        label = f"{start.date()}..{end.date()}" + (f" port {port}" if port else "")
        selection_id, chosen = select_and_store(
            ctx.database,
            scored,
            parsed,
            rules=book,
            random_share=random_share,
            seed=seed,
            batch_label=label,
            critical_budget=budget,
            fill_floor=fill_floor,
            replace=replace,
            actor=acting(by),
        )
    except (NoModel, NothingToScore, RuleRefused, ValueError, KeyError) as error:
        fail(error)
    heading = out.SELECTION.said(id=selection_id, label=label, model=scored.model_id, seed=seed)
    click.echo(say(heading))
    click.echo(say(out.SPARE_POLICY.said(policy=chosen.policy())))
    for lane in chosen.summary():
        if lane["lane"] == "release":
            click.echo(f"  release: {lane['used']:,}")
            continue
        over = out.OVER_CAPACITY.said(count=lane["over_capacity"]) if lane["over_capacity"] else ""
        used = out.LANE_USE.said(
            lane=lane["lane"],
            used=lane["used"],
            capacity=lane["capacity"],
            mandatory=lane["mandatory"],
            random=lane["random_control"],
            critical=lane["critical_score"],
            score=lane["score"],
            over=over,
            spare=lane["spare"],
        )
        click.echo(say(used))


@click.command("override")
@click.argument("selection_id", type=int)
@click.argument("reference")
@click.argument("lane")
@click.option("--reason", required=True, help="Why the officer moved the shipment.")
@click.option(
    "--by",
    "--actor",
    "actor",
    default=getpass.getuser,
    show_default="your login name",
    help="Who overrides (kept in the record and the audit trail).",
)
@pass_context
def override(
    ctx: Context, selection_id: int, reference: str, lane: str, reason: str, actor: str
) -> None:
    """Move one shipment of a selection to another of its lanes, or to release (kept and
    audited)."""
    from alianza.risk.overrides import override as move

    try:
        move(ctx.database, selection_id, reference, lane, actor=acting(actor), reason=reason)
    except (LookupError, ValueError) as error:
        fail(error)
    click.echo(say(out.OVERRIDDEN.said(id=selection_id, reference=reference, lane=lane)))
