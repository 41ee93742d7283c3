"""Stored models and the retraining schedule, without the ``risk`` extra: which model is
active, the schedule and when retraining is due, rollback, the list of models with their
evaluation. (Training and evaluating are in :mod:`alianza.risk.service`.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func
from sqlalchemy import select as sql_select
from sqlalchemy.orm import Session

from alianza import audit
from alianza.accounts.permissions import Permission
from alianza.actors import Actor, acting
from alianza.catalogue import declare
from alianza.db import Database
from alianza.risk import messages as words
from alianza.risk.models import Inspection, ModelRecord, RetrainSchedule, StoredModel

# Feature-set names a model's record kept before the sets were renamed (``model.FEATURE_SETS``).
FORMER_NAMES = {"shipped": "exact"}

# Why retraining is due or not (the schedule's detail, said by ``alianza risk retrain``).
NO_ACTIVE_MODEL = declare("risk.due-no-model", "no model is active")
NOTHING_NEW = declare("risk.due-nothing-new", "no new outcomes since model {model}")
ENOUGH_NEW = declare(
    "risk.due-new-labels",
    (
        "{n} new outcomes since model {model} (threshold {threshold})",
        "{n} new outcomes since model {model} (threshold {threshold})",
    ),
)
PERIOD_ELAPSED = declare(
    "risk.due-period",
    (
        "model {model} is {days} days old (period {period}), {n} new outcomes",
        "model {model} is {days} days old (period {period}), {n} new outcomes",
    ),
)
NOT_YET = declare(
    "risk.due-not-yet",
    (
        "model {model} is {days} days old{after}; {n} new outcomes; due in {left} days",
        "model {model} is {days} days old{after}; {n} new outcomes; due in {left} days",
    ),
)
TRAINED_AFTER = declare("risk.due-trained-after", " (trained {trained}, after {now})")


class NoModel(LookupError):
    """No trained model is stored yet (run ``alianza risk train``)."""


def _active(query: Select[Any]) -> Select[Any]:
    """Only models not withdrawn (a model without a record predates records: active)."""
    return query.outerjoin(ModelRecord, ModelRecord.model_id == StoredModel.id).where(
        ModelRecord.withdrawn_at.is_(None)
    )


def active_model_id(session: Session) -> int | None:
    query = _active(sql_select(StoredModel.id)).order_by(StoredModel.id.desc()).limit(1)
    return session.scalars(query).first()


def labels_held(session: Session) -> int:
    return int(session.scalar(sql_select(func.count()).select_from(Inspection)) or 0)


@dataclass(frozen=True)
class Schedule:
    every_days: int
    min_new_labels: int
    calibration_days: int

    def as_dict(self) -> dict[str, int]:
        return {
            "every_days": self.every_days,
            "min_new_labels": self.min_new_labels,
            "calibration_days": self.calibration_days,
        }


DEFAULT_SCHEDULE = Schedule(every_days=7, min_new_labels=0, calibration_days=28)


def set_schedule(database: Database, schedule: Schedule, *, actor: Actor) -> None:
    """Store the retraining schedule (the newest row is in force); audited. A user needs
    risk.manage."""
    if schedule.every_days < 1:
        raise ValueError(words.SCHEDULE_PERIOD.said())
    if schedule.min_new_labels < 0 or schedule.calibration_days < 1:
        raise ValueError(words.SCHEDULE_LABELS.said())
    with database.transaction() as session:
        by = acting(session, actor, Permission.RISK_MANAGE)
        session.add(RetrainSchedule(**schedule.as_dict(), set_at=datetime.now(UTC), actor=by))
        audit.record(
            session,
            actor=by,
            action="risk.schedule.set",
            subject="risk_schedule",
            details=schedule.as_dict(),
        )


def get_schedule(session: Session) -> Schedule | None:
    row = session.scalars(
        sql_select(RetrainSchedule).order_by(RetrainSchedule.id.desc()).limit(1)
    ).first()
    if row is None:
        return None
    return Schedule(row.every_days, row.min_new_labels, row.calibration_days)


@dataclass(frozen=True)
class Due:
    due: bool
    trigger: str  # no-model | period | new-labels | not-due
    detail: str  # a catalogue message (Said): English as a str, said in the user's language
    model_id: int | None
    new_labels: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "due": self.due,
            "trigger": self.trigger,
            "detail": self.detail,
            "model": self.model_id,
            "new_labels": self.new_labels,
        }


def retraining_due(session: Session, schedule: Schedule, now: datetime) -> Due:
    """Due when no model is active; or when the period has elapsed since the active model was
    trained and at least one outcome arrived since; or, when ``min_new_labels`` is set, as soon
    as that many outcomes arrived. Nothing new since the last model: never due."""
    labels = labels_held(session)
    model_id = active_model_id(session)
    if model_id is None:
        return Due(True, "no-model", NO_ACTIVE_MODEL.said(), None, labels)
    stored = session.get(StoredModel, model_id)
    assert stored is not None
    record = session.scalars(
        sql_select(ModelRecord).where(ModelRecord.model_id == model_id)
    ).first()
    new = labels - (record.labels if record is not None else 0)
    trained_at = stored.trained_at
    if trained_at.tzinfo is None:  # SQLite returns naive datetimes
        trained_at = trained_at.replace(tzinfo=UTC)
    age = now - trained_at
    after: str = ""
    if age < timedelta(0):  # a replayed day (--now) before the model was trained
        after = TRAINED_AFTER.said(trained=f"{trained_at:%Y-%m-%d}", now=f"{now:%Y-%m-%d}")
        age = timedelta(0)
    if new <= 0:
        return Due(False, "not-due", NOTHING_NEW.said(model=model_id), model_id, 0)
    if schedule.min_new_labels and new >= schedule.min_new_labels:
        detail = ENOUGH_NEW.said(n=new, model=model_id, threshold=schedule.min_new_labels)
        return Due(True, "new-labels", detail, model_id, new)
    if age >= timedelta(days=schedule.every_days):
        detail = PERIOD_ELAPSED.said(
            model=model_id, days=age.days, period=schedule.every_days, n=new
        )
        return Due(True, "period", detail, model_id, new)
    left = timedelta(days=schedule.every_days) - age
    detail = NOT_YET.said(model=model_id, days=age.days, after=after, n=new, left=left.days)
    return Due(False, "not-due", detail, model_id, new)


def rollback(
    database: Database, *, actor: Actor, reason: str, model_id: int | None = None
) -> tuple[int, int]:
    """Withdraw the active model (or ``model_id``): the previous active model scores again.
    Returns (withdrawn, now active). Refused when no other model would be left. A user needs
    risk.manage."""
    if not reason.strip():
        raise ValueError(words.WITHDRAW_REASON.said())
    with database.transaction() as session:
        by = acting(session, actor, Permission.RISK_MANAGE)
        target = model_id or active_model_id(session)
        if target is None:
            raise NoModel(words.NO_MODEL_TO_WITHDRAW.said())
        record = session.scalars(
            sql_select(ModelRecord).where(ModelRecord.model_id == target)
        ).first()
        if record is None:
            if session.get(StoredModel, target) is None:
                raise NoModel(words.NO_SUCH_MODEL.said(model=target))
            record = ModelRecord(
                model_id=target, labels=0, trigger="legacy", evaluation={}, drift={}
            )
            session.add(record)
        if record.withdrawn_at is not None:
            raise ValueError(words.MODEL_WITHDRAWN.said(model=target))
        record.withdrawn_at = datetime.now(UTC)
        record.withdrawn_by = by
        record.withdrawn_reason = reason.strip()
        session.flush()
        now_active = active_model_id(session)
        if now_active is None:
            raise ValueError(words.MODEL_ONLY_ACTIVE.said(model=target))
        audit.record(
            session,
            actor=by,
            action="risk.model.rollback",
            subject=f"risk_model:{target}",
            details={"withdrawn": target, "active": now_active, "reason": reason.strip()},
        )
        return target, now_active


@dataclass(frozen=True)
class ModelInfo:
    id: int
    trained_at: datetime
    actor: str
    trained: tuple[date, date]
    calibrated: tuple[date, date]
    labels: int | None
    trigger: str | None
    evaluation: dict[str, Any]
    drift: dict[str, Any]
    withdrawn: str | None  # reason, when withdrawn
    active: bool

    @property
    def features(self) -> str | None:
        """The feature set it was trained with (``model.FEATURE_SETS``), as its record keeps
        it (a former name read as today's); None for a model recorded before the record kept
        it (those were trained with the "exact" set)."""
        found = self.evaluation.get("features")
        return FORMER_NAMES.get(str(found), str(found)) if found else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "trained_at": self.trained_at.isoformat(),
            "actor": self.actor,
            "trained": [str(d) for d in self.trained],
            "calibrated": [str(d) for d in self.calibrated],
            "labels": self.labels,
            "trigger": self.trigger,
            "evaluation": self.evaluation,
            "drift": self.drift,
            "withdrawn": self.withdrawn,
            "active": self.active,
            "features": self.features,
        }


def list_models(session: Session) -> list[ModelInfo]:
    """Every stored model, newest first, with its record (no model body is read)."""
    active = active_model_id(session)
    rows = session.execute(
        sql_select(
            StoredModel.id,
            StoredModel.trained_at,
            StoredModel.actor,
            StoredModel.trained_from,
            StoredModel.trained_to,
            StoredModel.calibrated_from,
            StoredModel.calibrated_to,
            ModelRecord,
        )
        .outerjoin(ModelRecord, ModelRecord.model_id == StoredModel.id)
        .order_by(StoredModel.id.desc())
    ).all()
    return [
        ModelInfo(
            id=r[0],
            trained_at=r[1],
            actor=r[2],
            trained=(r[3], r[4]),
            calibrated=(r[5], r[6]),
            labels=r[7].labels if r[7] else None,
            trigger=r[7].trigger if r[7] else None,
            evaluation=r[7].evaluation if r[7] else {},
            drift=r[7].drift if r[7] else {},
            withdrawn=(r[7].withdrawn_reason if r[7] and r[7].withdrawn_at else None),
            active=r[0] == active,
        )
        for r in rows
    ]
