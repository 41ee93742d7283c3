"""The two calibrated heads on a small KCS sample: no leakage, saved models score the same,
explanations add up, the time split is enforced."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from alianza.catalogue import in_language, message_of
from alianza.risk.explain import explain
from alianza.risk.model import HeadConfig, RiskModel, history_of, retrain, train_model
from alianza.risk.table import Declarations, concat
from tests.risk.conftest import SMALL_HEADS


def test_train_model_refuses_overlapping_periods(
    kcs_train: Declarations, kcs_valid: Declarations
) -> None:
    with pytest.raises(ValueError, match="must start after") as refused:
        train_model(kcs_valid, kcs_train, heads=SMALL_HEADS)
    assert in_language(message_of(refused.value), "es") == (
        "el periodo de validación debe comenzar después de que termine el de entrenamiento"
        " (calibrar con periodos mezclados o superpuestos filtraría el futuro)"
    )


def test_score_probabilities_in_unit_interval(
    small_model: RiskModel, kcs_train: Declarations, kcs_valid: Declarations, kcs_test: Declarations
) -> None:
    scores = small_model.score(kcs_test, history_of(kcs_train, kcs_valid))
    assert set(scores.probability) == {"general", "critical"}
    for p in scores.probability.values():
        assert len(p) == len(kcs_test)
        assert np.all((p >= 0) & (p <= 1))


def test_score_ignores_labels_of_scored_rows(
    small_model: RiskModel, kcs_train: Declarations, kcs_valid: Declarations, kcs_test: Declarations
) -> None:
    known = history_of(kcs_train, kcs_valid)
    a = small_model.score(kcs_test, known)
    flipped = kcs_test.with_labels(1 - kcs_test.fraud, 1 - kcs_test.critical)
    b = small_model.score(flipped, known)
    for head in a.raw:
        assert np.array_equal(a.raw[head], b.raw[head])


def test_score_unchanged_by_labels_dated_after_rows(
    small_model: RiskModel, kcs_train: Declarations, kcs_valid: Declarations, kcs_test: Declarations
) -> None:
    """Test-period labels in the history cannot reach rows dated on the first test day."""
    first_day = kcs_test.take(kcs_test.day == kcs_test.day.min())
    known = history_of(kcs_train, kcs_valid)
    with_future = concat([known, kcs_test])
    flipped_future = concat(
        [known, kcs_test.with_labels(1 - kcs_test.fraud, 1 - kcs_test.critical)]
    )
    a = small_model.score(first_day, with_future)
    b = small_model.score(first_day, flipped_future)
    assert np.array_equal(a.raw["general"], b.raw["general"])


def test_save_load_scores_identically(
    small_model: RiskModel,
    kcs_train: Declarations,
    kcs_valid: Declarations,
    kcs_test: Declarations,
    tmp_path: Path,
) -> None:
    path = tmp_path / "model.json"
    small_model.save(path)
    loaded = RiskModel.load(path)
    known = history_of(kcs_train, kcs_valid)
    a, b = small_model.score(kcs_test, known), loaded.score(kcs_test, known)
    for head in a.probability:
        assert np.array_equal(a.probability[head], b.probability[head])
        assert np.array_equal(a.cold[head], b.cold[head])


def test_load_rejects_other_files(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"format": "something-else"}', encoding="utf-8")
    with pytest.raises(ValueError, match="not an Alianza risk model") as refused:
        RiskModel.load(path)
    assert str(refused.value) == f"{path} is not an Alianza risk model (alianza-risk-model/1)"
    assert in_language(message_of(refused.value), "es") == (
        f"{path} no es un modelo de riesgo de Alianza (alianza-risk-model/1)"
    )


def test_cold_start_model_scores_unseen_pairs(
    small_model: RiskModel, kcs_train: Declarations, kcs_valid: Declarations, kcs_test: Declarations
) -> None:
    assert small_model.heads["general"].cold is not None
    known = history_of(kcs_train, kcs_valid)
    seen = set(zip(known.text["hs6"].tolist(), known.number["net_mass_kg"].tolist(), strict=True))
    unseen = np.array(
        [
            pair not in seen
            for pair in zip(kcs_test.text["hs6"], kcs_test.number["net_mass_kg"], strict=True)
        ]
    )
    scores = small_model.score(kcs_test, known)
    assert np.array_equal(scores.cold["general"], unseen)


def test_explain_contributions_sum_to_raw_score(
    small_model: RiskModel, kcs_train: Declarations, kcs_valid: Declarations, kcs_test: Declarations
) -> None:
    known = history_of(kcs_train, kcs_valid)
    scores = small_model.score(kcs_test, known)
    selected = np.argsort(-scores.ranking("general"), kind="stable")[:10]
    explanations = explain(small_model, kcs_test, known, selected, head="general", top=3)
    assert [e.row for e in explanations] == selected.tolist()
    for e in explanations:
        assert e.raw_score == pytest.approx(scores.raw["general"][e.row], abs=1e-6)
        assert len(e.top) == 3
        assert [c.contribution for c in e.top] == sorted(
            (c.contribution for c in e.top), reverse=True
        )


def test_retrain_keeps_time_split(kcs_train: Declarations, kcs_valid: Declarations) -> None:
    model = retrain(concat([kcs_train, kcs_valid]), calibration_days=45, heads=SMALL_HEADS)
    assert model.calibrated_days[0] > model.trained_days[1]
    assert model.calibrated_days[1] == int(kcs_valid.day.max())


def test_a_training_refusal_is_said_in_spanish(
    kcs_train: Declarations, kcs_valid: Declarations
) -> None:
    none = np.array([], dtype=np.int64)
    unlabeled = kcs_train.with_labels(
        np.full(len(kcs_train), -1, np.int8), np.full(len(kcs_train), -1, np.int8)
    )
    said = []
    for refused in (
        lambda: train_model(kcs_train.take(none), kcs_valid, heads=SMALL_HEADS),
        lambda: train_model(kcs_train, kcs_valid, heads=(HeadConfig("general", "seizure"),)),
        lambda: retrain(unlabeled, heads=SMALL_HEADS),
    ):
        with pytest.raises(ValueError, match="label") as error:
            refused()
        said.append((str(error.value), in_language(message_of(error.value), "es")))
    assert said == [
        (
            "training and validation periods both need labeled rows",
            "los periodos de entrenamiento y de validación necesitan filas con resultado",
        ),
        (
            "unknown label 'seizure' (expected 'fraud' or 'critical')",
            "etiqueta desconocida 'seizure' (se esperaba 'fraud' o 'critical')",
        ),
        ("no labeled rows to retrain on", "no hay filas con resultado para reentrenar"),
    ]
