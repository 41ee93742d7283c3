"""Whole targeting jobs on the node's database, as the CLI and the web layer call them.

train -> score -> select -> (outcomes) -> evaluate / retrain. Every write is one transaction
with an audit entry: trained models, selections with every assignment (lane, reason,
probabilities, rule hits); overrides are in ``overrides``.
"""

from __future__ import annotations

import hashlib
import json
import math
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select as sql_select
from sqlalchemy.orm import Session

from alianza import audit
from alianza.accounts.permissions import Permission
from alianza.actors import Actor, acting_on
from alianza.db import Database
from alianza.risk import metrics
from alianza.risk.book import check_held_columns, load_rule_book
from alianza.risk.drift import (
    FeatureDrift,
    RateChange,
    feature_drift,
    hit_rate_change,
    monitored,
)
from alianza.risk.explain import Explanation, explain
from alianza.risk.messages import (
    ALREADY_SELECTED,
    NO_MODEL_YET,
    NO_SHIPMENTS,
    NO_SHIPMENTS_AT,
    NO_SUCH_MODEL,
    REFERENCES_NOT_HELD,
)
from alianza.risk.model import (
    DEFAULT_FEATURES,
    RiskModel,
    Scores,
    feature_set,
    feature_set_of,
    retrain,
    train_model,
)
from alianza.risk.models import (
    Assignment,
    Inspection,
    ModelRecord,
    RuleHitRow,
    Shipment,
    StoredModel,
)
from alianza.risk.models import Selection as SelectionRow
from alianza.risk.rules import RuleBook
from alianza.risk.schedule import (
    DEFAULT_SCHEDULE,
    Due,
    _active,
    active_model_id,
    get_schedule,
    labels_held,
    retraining_due,
)
from alianza.risk.schedule import NoModel as NoModel  # re-exported: callers catch it here
from alianza.risk.selection import RANDOM, HitRate, Lane, Selection, estimate_hit_rate, select
from alianza.risk.store import HeldShipments, declarations_between
from alianza.risk.table import day_date, day_number


class NothingToScore(LookupError):
    """The batch has no shipments."""


class AlreadySelected(ValueError):
    """The batch was selected before; selecting it again needs ``replace`` with a reason."""


def train_and_store(
    database: Database,
    *,
    train_until: date | None = None,
    calibrate_until: date | None = None,
    calibration_days: int = 28,
    seed: int = 0,
    features: str = DEFAULT_FEATURES,
    actor: Actor,
    now: datetime | None = None,
) -> int:
    """Train both heads on the labeled shipments and store the model; returns its id.

    With ``train_until`` the split is explicit (train up to that day, calibrate on the days
    after it up to ``calibrate_until``); without it, the last ``calibration_days`` of labels
    calibrate and everything before trains (the scheduled retraining).
    """
    model, labeled_rows = train_held(
        database,
        train_until=train_until,
        calibrate_until=calibrate_until,
        calibration_days=calibration_days,
        seed=seed,
        features=features,
        actor=actor,
    )
    return store_model(
        database, model, labeled_rows=labeled_rows, seed=seed, actor=actor, trained_at=now
    )


def train_held(
    database: Database,
    *,
    train_until: date | None = None,
    calibrate_until: date | None = None,
    calibration_days: int = 28,
    seed: int = 0,
    features: str = DEFAULT_FEATURES,
    actor: Actor,
) -> tuple[RiskModel, int]:
    """Train both heads on the labeled shipments (as :func:`train_and_store`) without storing
    anything: (the model, the labeled rows it was trained and calibrated on). ``features``:
    the feature set (``model.FEATURE_SETS``: "near" or "exact"); another name is refused."""
    acting_on(database, actor, Permission.RISK_MANAGE)
    spec, heads = feature_set(features)
    with database.reader() as session:
        held = declarations_between(session, end=calibrate_until)
    table = held.table.take(held.table.labeled)
    if train_until is not None:
        model = train_model(
            table.take(table.day <= day_number(train_until)),
            table.take(table.day > day_number(train_until)),
            spec=spec,
            heads=heads,
            seed=seed,
        )
    else:
        model = retrain(table, calibration_days=calibration_days, spec=spec, heads=heads, seed=seed)
    return model, len(table)


