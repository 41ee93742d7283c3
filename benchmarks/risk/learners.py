"""Which gradient-boosting library for alianza.risk? Same features, same split, three learners.

The module's feature matrix (categorical codes, numeric columns, leakage-safe history) is fed to
LightGBM (native categoricals), CatBoost (native categoricals) and XGBoost (codes as numbers,
its published-recipe style), each early-stopped on the validation period; one thread each.
Reported on the test period: track A (Fraud), A' (unseen (HS6, Net Mass) pairs), B (critical),
and the training time of both heads. No cold-start model or calibration here: this compares
learners, not the module.

    .venv/bin/python benchmarks/risk/learners.py [--seeds 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from anchors import pair_keys

from alianza.risk import metrics as M
from alianza.risk.features import SHIPMENT_SPEC, CategoryEncoder, Matrix, build_matrix, derive
from alianza.risk.model import BASE_PARAMS, history_of
from alianza.risk.read import read_declarations

DATA = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / "risk"
    / "customs-declaration-datasets"
)
Fit = Callable[[Matrix, np.ndarray, Matrix, np.ndarray, int], Callable[[Matrix], np.ndarray]]


def fit_lightgbm(
    x: Matrix, y: np.ndarray, xv: Matrix, yv: np.ndarray, seed: int
) -> Callable[[Matrix], np.ndarray]:
    import lightgbm as lgb

    train = lgb.Dataset(x.values, y, categorical_feature=x.categorical, free_raw_data=False)
    valid = lgb.Dataset(xv.values, yv, reference=train)
    booster = lgb.train(
        {**BASE_PARAMS, "seed": seed},
        train,
        1000,
        valid_sets=[valid],
        callbacks=[lgb.early_stopping(50, verbose=False)],
    )
    return lambda m: np.asarray(booster.predict(m.values))


def _as_catboost(m: Matrix) -> np.ndarray:
    data = m.values.astype(object)
    for j in m.categorical:
        data[:, j] = ["missing" if np.isnan(v) else str(int(v)) for v in m.values[:, j]]
    return data


def fit_catboost(
    x: Matrix, y: np.ndarray, xv: Matrix, yv: np.ndarray, seed: int
) -> Callable[[Matrix], np.ndarray]:
    from catboost import CatBoostClassifier, Pool

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
    model.fit(
        Pool(_as_catboost(x), y, cat_features=x.categorical),
        eval_set=Pool(_as_catboost(xv), yv, cat_features=x.categorical),
        use_best_model=True,
    )
    return lambda m: np.asarray(
        model.predict_proba(Pool(_as_catboost(m), cat_features=m.categorical))[:, 1]
    )


def fit_xgboost(
    x: Matrix, y: np.ndarray, xv: Matrix, yv: np.ndarray, seed: int
) -> Callable[[Matrix], np.ndarray]:
    import xgboost as xgb

    params = {
        "objective": "binary:logistic",
        "eval_metric": "logloss",
        "eta": 0.05,
        "max_depth": 6,
        "subsample": 0.8,
        "colsample_bytree": 0.8,
        "nthread": 1,
        "seed": seed,
        "tree_method": "hist",
    }
    booster = xgb.train(
        params,
        xgb.DMatrix(x.values, label=y),
        1000,
        evals=[(xgb.DMatrix(xv.values, label=yv), "valid")],
        early_stopping_rounds=50,
        verbose_eval=False,
    )
    return lambda m: booster.predict(
        xgb.DMatrix(m.values), iteration_range=(0, booster.best_iteration + 1)
    )


LEARNERS: dict[str, Fit] = {
    "LightGBM": fit_lightgbm,
    "CatBoost": fit_catboost,
    "XGBoost": fit_xgboost,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    train, valid, test = (
        read_declarations(args.data / f"df_syn_{n}_eng.csv")[0] for n in ("train", "valid", "test")
    )
    spec = SHIPMENT_SPEC.restricted_to(train)
    encoder = CategoryEncoder.fit(derive(train), spec.categorical)
    x = build_matrix(train, train, spec, encoder)
    xv = build_matrix(valid, train, spec, encoder)
    xt = build_matrix(test, history_of(train, valid), spec, encoder)
    known = set(pair_keys(train)) | set(pair_keys(valid))
    unseen = np.array([k not in known for k in pair_keys(test)])
    rows: dict[str, dict[str, list[float]]] = {name: {} for name in LEARNERS}
    for seed in range(args.seeds):
        for name, fit in LEARNERS.items():
            t0 = time.perf_counter()
            general = fit(x, train.fraud, xv, valid.fraud, seed)
            critical = fit(x, train.critical, xv, valid.critical, seed)
            elapsed = time.perf_counter() - t0
            g, c = general(xt), critical(xt)
            figures = {
                "A P@5%": M.precision_recall_at(g, test.fraud, 5)[0],
                "A ROC-AUC": M.roc_auc(g, test.fraud),
                "A' ROC-AUC": M.roc_auc(g[unseen], test.fraud[unseen]),
                "B P@1%": M.precision_recall_at(c, test.critical, 1)[0],
                "B R@5%": M.precision_recall_at(c, test.critical, 5)[1],
                "train s": elapsed,
            }
            for key, value in figures.items():
                rows[name].setdefault(key, []).append(value)
            print(f"  seed {seed}: {name} {elapsed:.1f} s", flush=True)
    columns = list(next(iter(rows.values())))
    print(f"\nSame features, three learners (mean ± sd over {args.seeds} seeds)")
    print(f"  {'learner':<10}" + "".join(f"{c:>16}" for c in columns))
    for name, figures in rows.items():
        cells = [
            f"{statistics.fmean(v):.3f}±{(statistics.stdev(v) if len(v) > 1 else 0):.3f}"
            for v in figures.values()
        ]
        print(f"  {name:<10}" + "".join(f"{c:>16}" for c in cells))


if __name__ == "__main__":
    main()
