"""Scheduled retraining: when it is due, what it records (evaluation beside the previous
model, drift monitors), and rollback to the previous model (both backends)."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from alianza.actors import NodeSelf
from alianza.audit import AuditEntry
from alianza.catalogue import in_language, message_of
from alianza.db import Database
from alianza.risk.models import StoredModel
from alianza.risk.schedule import (
    NoModel,
    Schedule,
    active_model_id,
    get_schedule,
    list_models,
    retraining_due,
    rollback,
    set_schedule,
)
from alianza.risk.service import load_model, retrain_when_due
from alianza.risk.store import import_shipments, record_outcomes
from tests.risk.conftest import RISK_DATA
from tests.risk.test_book import unlabeled_copy


def outcomes_file(source: Path, target: Path) -> Path:
    """The true outcomes of the test sample's rows, in the outcomes format."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with target.open("w", encoding="utf-8", newline="") as handle:
        handle.write("reference,lane,exam_type,inspected_on,result\n")
        for r in rows:
            result = (
                "critical" if r["Critical Fraud"] == "2" else "violation" if r["Fraud"] == "1"
                else "clear"
            )  # fmt: skip
            handle.write(f"{r['Declaration ID']},physical,physical,{r['Date']},{result}\n")
    return target


@pytest.fixture
def node(fresh_db: Database, tmp_path: Path) -> Database:
    import_shipments(fresh_db, RISK_DATA / "kcs-train-sample.csv", actor=NodeSelf("test"))
    import_shipments(fresh_db, RISK_DATA / "kcs-valid-sample.csv", actor=NodeSelf("test"))
    test = RISK_DATA / "kcs-test-sample.csv"
    import_shipments(
        fresh_db, unlabeled_copy(test, tmp_path / "arrivals.csv"), actor=NodeSelf("test")
    )
    return fresh_db


def trained_at(database: Database, model_id: int) -> datetime:
    with database.reader() as session:
        stored = session.get(StoredModel, model_id)
        assert stored is not None
        moment = stored.trained_at
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_due_rules(node: Database, tmp_path: Path) -> None:
    weekly = Schedule(every_days=7, min_new_labels=0, calibration_days=28)
    with node.reader() as session:
        first = retraining_due(session, weekly, datetime.now(UTC))
    assert (first.due, first.trigger) == (True, "no-model")
    _due, model_id = retrain_when_due(node, seed=1, actor=NodeSelf("test"))
    assert model_id is not None
    start = trained_at(node, model_id)
    with node.reader() as session:
        # no new outcome since the model: never due, however old it is
        later = retraining_due(session, weekly, start + timedelta(days=30))
    assert (later.due, later.trigger, later.new_labels) == (False, "not-due", 0)
    record_outcomes(
        node,
        outcomes_file(RISK_DATA / "kcs-test-sample.csv", tmp_path / "o.csv"),
        actor=NodeSelf("test"),
    )
    with node.reader() as session:
        soon = retraining_due(session, weekly, start + timedelta(days=2))
        week = retraining_due(session, weekly, start + timedelta(days=7))
        early = retraining_due(session, Schedule(7, min_new_labels=100, calibration_days=28), start)
    arrivals = 213  # rows of kcs-test-sample.csv
    assert (soon.due, soon.new_labels) == (False, arrivals)
    assert (week.due, week.trigger) == (True, "period")
    assert (early.due, early.trigger) == (True, "new-labels")