def store_model(
    database: Database,
    model: RiskModel,
    *,
    labeled_rows: int,
    seed: int,
    actor: Actor,
    trained_at: datetime | None = None,
) -> int:
    """Keep a trained model whole (its file and SHA-256) in ``risk_model``; audited.
    ``trained_at``: the job's clock (a replayed day), by default now."""
    by = acting_on(database, actor, Permission.RISK_MANAGE)
    with database.transaction() as session:
        return _store_model(session, model, by, labeled_rows, seed, trained_at)


def _store_model(
    session: Session,
    model: RiskModel,
    trained_by: str,
    labeled_rows: int,
    seed: int,
    trained_at: datetime | None,
) -> int:
    """Store a measured model; ``trained_by`` is the name the caller's ``acting`` check gave."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.json"
        model.save(path)
        body = path.read_text(encoding="utf-8")
    row = StoredModel(
        trained_at=trained_at or datetime.now(UTC),
        actor=trained_by,
        trained_from=day_date(model.trained_days[0]),
        trained_to=day_date(model.trained_days[1]),
        calibrated_from=day_date(model.calibrated_days[0]),
        calibrated_to=day_date(model.calibrated_days[1]),
        sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        body=body,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=trained_by,
        action="risk.model.train",
        subject=f"risk_model:{row.id}",
        details={
            "sha256": row.sha256,
            "labeled_rows": labeled_rows,
            "seed": seed,
            "features": model.features,
            "trained": [str(row.trained_from), str(row.trained_to)],
            "calibrated": [str(row.calibrated_from), str(row.calibrated_to)],
        },
    )
    return row.id


def load_model(session: Session, model_id: int | None = None) -> tuple[int, RiskModel]:
    """A stored model by id, or the newest one not withdrawn (rolled back)."""
    query = sql_select(StoredModel)
    query = (
        query.where(StoredModel.id == model_id)
        if model_id
        else _active(query).order_by(StoredModel.id.desc())
    )
    row = session.scalars(query.limit(1)).first()
    if row is None:
        if model_id:
            raise NoModel(NO_SUCH_MODEL.said(model=model_id))
        raise NoModel(NO_MODEL_YET.said())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.json"
        path.write_text(row.body, encoding="utf-8")
        return row.id, RiskModel.load(path)


@dataclass(frozen=True)
class ScoredBatch:
    model_id: int
    batch: HeldShipments
    scores: Scores
    period: tuple[date, date]
    port: str | None = None


def score_batch(
    database: Database,
    *,
    start: date,
    end: date,
    port: str | None = None,
    model_id: int | None = None,
) -> ScoredBatch:
    """Score the shipments declared in [start, end]; history = labels dated before each.
    Nothing is written: scores a user asked for are audited with :func:`audit_scores`,
    a selection's with the selection."""
    with database.reader() as session:
        model_id, model = load_model(session, model_id)
    batch, scores = _score_with(database, model, start=start, end=end, port=port)
    return ScoredBatch(model_id, batch, scores, (start, end), port)


def _score_with(
    database: Database, model: RiskModel, *, start: date, end: date, port: str | None = None
) -> tuple[HeldShipments, Scores]:
    """The shipments declared in [start, end] (at ``port``) and their scores by ``model``."""
    with database.reader() as session:
        batch = declarations_between(session, start=start, end=end, port=port)
        history = declarations_between(session, end=end)
    if len(batch.table) == 0:
        if port:
            raise NothingToScore(NO_SHIPMENTS_AT.said(start=start, end=end, port=port))
        raise NothingToScore(NO_SHIPMENTS.said(start=start, end=end))
    known = history.table.take(history.table.labeled)
    unlabeled = batch.table.with_labels(
        np.full(len(batch.table), -1, np.int8), np.full(len(batch.table), -1, np.int8)
    )
    return batch, model.score(unlabeled, known)


