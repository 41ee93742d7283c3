"""Anchors re-run in the same harness as alianza.risk (issue 8).

Each anchor is trained per label ("fraud", "critical") on the 2020 training period, may use the
2021-Q1 validation period as the publisher's protocol allows (early stopping, lookups), and
returns (score, probability) for the test rows. XGBoost and CatBoost are imported here only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from alianza.risk.table import Declarations, concat

DISCRETE = (
    "port",
    "process_type",
    "import_type",
    "import_use",
    "payment_type",
    "mode",
    "declarant",
    "importer",
    "shipper",
    "carrier",
    "hs6",
    "departure",
    "origin",
    "tax_type",
    "origin_indicator",
)
NUMERIC = ("net_mass_kg", "value")


@dataclass
class Fitted:
    score: Callable[[Declarations], tuple[np.ndarray, np.ndarray]]


def label_of(table: Declarations, label: str) -> np.ndarray:
    return table.fraud if label == "fraud" else table.critical


# --- random -------------------------------------------------------------------------------


def fit_random(train: Declarations, valid: Declarations, label: str, seed: int) -> Fitted:
    rate = float(label_of(concat([train, valid]), label).mean())

    def score(rows: Declarations) -> tuple[np.ndarray, np.ndarray]:
        rng = np.random.default_rng(seed)
        return rng.random(len(rows)), np.full(len(rows), rate)

    return Fitted(score)


# --- (HS6, Net Mass) memorizer --------------------------------------------------------------


def pair_keys(rows: Declarations) -> list[tuple[str, float]]:
    return list(zip(rows.text["hs6"].tolist(), rows.number["net_mass_kg"].tolist(), strict=True))


def fit_memorizer(train: Declarations, valid: Declarations, label: str, seed: int) -> Fitted:
    """Mean label of the (HS6, Net Mass) pair in train + valid; unseen pairs get the base rate."""
    seen = concat([train, valid])
    y = label_of(seen, label)
    totals: dict[tuple[str, float], list[int]] = {}
    for key, value in zip(pair_keys(seen), y.tolist(), strict=True):
        entry = totals.setdefault(key, [0, 0])
        entry[0] += 1
        entry[1] += value
    rate = float(y.mean())

    def score(rows: Declarations) -> tuple[np.ndarray, np.ndarray]:
        out = np.array([(t[1] / t[0]) if (t := totals.get(k)) else rate for k in pair_keys(rows)])
        return out, out

    return Fitted(score)


# --- XGBoost, published recipe --------------------------------------------------------------


class _FirstSeenEncoder:
    """The publisher's label encoder: codes by order of first appearance, 1-based; unseen
    values get the next code when first met (their notebook's ``update_label``)."""

    def __init__(self, train: Declarations, columns: tuple[str, ...]) -> None:
        self.index: dict[str, dict[str, int]] = {}
        for name in columns:
            codes: dict[str, int] = {}
            for value in _raw(train, name):
                codes.setdefault(value, len(codes) + 1)
            self.index[name] = codes

    def transform(self, rows: Declarations, name: str) -> np.ndarray:
        codes = self.index[name]
        out = []
        for value in _raw(rows, name):
            if value not in codes:
                codes[value] = max(codes.values()) + 1
            out.append(codes[value])
        return np.array(out, dtype=np.float64)


def _raw(rows: Declarations, name: str) -> list[str]:
    if name == "tax_rate":
        return [repr(v) for v in rows.number["tax_rate"].tolist()]
    return rows.text[name].tolist()


XGB_DISCRETE = (*DISCRETE, "tax_rate")  # the recipe label-encodes Tax Rate as well


def fit_xgboost_recipe(train: Declarations, valid: Declarations, label: str, seed: int) -> Fitted:
    import xgboost as xgb

    encoder = _FirstSeenEncoder(train, XGB_DISCRETE)
    low = {n: float(np.nanmin(train.number[n])) for n in NUMERIC}
    high = {n: float(np.nanmax(train.number[n])) for n in NUMERIC}

    def matrix(rows: Declarations) -> np.ndarray:
        cols = [encoder.transform(rows, n) for n in XGB_DISCRETE]
        cols += [(rows.number[n] - low[n]) / (high[n] - low[n]) for n in NUMERIC]
        return np.column_stack(cols)

    x = matrix(train)
    y = label_of(train, label).astype(np.int64)
    # RandomOverSampler: draw minority rows with replacement until the classes balance
    rng = np.random.default_rng(seed)
    minority = np.flatnonzero(y == 1)
    extra = rng.choice(minority, size=int((y == 0).sum() - len(minority)), replace=True)
    x_over = np.concatenate([x, x[extra]])
    y_over = np.concatenate([y, y[extra]])
    # XGBClassifier(...) of the recipe, through xgboost's native API (same parameters; the
    # sklearn wrapper would add scikit-learn as a dependency for nothing)
    params = {
        "base_score": 0.5,
        "booster": "gbtree",
        "colsample_bylevel": 1,
        "colsample_bynode": 1,
        "colsample_bytree": 0.6,
        "gamma": 1,
        "learning_rate": 0.5994130001745845,
        "max_delta_step": 0,
        "max_depth": 4,
        "min_child_weight": 2,
        "nthread": 1,
        "num_parallel_tree": 1,
        "seed": seed,
        "alpha": 0,
        "lambda": 1,
        "scale_pos_weight": 1,
        "subsample": 1.0,
        "tree_method": "exact",
        "verbosity": 0,
        "objective": "binary:logistic",
        "eval_metric": "logloss",
    }
    booster = xgb.train(params, xgb.DMatrix(x_over, label=y_over), num_boost_round=424)

    def score(rows: Declarations) -> tuple[np.ndarray, np.ndarray]:
        p = booster.predict(xgb.DMatrix(matrix(rows)))
        return p, p

    return Fitted(score)


# --- LightGBM and CatBoost with native categoricals on the raw columns ---------------------


def fit_lightgbm_native(train: Declarations, valid: Declarations, label: str, seed: int) -> Fitted:
    import lightgbm as lgb

    codes = {n: {v: i for i, v in enumerate(sorted(set(train.text[n].tolist())))} for n in DISCRETE}

    def matrix(rows: Declarations) -> np.ndarray:
        cols = [
            np.array([codes[n].get(v, np.nan) for v in rows.text[n].tolist()], dtype=np.float64)
            for n in DISCRETE
        ]
        cols += [rows.number[n] for n in (*NUMERIC, "tax_rate")]
        return np.column_stack(cols)

    params = {
        "objective": "binary",
        "learning_rate": 0.05,
        "num_leaves": 31,
        "num_threads": 1,
        "verbose": -1,
        "seed": seed,
        "feature_fraction": 0.8,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "deterministic": True,
    }
    d_train = lgb.Dataset(
        matrix(train),
        label_of(train, label),
        categorical_feature=list(range(len(DISCRETE))),
        free_raw_data=False,
    )
    d_valid = lgb.Dataset(matrix(valid), label_of(valid, label), reference=d_train)
    booster = lgb.train(
        params,
        d_train,
        num_boost_round=1000,
        valid_sets=[d_valid],
        callbacks=[lgb.early_stopping(50, verbose=False)],
    )

    def score(rows: Declarations) -> tuple[np.ndarray, np.ndarray]:
        p = np.asarray(booster.predict(matrix(rows)))
        return p, p

    return Fitted(score)


def fit_catboost_native(train: Declarations, valid: Declarations, label: str, seed: int) -> Fitted:
    from catboost import CatBoostClassifier, Pool

    def pool(rows: Declarations, with_label: bool) -> Pool:
        data = np.empty((len(rows), len(DISCRETE) + 3), dtype=object)
        for j, n in enumerate(DISCRETE):
            data[:, j] = rows.text[n]
        for j, n in enumerate((*NUMERIC, "tax_rate")):
            data[:, len(DISCRETE) + j] = rows.number[n]
        return Pool(
            data,
            label_of(rows, label) if with_label else None,
            cat_features=list(range(len(DISCRETE))),
        )

    model = CatBoostClassifier(
        iterations=500,
        learning_rate=0.08,
        depth=6,
        random_seed=seed,
        thread_count=1,
        od_type="Iter",
        od_wait=50,
        verbose=False,
        allow_writing_files=False,
    )
    model.fit(pool(train, True), eval_set=pool(valid, True), use_best_model=True)

    def score(rows: Declarations) -> tuple[np.ndarray, np.ndarray]:
        p = np.asarray(model.predict_proba(pool(rows, False))[:, 1])
        return p, p

    return Fitted(score)


ANCHORS: dict[str, Callable[[Declarations, Declarations, str, int], Fitted]] = {
    "random": fit_random,
    "memorizer (HS6, Net Mass)": fit_memorizer,
    "XGBoost, published recipe": fit_xgboost_recipe,
    "LightGBM, native categoricals": fit_lightgbm_native,
    "CatBoost, native categoricals": fit_catboost_native,
}
