"""``alianza risk train | schedule | retrain | rollback | models``: training, the retraining
schedule and rollback. Thin shells over :mod:`alianza.risk.service` and
:mod:`alianza.risk.schedule`."""

from __future__ import annotations

import json
from datetime import datetime

import click

from alianza.cli import output_risk as out
from alianza.cli.context import Context, fail, pass_context, say
from alianza.cli.pme_options import by_option
from alianza.cli.risk_options import (
    DATE,
    acting,
    day,
    need_library,
)


@click.command("train")
@click.option("--train-until", type=DATE, help="Last day of the training period.")
@click.option("--calibrate-until", type=DATE, help="Last day of the calibration period.")
@click.option(
    "--calibration-days",
    type=int,
    default=28,
    show_default=True,
    help="Without --train-until: the last N days of labels calibrate, the rest trains.",
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--features",
    default="near",
    show_default=True,
    help="Feature set: near (robust to what a declarant controls), or exact (the exact (HS6, net "
    "mass) pair as an identity; see docs/risk.md).",
)
@by_option
@pass_context
def train(
    ctx: Context,
    train_until: datetime | None,
    calibrate_until: datetime | None,
    calibration_days: int,
    seed: int,
    features: str,
    by: str,
) -> None:
    """Train the general and critical heads on every labeled shipment and store the model
    (the active one is kept for rollback; the new one's evaluation and drift are recorded)."""
    need_library()
    from alianza.risk.service import train_and_record

    try:
        model_id = train_and_record(
            ctx.database,
            train_until=day(train_until),
            calibrate_until=day(calibrate_until),
            calibration_days=calibration_days,
            seed=seed,
            features=features,
            actor=acting(by),
        )
    except ValueError as error:
        fail(error)
    click.echo(say(out.MODEL_STORED.said(id=model_id)))


@click.command("schedule")
@click.option("--every", "every_days", type=int, help="Retrain every N days (e.g. 7: weekly).")
@click.option(
    "--min-new-labels", type=int, help="Retrain early once this many outcomes arrived (0: off)."
)
@click.option("--calibration-days", type=int, help="Days of newest labels that calibrate.")
@by_option
@pass_context
def schedule_command(
    ctx: Context,
    every_days: int | None,
    min_new_labels: int | None,
    calibration_days: int | None,
    by: str,
) -> None:
    """Show the retraining schedule, or set it with any of the options."""
    need_library()
    from alianza.risk.schedule import DEFAULT_SCHEDULE, Schedule, get_schedule, set_schedule

    with ctx.database.reader() as session:
        held = get_schedule(session)
    current = held or DEFAULT_SCHEDULE
    if every_days is None and min_new_labels is None and calibration_days is None:
        origin = (out.SCHEDULE_STORED if held else out.SCHEDULE_DEFAULT).said()
    else:
        current = Schedule(
            every_days if every_days is not None else current.every_days,
            min_new_labels if min_new_labels is not None else current.min_new_labels,
            calibration_days if calibration_days is not None else current.calibration_days,
        )
        try:
            set_schedule(ctx.database, current, actor=acting(by))
        except ValueError as error:
            fail(error)
        origin = out.SCHEDULE_STORED.said()
    if current.min_new_labels:
        shown = out.SCHEDULE.said(
            origin=origin,
            every=current.every_days,
            labels=current.min_new_labels,
            calibration=current.calibration_days,
        )
    else:
        shown = out.SCHEDULE_NOT_EARLY.said(
            origin=origin, every=current.every_days, calibration=current.calibration_days
        )
    click.echo(say(shown))


