"""Two calibrated gradient-boosting heads: general violation risk and critical risk.

Each head is a LightGBM model with native categorical features, trained on one period, with
early stopping and an isotonic calibrator fitted on the next (validation) period. Rows of the
validation period are featurised with the training labels only, exactly as the test period is
featurised with the training and validation labels: no head ever sees a label from the period
it is scored on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np

from alianza.risk.calibration import IsotonicCalibrator
from alianza.risk.features import (
    SHIPMENT_SPEC,
    CategoryEncoder,
    FeatureSpec,
    Matrix,
    build_matrix,
    derive,
)
from alianza.risk.table import Declarations, Floats, concat

FORMAT = "alianza-risk-model/1"

BASE_PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "cat_smooth": 10.0,
    "cat_l2": 10.0,
    "min_data_per_group": 20,
    "max_cat_to_onehot": 4,
    "num_threads": 1,
    "verbose": -1,
    "deterministic": True,
}


@dataclass(frozen=True)
class HeadConfig:
    name: str  # "general" or "critical"
    label: str  # "fraud" or "critical"
    params: dict[str, Any] = field(default_factory=dict)
    max_rounds: int = 1000
    patience: int = 50


HEADS = (
    HeadConfig("general", "fraud"),
    HeadConfig("critical", "critical", {"num_leaves": 15, "min_data_in_leaf": 30}),
)


@dataclass
class Head:
    config: HeadConfig
    booster: lgb.Booster
    calibrator: IsotonicCalibrator

    def raw(self, matrix: Matrix) -> Floats:
        return np.asarray(self.booster.predict(matrix.values, raw_score=True), dtype=np.float64)


@dataclass(frozen=True)
class Scores:
    raw: dict[str, Floats]  # head -> raw margin (log-odds before calibration)
    probability: dict[str, Floats]  # head -> calibrated probability


@dataclass
class RiskModel:
    spec: FeatureSpec
    encoder: CategoryEncoder
    heads: dict[str, Head]
    trained_days: tuple[int, int]
    calibrated_days: tuple[int, int]

    def matrix(self, rows: Declarations, known: Declarations) -> Matrix:
        return build_matrix(rows, known, self.spec, self.encoder)

    def score(self, rows: Declarations, known: Declarations) -> Scores:
        """Score ``rows``; entity history comes from the labels in ``known`` dated before each."""
        matrix = self.matrix(rows, known)
        raw = {name: head.raw(matrix) for name, head in self.heads.items()}
        probability = {name: self.heads[name].calibrator.predict(r) for name, r in raw.items()}
        return Scores(raw, probability)

    def save(self, path: Path) -> None:
        data = {
            "format": FORMAT,
            "spec": self.spec.as_dict(),
            "categories": self.encoder.categories,
            "trained_days": list(self.trained_days),
            "calibrated_days": list(self.calibrated_days),
            "heads": {
                name: {
                    "label": head.config.label,
                    "booster": head.booster.model_to_string(),
                    "calibrator": head.calibrator.as_dict(),
                }
                for name, head in self.heads.items()
            },
        }
        path.write_text(json.dumps(data), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> RiskModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"{path} is not an Alianza risk model ({FORMAT})")
        heads = {
            name: Head(
                HeadConfig(name, h["label"]),
                lgb.Booster(model_str=h["booster"]),
                IsotonicCalibrator.from_dict(h["calibrator"]),
            )
            for name, h in data["heads"].items()
        }
        return cls(
            FeatureSpec.from_dict(data["spec"]),
            CategoryEncoder(data["categories"]),
            heads,
            (data["trained_days"][0], data["trained_days"][1]),
            (data["calibrated_days"][0], data["calibrated_days"][1]),
        )


def train_model(
    train: Declarations,
    valid: Declarations,
    *,
    spec: FeatureSpec = SHIPMENT_SPEC,
    heads: tuple[HeadConfig, ...] = HEADS,
    seed: int = 0,
) -> RiskModel:
    """Fit on ``train`` (labeled rows), early-stop and calibrate on the later ``valid`` period."""
    train = train.take(train.labeled)
    valid = valid.take(valid.labeled)
    if len(train) == 0 or len(valid) == 0:
        raise ValueError("training and validation periods both need labeled rows")
    if int(valid.day.min()) <= int(train.day.max()):
        raise ValueError(
            "the validation period must start after the training period ends "
            "(calibrating on shuffled or overlapping periods would leak the future)"
        )
    encoder = CategoryEncoder.fit(derive(train), spec.categorical)
    x_train = build_matrix(train, train, spec, encoder)
    x_valid = build_matrix(valid, train, spec, encoder)
    fitted: dict[str, Head] = {}
    for config in heads:
        y_train = _label(train, config.label)
        y_valid = _label(valid, config.label)
        params = {**BASE_PARAMS, **config.params, "seed": seed}
        d_train = lgb.Dataset(
            x_train.values,
            y_train,
            feature_name=x_train.names,
            categorical_feature=x_train.categorical,
            free_raw_data=False,
        )
        d_valid = lgb.Dataset(x_valid.values, y_valid, reference=d_train)
        booster = lgb.train(
            params,
            d_train,
            num_boost_round=config.max_rounds,
            valid_sets=[d_valid],
            callbacks=[lgb.early_stopping(config.patience, verbose=False)],
        )
        head = Head(config, booster, IsotonicCalibrator(np.zeros(1), np.zeros(1)))
        calibrator = IsotonicCalibrator.fit(head.raw(x_valid), y_valid)
        fitted[config.name] = Head(config, booster, calibrator)
    return RiskModel(
        spec,
        encoder,
        fitted,
        (int(train.day.min()), int(train.day.max())),
        (int(valid.day.min()), int(valid.day.max())),
    )


def history_of(*parts: Declarations) -> Declarations:
    """The labeled history available for scoring: the given periods, labeled rows only."""
    joined = concat(parts)
    return joined.take(joined.labeled)


def _label(table: Declarations, label: str) -> np.ndarray[Any, np.dtype[np.int8]]:
    if label == "fraud":
        return table.fraud
    if label == "critical":
        return table.critical
    raise ValueError(f"unknown label {label!r} (expected 'fraud' or 'critical')")


def retrain(
    known: Declarations,
    *,
    calibration_days: int = 28,
    spec: FeatureSpec = SHIPMENT_SPEC,
    heads: tuple[HeadConfig, ...] = HEADS,
    seed: int = 0,
) -> RiskModel:
    """Scheduled retraining on every label known so far: the last ``calibration_days`` of labels
    early-stop and calibrate, everything before trains (the time split is kept, never shuffled)."""
    labeled = known.take(known.labeled)
    if len(labeled) == 0:
        raise ValueError("no labeled rows to retrain on")
    cutoff = int(labeled.day.max()) - calibration_days
    return train_model(
        labeled.take(labeled.day <= cutoff),
        labeled.take(labeled.day > cutoff),
        spec=spec,
        heads=heads,
        seed=seed,
    )