def audit_scores(database: Database, scored: ScoredBatch, *, actor: Actor) -> None:
    """Write the scores ``actor`` asked for to the audit log: one entry with the model, the
    batch and every shipment's two probabilities."""
    by = acting_on(database, actor, Permission.RISK_READ)
    table = scored.batch.table
    general = scored.scores.probability["general"]
    critical = scored.scores.probability["critical"]
    with database.transaction() as session:
        audit.record(
            session,
            actor=by,
            action="risk.score",
            subject=f"risk_model:{scored.model_id}",
            details={
                "from": str(scored.period[0]),
                "to": str(scored.period[1]),
                "port": scored.port,
                "scored": len(table),
                "scores": [  # reference, p(violation), p(critical)
                    [str(ref), round(float(g), 6), round(float(c), 6)]
                    for ref, g, c in zip(table.ids, general, critical, strict=True)
                ],
            },
        )


def select_and_store(
    database: Database,
    scored: ScoredBatch,
    lanes: list[Lane],
    *,
    rules: RuleBook | None = None,
    random_share: float = 0.1,
    seed: int = 0,
    batch_label: str = "",
    critical_budget: dict[str, int] | None = None,
    fill_floor: float | None = None,
    replace: str | None = None,
    actor: Actor,
) -> tuple[int, Selection]:
    """Assign lanes and record the selection, its assignments and rule hits, audited.

    A batch already selected (same label) is selected again only with ``replace``, the reason
    (recorded in the audit log with the selections it replaces): a new seed must not quietly
    redraw the control slice. ``fill_floor`` is the spare-capacity policy (see
    :func:`alianza.risk.selection.select`)."""
    by = acting_on(database, actor, Permission.RISK_MANAGE)
    table = scored.batch.table
    with database.reader() as session:
        earlier = previous_selections(session, batch_label)
        seen = declarations_between(session, end=day_date(int(table.day.min()) - 1)).table
        if rules is None:
            rules = load_rule_book(session)
        check_held_columns(session, rules)
    if batch_label and earlier and not (replace and replace.strip()):
        shown = ", ".join(str(i) for i in earlier)
        raise AlreadySelected(ALREADY_SELECTED.said(label=repr(batch_label), selections=shown))
    hits = rules.evaluate(table, seen)
    chosen = select(
        scored.scores.ranking("general"),
        lanes,
        hits,
        random_share=random_share,
        seed=seed,
        critical=scored.scores.ranking("critical"),
        critical_budget=critical_budget,
        fill_floor=fill_floor,
    )
    ids = scored.batch.shipment_ids
    general = scored.scores.probability["general"]
    critical = scored.scores.probability["critical"]
    with database.transaction() as session:
        row = SelectionRow(
            created_at=datetime.now(UTC),
            actor=by,
            model_id=scored.model_id,
            batch=batch_label,
            seed=seed,
            random_share=random_share,
            lanes=[{"name": x.name, "capacity": x.capacity} for x in lanes],
            summary=chosen.summary(),
        )
        session.add(row)
        session.flush()
        session.add_all(
            Assignment(
                selection_id=row.id,
                shipment_id=ids[a.row],
                lane=a.lane,
                reason=a.reason,
                probability=float(general[a.row]),
                critical_probability=float(critical[a.row]),
                priority=a.priority,
            )
            for a in chosen.assignments
        )
        session.add_all(
            RuleHitRow(
                selection_id=row.id,
                shipment_id=ids[h.row],
                rule=h.rule,
                version=h.version,
                source=h.source,
                weight=h.weight,
                mandatory=h.mandatory,
                lane=h.lane,
            )
            for h in hits
        )
        audit.record(
            session,
            actor=by,
            action="risk.selection.create",
            subject=f"risk_selection:{row.id}",
            details={
                "model": scored.model_id,
                "batch": batch_label,
                "seed": seed,
                "random_share": random_share,
                "critical_budget": critical_budget or {},
                "fill_policy": chosen.policy(),
                "fill_floor": fill_floor,
                "summary": chosen.summary(),
                "assignments": [
                    [
                        str(table.ids[a.row]),
                        a.lane,
                        a.reason,
                        round(float(general[a.row]), 6),
                        round(float(critical[a.row]), 6),
                        list(a.rules),
                    ]
                    for a in chosen.assignments
                ],
            },
        )
        if earlier:
            audit.record(
                session,
                actor=by,
                action="risk.selection.replace",
                subject=f"risk_selection:{row.id}",
                details={"batch": batch_label, "replaces": earlier, "reason": replace},
            )
        return row.id, chosen