@click.command("retrain")
@click.option("--due", is_flag=True, help="Retrain only if the schedule says it is due.")
@click.option("--now", type=DATE, help="Take this day as today (to replay a schedule).")
@click.option("--seed", type=int, default=0, show_default=True)
@by_option
@pass_context
def retrain_command(ctx: Context, due: bool, now: datetime | None, seed: int, by: str) -> None:
    """Retrain on every label held, keep the previous model for rollback, record the new
    model's evaluation and the drift monitors. With --due: only when the schedule says so.
    The new model keeps the active model's feature set (alianza risk train --features)."""
    need_library()
    from datetime import UTC

    from alianza.risk.service import retrain_when_due

    moment = now.replace(tzinfo=UTC) if now is not None else None
    try:
        why, model_id = retrain_when_due(
            ctx.database, now=moment, force=not due, seed=seed, actor=acting(by)
        )
    except ValueError as error:
        fail(error)
    if model_id is None:
        click.echo(say(out.NOT_DUE.said(detail=why.detail)))
        return
    if why.due:
        said = out.RETRAINED.said(id=model_id, trigger=why.trigger, detail=why.detail)
    else:
        said = out.RETRAINED_MANUALLY.said(id=model_id, detail=why.detail)
    click.echo(say(said))
    _print_model(ctx, model_id)


def _print_model(ctx: Context, model_id: int) -> None:
    from alianza.risk.schedule import list_models

    with ctx.database.reader() as session:
        info = next(m for m in list_models(session) if m.id == model_id)
    evaluation = info.evaluation
    for name in ("model", "previous"):
        if name not in evaluation:
            continue
        general = evaluation[name]["metrics"].get("general", {})
        label = (
            out.MODEL_LABEL.said(id=model_id)
            if name == "model"
            else out.PREVIOUS_LABEL.said(id=evaluation[name]["model"])
        )
        shown = ", ".join(
            f"{k} {general[k]:.3f}"
            for k in ("ROC-AUC", "P@5%", "ECE")
            if general.get(k) is not None
        )
        period = " .. ".join(evaluation["period"])
        click.echo(say(out.MODEL_MEASURED.said(label=label, period=period, metrics=shown)))
    features = info.drift.get("features", [])
    if features:
        top = ", ".join(f"{f['feature']} {f['psi']:.3f}" for f in features[:3])
        click.echo(say(out.DRIFT_LARGEST.said(features=top)))


@click.command("rollback")
@click.option("--model", "model_id", type=int, help="Withdraw this model (default: the active).")
@click.option("--reason", required=True, help="Why the model is withdrawn.")
@by_option
@pass_context
def rollback_command(ctx: Context, model_id: int | None, reason: str, by: str) -> None:
    """Withdraw the active model: the previous one scores again (kept, audited)."""
    need_library()
    from alianza.risk.schedule import NoModel, rollback

    try:
        withdrawn, active = rollback(
            ctx.database, actor=acting(by), reason=reason, model_id=model_id
        )
    except (NoModel, ValueError) as error:
        fail(error)
    click.echo(say(out.ROLLED_BACK.said(withdrawn=withdrawn, active=active)))


@click.command("models")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def models_command(ctx: Context, as_json: bool) -> None:
    """Stored models, newest first: what they were trained on, how they measured."""
    need_library()
    from alianza.risk.schedule import list_models

    with ctx.database.reader() as session:
        found = list_models(session)
    if as_json:
        click.echo(json.dumps([m.as_dict() for m in found], indent=2, default=str))
        return
    for m in found:
        state = (
            out.ACTIVE.said()
            if m.active
            else out.WITHDRAWN.said(reason=m.withdrawn)
            if m.withdrawn
            else out.KEPT.said()
        )
        general = m.evaluation.get("model", {}).get("metrics", {}).get("general", {})
        auc = f", ROC-AUC {general['ROC-AUC']:.3f}" if general.get("ROC-AUC") is not None else ""
        row = out.MODEL_ROW.said(
            id=m.id,
            state=state,
            trained=f"{m.trained[0]}..{m.trained[1]}",
            calibrated=f"{m.calibrated[0]}..{m.calibrated[1]}",
            labels=m.labels if m.labels is not None else "?",
            features=m.features or "?",
            trigger=m.trigger or out.NO_RECORD.said(),
            auc=auc,
        )
        click.echo(say(row))
