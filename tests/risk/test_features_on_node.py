"""The feature set chosen on a running node (issue 21): ``alianza risk train --features``, the
refusal of an unknown set, what the stored model and its record say, and scheduled retraining
keeping the active model's set."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from alianza.actors import NodeSelf
from alianza.catalogue import in_language, message_of
from alianza.cli import cli
from alianza.db import Database, open_database
from alianza.risk.features import NEAR
from alianza.risk.schedule import active_model_id, list_models
from alianza.risk.service import (
    active_features,
    load_model,
    retrain_when_due,
    train_and_record,
)
from alianza.risk.store import record_outcomes
from alianza.settings import load_settings
from tests.risk.conftest import RISK_DATA
from tests.risk.test_schedule import node as node  # the fixture
from tests.risk.test_schedule import outcomes_file, trained_at

# what each set's general head keeps as cold-start key (written out, not read from the code)
EXACT_COLD = ("hs6", "net_mass_key")
NEAR_COLD = ("hs4", "origin", NEAR)


def general_cold_key(database: Database, model_id: int) -> tuple[str, ...] | None:
    with database.reader() as session:
        _id, model = load_model(session, model_id)
    return model.heads["general"].config.cold_key


def run(home: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--home", str(home), "risk", *args])
    return result.exit_code, result.output


def test_cli_train_features_near_is_stored_recorded_and_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ALIANZA_DATABASE_URL", raising=False)
    home = tmp_path / "node"
    for name in ("train", "valid"):
        code, out = run(home, "import", str(RISK_DATA / f"kcs-{name}-sample.csv"))
        assert code == 0, out
    code, out = run(home, "train", "--features", "wide", "--train-until", "2020-12-31")
    assert code == 1
    assert "unknown feature set 'wide' (known: near, exact)" in out
    code, out = run(home, "models")
    assert (code, out.strip()) == (0, "")  # nothing was stored
    code, out = run(home, "train", "--train-until", "2020-12-31", "--seed", "2")
    assert (code, out.strip()) == (0, "stored risk model 1")
    code, out = run(
        home, "train", "--features", "exact", "--train-until", "2020-12-31", "--seed", "2"
    )
    assert (code, out.strip()) == (0, "stored risk model 2")
    code, out = run(home, "models")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].startswith("model 2 [active] exact features, trained ")
    assert lines[1].startswith("model 1 [kept] near features, trained ")
    code, out = run(home, "models", "--json")
    assert [m["features"] for m in json.loads(out)] == ["exact", "near"]
    database = open_database(load_settings(home=home))
    try:  # the stored models themselves: the default is the near set
        assert general_cold_key(database, 1) == NEAR_COLD
        assert general_cold_key(database, 2) == EXACT_COLD
    finally:
        database.dispose()


def test_train_and_record_trains_the_chosen_set_and_refuses_another(node: Database) -> None:
    near = train_and_record(node, calibration_days=60, seed=1, actor=NodeSelf("t"))
    exact = train_and_record(
        node, calibration_days=60, seed=1, features="exact", actor=NodeSelf("t")
    )
    assert general_cold_key(node, exact) == EXACT_COLD
    assert general_cold_key(node, near) == NEAR_COLD
    with node.reader() as session:
        _id, model = load_model(session, near)
        assert "hs6" not in model.spec.categorical  # the near set reads HS6 at HS4
        assert model.features == "near"
        assert active_features(session) == "exact"
    with pytest.raises(ValueError, match="unknown feature set") as refused:
        train_and_record(node, features="wide", actor=NodeSelf("t"))
    assert str(refused.value) == "unknown feature set 'wide' (known: near, exact)"
    assert in_language(message_of(refused.value), "es") == (
        "conjunto de variables desconocido 'wide' (conocidos: near, exact)"
    )
    with node.reader() as session:
        assert [m.id for m in list_models(session)] == [exact, near]


def test_scheduled_retraining_keeps_the_active_models_feature_set(
    node: Database,
    tmp_path: Path,
) -> None:
    first = train_and_record(
        node, calibration_days=28, seed=1, features="exact", actor=NodeSelf("t")
    )
    record_outcomes(
        node,
        outcomes_file(RISK_DATA / "kcs-test-sample.csv", tmp_path / "o.csv"),
        actor=NodeSelf("t"),
    )
    due, second = retrain_when_due(
        node, now=trained_at(node, first) + timedelta(days=8), actor=NodeSelf("t")
    )
    assert (due.trigger, due.model_id) == ("period", first)
    assert second is not None
    assert second != first
    assert general_cold_key(node, second) == EXACT_COLD
    with node.reader() as session:
        assert active_model_id(session) == second
        infos = {m.id: m for m in list_models(session)}
    assert (infos[second].features, infos[second].trigger) == ("exact", "period")
    # a forced (manual) retraining keeps it too
    _due, third = retrain_when_due(node, force=True, actor=NodeSelf("t"))
    assert third is not None
    assert general_cold_key(node, third) == EXACT_COLD


def test_a_record_keeping_the_former_name_shipped_reads_as_the_exact_set(node: Database) -> None:
    """Models recorded before ``near`` became the default kept "shipped" for the exact set."""
    from sqlalchemy import update

    from alianza.risk.models import ModelRecord

    exact = train_and_record(
        node, calibration_days=60, seed=1, features="exact", actor=NodeSelf("t")
    )
    with node.transaction() as session:
        record = session.query(ModelRecord).filter_by(model_id=exact).one()
        evaluation = {**record.evaluation, "features": "shipped"}
        session.execute(
            update(ModelRecord).where(ModelRecord.id == record.id).values(evaluation=evaluation)
        )
    with node.reader() as session:
        (info,) = list_models(session)
        assert info.evaluation["features"] == "shipped"  # as the old record keeps it
        assert info.features == "exact"
        assert active_features(session) == "exact"  # retraining keeps the exact set