def previous_selections(session: Session, batch_label: str) -> list[int]:
    """Ids of the selections already recorded for a batch label, oldest first."""
    query = sql_select(SelectionRow.id).where(SelectionRow.batch == batch_label)
    return list(session.scalars(query.order_by(SelectionRow.id)))


@dataclass(frozen=True)
class Evaluation:
    rows: int
    labeled: int
    metrics: dict[str, dict[str, float]]  # head -> metric -> value
    random_slice: HitRate

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "labeled": self.labeled,
            "metrics": self.metrics,
            "random_slice": self.random_slice.as_dict(),
        }


def evaluate_period(
    database: Database,
    *,
    start: date,
    end: date,
    model_id: int | None = None,
    model: RiskModel | None = None,
) -> Evaluation:
    """Score the labeled shipments of a period and measure the model (``model``, one not
    stored yet, or the stored ``model_id``); and the unbiased hit rate of the random-control
    inspections selected in that period."""
    if model is None:
        with database.reader() as session:
            model_id, model = load_model(session, model_id)
    batch, scores = _score_with(database, model, start=start, end=end)
    table = batch.table
    labeled = np.asarray(table.labeled)
    results: dict[str, dict[str, float]] = {}
    for head, label in (("general", table.fraud), ("critical", table.critical)):
        y = label[labeled]
        rank = scores.ranking(head)[labeled]
        prob = scores.probability[head][labeled]
        out: dict[str, float] = {}
        for budget in (1, 2, 5, 10):
            out[f"P@{budget}%"], out[f"R@{budget}%"] = metrics.precision_recall_at(rank, y, budget)
        if len(y):
            out["ROC-AUC"] = metrics.roc_auc(rank, y)
            out["PR-AUC"] = metrics.average_precision(rank, y)
            out["Brier"] = metrics.brier(prob, y)
            out["ECE"] = metrics.expected_calibration_error(prob, y)
        results[head] = out
    with database.reader() as session:
        slice_rate = _slice_rate(session, start, end)
    return Evaluation(len(table), int(labeled.sum()), results, slice_rate)


def explain_shipments(
    database: Database,
    references: list[str],
    *,
    head: str = "general",
    top: int = 5,
    model_id: int | None = None,
) -> list[tuple[str, Explanation]]:
    with database.reader() as session:
        model_id, model = load_model(session, model_id)
        days = (
            session.execute(
                sql_select(Shipment.declared_on).where(Shipment.reference.in_(references))
            )
            .scalars()
            .all()
        )
        if len(days) != len(set(references)):
            raise LookupError(REFERENCES_NOT_HELD.said(references=", ".join(references)))
        batch = declarations_between(session, start=min(days), end=max(days))
        history = declarations_between(session, end=max(days))
    wanted = [i for i, ref in enumerate(batch.table.ids) if ref in set(references)]
    known = history.table.take(history.table.labeled)
    found = explain(model, batch.table, known, wanted, head=head, top=top)
    return [(str(batch.table.ids[e.row]), e) for e in found]


@dataclass(frozen=True)
class DriftReport:
    features: list[FeatureDrift]
    hit_rate: RateChange
    slices: tuple[HitRate, HitRate]

    def as_dict(self) -> dict[str, Any]:
        return {
            "features": [f.as_dict() for f in self.features],
            "hit_rate": self.hit_rate.as_dict(),
            "random_slices": [s.as_dict() for s in self.slices],
        }