def test_retrain_records_evaluation_drift_and_rolls_back(node: Database, tmp_path: Path) -> None:
    set_schedule(
        node, Schedule(every_days=7, min_new_labels=0, calibration_days=28), actor=NodeSelf("ana")
    )
    with node.reader() as session:
        assert get_schedule(session) == Schedule(7, 0, 28)
    _due, first = retrain_when_due(node, seed=1, actor=NodeSelf("ana"))
    assert first is not None
    not_yet, none = retrain_when_due(
        node, now=trained_at(node, first) + timedelta(days=8), actor=NodeSelf("test")
    )
    assert none is None
    assert not_yet.trigger == "not-due"
    record_outcomes(
        node,
        outcomes_file(RISK_DATA / "kcs-test-sample.csv", tmp_path / "o.csv"),
        actor=NodeSelf("test"),
    )
    due, second = retrain_when_due(
        node, now=trained_at(node, first) + timedelta(days=8), actor=NodeSelf("test")
    )
    assert second is not None
    assert (due.trigger, due.model_id) == ("period", first)
    with node.reader() as session:
        models = {m.id: m for m in list_models(session)}
        assert active_model_id(session) == second
    new, old = models[second], models[first]
    assert (new.trigger, old.trigger) == ("period", "no-model")
    assert new.labels - old.labels == 213
    # the new model was measured on its calibration period, beside the previous one
    evaluation = new.evaluation
    assert evaluation["previous"]["model"] == first
    assert evaluation["model"]["labeled"] == evaluation["previous"]["labeled"] > 0
    assert 0.0 <= evaluation["model"]["metrics"]["general"]["ROC-AUC"] <= 1.0
    assert new.calibrated[0] > old.calibrated[0]
    assert [str(d) for d in old.calibrated] == new.drift["reference"]
    assert new.drift["features"]
    assert all(f["psi"] >= 0 for f in new.drift["features"])
    # rollback: the previous model scores again; the last one cannot be withdrawn
    assert rollback(node, actor=NodeSelf("ben"), reason="precision dropped") == (second, first)
    with node.reader() as session:
        assert load_model(session)[0] == first
        assert [m.withdrawn for m in list_models(session) if m.id == second] == [
            "precision dropped"
        ]
        logged = list(session.scalars(select(AuditEntry.action)))
    assert logged.count("risk.model.evaluate") == 2
    assert "risk.model.rollback" in logged
    assert "risk.schedule.set" in logged
    with pytest.raises(ValueError, match="only active model") as refused:
        rollback(node, actor=NodeSelf("ben"), reason="again")
    assert in_language(message_of(refused.value), "es") == (
        f"el modelo {first} es el único modelo activo; no hay a cuál volver"
    )
    with pytest.raises(ValueError, match="already withdrawn") as refused:
        rollback(node, actor=NodeSelf("ben"), reason="again", model_id=second)
    assert str(refused.value) == f"model {second} is already withdrawn"
    assert in_language(message_of(refused.value), "es") == f"el modelo {second} ya está retirado"


def test_rollback_without_model(fresh_db: Database) -> None:
    with pytest.raises(NoModel):
        rollback(fresh_db, actor=NodeSelf("ben"), reason="x")


@pytest.mark.parametrize(
    ("schedule", "english", "spanish"),
    [
        (
            Schedule(every_days=0, min_new_labels=0, calibration_days=28),
            "the retraining period must be at least 1 day",
            "el periodo de reentrenamiento debe ser de al menos 1 día",
        ),
        (
            Schedule(every_days=7, min_new_labels=-1, calibration_days=28),
            "new labels cannot be negative; calibration needs at least 1 day",
            "los resultados nuevos no pueden ser negativos; la calibración necesita al menos 1 día",
        ),
    ],
)
def test_a_schedule_refusal_is_said_in_spanish(
    fresh_db: Database, schedule: Schedule, english: str, spanish: str
) -> None:
    with pytest.raises(ValueError, match="at least 1 day") as refused:
        set_schedule(fresh_db, schedule, actor=NodeSelf("ana"))
    assert str(refused.value) == english
    assert in_language(message_of(refused.value), "es") == spanish


def test_a_rollback_refusal_is_said_in_spanish(fresh_db: Database) -> None:
    said = []
    for reason, model_id in (("  ", None), ("x", None), ("x", 99)):
        with pytest.raises((ValueError, NoModel)) as refused:
            rollback(fresh_db, actor=NodeSelf("ben"), reason=reason, model_id=model_id)
        message = message_of(refused.value)
        said.append((str(refused.value), in_language(message, "es")))
    assert said == [
        (
            "say why the model is withdrawn (--reason)",
            "indique por qué se retira el modelo (--reason)",
        ),
        ("no active risk model to withdraw", "no hay ningún modelo de riesgo activo que retirar"),
        ("no risk model 99", "no existe el modelo de riesgo 99"),
    ]