def drift_between(
    database: Database,
    *,
    reference: tuple[date, date],
    current: tuple[date, date],
    model_id: int | None = None,
    model: RiskModel | None = None,
) -> DriftReport:
    """Feature drift (PSI) and random-slice hit-rate change from a reference period to now
    (features of ``model``, one not stored yet, or of the stored ``model_id``)."""
    with database.reader() as session:
        if model is None:
            model_id, model = load_model(session, model_id)
        frames = []
        for start, end in (reference, current):
            batch = declarations_between(session, start=start, end=end)
            if len(batch.table) == 0:
                raise NothingToScore(NO_SHIPMENTS.said(start=start, end=end))
            history = declarations_between(session, end=end)
            known = history.table.take(history.table.labeled)
            matrix = model.matrix(batch.table, known)
            frames.append(monitored(matrix, batch.table, known, model.spec))
        slices = tuple(_slice_rate(session, start, end) for start, end in (reference, current))
    before, after = slices
    change = hit_rate_change(before.hits, before.inspected, after.hits, after.inspected)
    return DriftReport(feature_drift(frames[0], frames[1]), change, (before, after))


def _slice_rate(session: Session, start: date, end: date) -> HitRate:
    outcomes = session.execute(
        sql_select(Inspection.fraud)
        .join(Assignment, Assignment.shipment_id == Inspection.shipment_id)
        .join(Shipment, Shipment.id == Assignment.shipment_id)
        .where(Assignment.reason == RANDOM)
        .where(Shipment.declared_on >= start, Shipment.declared_on <= end)
    ).scalars()
    return estimate_hit_rate([int(v) for v in outcomes])


# --- models: evaluation record, schedule, scheduled retraining, rollback ---------------------


def record_model(
    database: Database,
    model_id: int,
    *,
    trigger: str,
    previous: int | None,
    labels: int,
    actor: Actor,
) -> ModelRecord:
    """Measure a stored model on its calibration period (beside the previous model on the same
    rows), run the drift monitors from the previous model's calibration period to this one's,
    and keep both with the model; audited."""
    by = acting_on(database, actor, Permission.RISK_MANAGE)
    with database.reader() as session:
        model_id, model = load_model(session, model_id)
    evaluation, drift = measure_model(database, model, previous=previous)
    with database.transaction() as session:
        return _record_model(session, model_id, by, trigger, previous, labels, evaluation, drift)


def measure_model(
    database: Database, model: RiskModel, *, previous: int | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(evaluation, drift) of ``model`` as :func:`record_model` keeps them; writes nothing."""
    with database.reader() as session:
        old = session.get(StoredModel, previous) if previous is not None else None
        before = (old.calibrated_from, old.calibrated_to) if old is not None else None
    period = (day_date(model.calibrated_days[0]), day_date(model.calibrated_days[1]))
    evaluation: dict[str, Any] = {"period": [str(period[0]), str(period[1])]}
    try:
        evaluation["model"] = evaluate_period(
            database, start=period[0], end=period[1], model=model
        ).as_dict()
        if previous is not None:
            evaluation["previous"] = {
                "model": previous,
                **evaluate_period(
                    database, start=period[0], end=period[1], model_id=previous
                ).as_dict(),
            }
    except NothingToScore as empty:
        evaluation["error"] = str(empty)
    drift: dict[str, Any] = {}
    if before is not None and before != period:
        try:
            report = drift_between(database, reference=before, current=period, model=model)
            drift = report.as_dict()
            drift["features"] = drift["features"][:15]
            drift["reference"] = [str(before[0]), str(before[1])]
            drift["current"] = [str(period[0]), str(period[1])]
        except NothingToScore as empty:
            drift = {"error": str(empty)}
    return _finite(evaluation), _finite(drift)  # JSON columns: no NaN


def _record_model(
    session: Session,
    model_id: int,
    recorded_by: str,
    trigger: str,
    previous: int | None,
    labels: int,
    evaluation: dict[str, Any],
    drift: dict[str, Any],
) -> ModelRecord:
    """Record a model's measures; ``recorded_by`` is the name the caller's check gave."""
    row = ModelRecord(
        model_id=model_id, labels=labels, trigger=trigger, evaluation=evaluation, drift=drift
    )
    session.add(row)
    audit.record(
        session,
        actor=recorded_by,
        action="risk.model.evaluate",
        subject=f"risk_model:{model_id}",
        details={
            "trigger": trigger,
            "previous": previous,
            "labels": labels,
            "evaluation": evaluation,
            "drift_top": drift.get("features", [])[:5],
            "hit_rate": drift.get("hit_rate"),
        },
    )
    return row


def train_and_record(
    database: Database,
    *,
    train_until: date | None = None,
    calibrate_until: date | None = None,
    calibration_days: int = 28,
    seed: int = 0,
    trigger: str = "manual",
    features: str = DEFAULT_FEATURES,
    actor: Actor,
    now: datetime | None = None,
) -> int:
    """Train a model, measure it (:func:`measure_model`: evaluation and drift monitors under
    ``trigger``, the active one kept for rollback), then store the model and its record in one
    transaction; returns the new model's id. A training or a measurement that fails stores
    nothing. ``features``: the feature set (``model.FEATURE_SETS``), recorded with the model.
    ``alianza risk train`` and the scheduled job."""
    by = acting_on(database, actor, Permission.RISK_MANAGE)
    with database.reader() as session:
        previous = active_model_id(session)
        labels = labels_held(session)
    model, labeled_rows = train_held(
        database,
        train_until=train_until,
        calibrate_until=calibrate_until,
        calibration_days=calibration_days,
        seed=seed,
        features=features,
        actor=actor,
    )
    evaluation, drift = measure_model(database, model, previous=previous)
    evaluation = {**evaluation, "features": model.features}
    with database.transaction() as session:
        model_id = _store_model(session, model, by, labeled_rows, seed, now)
        _record_model(session, model_id, by, trigger, previous, labels, evaluation, drift)
    return model_id


def retrain_when_due(
    database: Database,
    *,
    now: datetime | None = None,
    force: bool = False,
    seed: int = 0,
    actor: Actor,
) -> tuple[Due, int | None]:
    """The scheduled job: retrain if due (or ``force``), keep the previous model for rollback,
    record the new model's evaluation and the drift monitors. Returns (why, new model id). The
    new model keeps the active model's feature set ("near" when none is active)."""
    acting_on(database, actor, Permission.RISK_MANAGE)
    now = now or datetime.now(UTC)
    with database.reader() as session:
        schedule = get_schedule(session) or DEFAULT_SCHEDULE
        due = retraining_due(session, schedule, now)
        features = active_features(session)
    if not (due.due or force):
        return due, None
    model_id = train_and_record(
        database,
        calibration_days=schedule.calibration_days,
        seed=seed,
        trigger=due.trigger if due.due else "manual",
        features=features,
        actor=actor,
        now=now,
    )
    return due, model_id


def active_features(session: Session) -> str:
    """The feature set of the active model, read from its saved heads without building it;
    "near" when no model is active or its heads fit no set (``model.FEATURE_SETS``)."""
    active = active_model_id(session)
    if active is None:
        return DEFAULT_FEATURES
    body = session.scalars(sql_select(StoredModel.body).where(StoredModel.id == active)).one()
    heads = {
        name: (h["label"], tuple(h["cold_key"]) if h["cold_key"] else None)
        for name, h in json.loads(body)["heads"].items()
    }
    return feature_set_of(heads) or DEFAULT_FEATURES


def _finite(value: Any) -> Any:
    """``value`` with every NaN or infinite float replaced by None (PostgreSQL's JSON refuses
    them; "not measurable" is what they mean here: no positive, no random-control outcome)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value
