"""Track A' probe: where is the signal on test rows whose (HS6, Net Mass) pair is unseen?

Quick measurements, general head only (see RESULTS.md, "Track A' probe", and docs/risk.md,
"What was tried for A'"):

1. the ROC-AUC on the unseen rows of each column alone, target-encoded on train + valid (the
   violation rate of the row's value there, smoothed toward the base rate), and of a few pairs;
   the HS10 codes of the v2022-06-03_hs10 release (same declarations); the unit value's
   deviation from the mean of its HS4 / HS6 / HS10 code; entity violation rates with time decay;
2. a diagnostic bound, not a model: 5-fold random-split cross-validation (time order ignored)
   on every first occurrence of an (HS6, Net Mass) pair in the three files, declared fields
   only, then with out-of-fold entity target encodings;
3. the module's A' ROC-AUC with extra feature sets or a smaller cold-start model (5 seeds, and
   the gain over the module as shipped, paired by seed).

    .venv/bin/python benchmarks/risk/unseen_probe.py [--skip-models] [--seeds 5]
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import defaultdict
from dataclasses import replace

import lightgbm as lgb
import numpy as np
from anchors import pair_keys
from run import DEFAULT_DATA, load

from alianza.risk import metrics as M
from alianza.risk.features import SHIPMENT_SPEC, derive
from alianza.risk.model import COLD_PARAMS, HEADS, history_of, train_model
from alianza.risk.table import Declarations, concat

PAIRS = (
    ("hs6", "origin"),
    ("hs6", "tax_type"),
    ("importer", "hs6"),
    ("declarant", "hs6"),
    ("shipper", "hs6"),
    ("importer", "declarant"),
)


def encoded(
    seen: list[Declarations], rows: Declarations, columns: tuple[str, ...], base: float
) -> tuple[np.ndarray, float]:
    """Smoothed violation rate of each row's key in ``seen``; and the share of rows whose key
    was seen at all."""
    totals: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0, 0])
    for table in seen:
        for key, label in zip(
            zip(*(table.column(c) for c in columns), strict=True), table.fraud, strict=True
        ):
            totals[key][0] += 1
            totals[key][1] += int(label)
    keys = list(zip(*(rows.column(c) for c in columns), strict=True))
    prior = 20.0
    rate = np.array(
        [
            (totals[k][1] + prior * base) / (totals[k][0] + prior) if k in totals else base
            for k in keys
        ]
    )
    return rate, float(np.mean([k in totals for k in keys]))


def with_hs10(tables: list[Declarations]) -> list[Declarations]:
    """The tables with ``hs10`` and ``hs8`` text columns from the v2022-06-03_hs10 release."""
    codes: dict[str, str] = {}
    for name in ("train", "valid", "test"):
        path = DEFAULT_DATA / "v2022-06-03_hs10" / f"df_syn_{name}_eng.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            codes.update({r["Declaration ID"]: r["HS10 Code"] for r in csv.DictReader(handle)})
    out = []
    for t in tables:
        hs10 = np.array([codes[str(i)] for i in t.ids], dtype=object)
        hs8 = np.array([c[:8] for c in hs10], dtype=object)
        text = {**t.text, "hs10": hs10, "hs8": hs8}
        out.append(Declarations(t.ids, t.day, text, t.number, t.fraud, t.critical))
    return out


def deviation(seen: list[Declarations], rows: Declarations, key: str) -> np.ndarray:
    """The row's log unit value minus the mean of that of its ``key`` code in ``seen``."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for t in seen:
        for k, v in zip(t.column(key), t.number["log_unit_value"], strict=True):
            if not np.isnan(v):
                sums[k][0] += v
                sums[k][1] += 1
    return np.array(
        [
            v - sums[k][0] / sums[k][1] if k in sums and not np.isnan(v) else 0.0
            for k, v in zip(rows.column(key), rows.number["log_unit_value"], strict=True)
        ]
    )


def decayed(seen: Declarations, rows: Declarations, column: str, half_life: float) -> np.ndarray:
    """Violation rate of the row's entity in ``seen``, each label weighted by
    2^(-age / half_life), smoothed toward the base rate (2 pseudo-rows)."""
    base = float(seen.fraud.mean())
    events: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for k, d, label in zip(seen.column(column), seen.day, seen.fraud, strict=True):
        if k:
            events[k].append((int(d), int(label)))
    tau = half_life / np.log(2)
    out = []
    for k, d in zip(rows.column(column), rows.day, strict=True):
        found = np.array(events.get(k, []), dtype=np.float64).reshape(-1, 2)
        weight = np.exp(-(d - found[:, 0]) / tau)
        out.append((float(weight @ found[:, 1]) + 2 * base) / (float(weight.sum()) + 2))
    return np.array(out)


CEILING_CATEGORIES = (
    "port",
    "process_type",
    "import_type",
    "import_use",
    "payment_type",
    "mode",
    "hs2",
    "hs4",
    "hs6",
    "departure",
    "origin",
    "tax_type",
    "origin_indicator",
)


def ceiling(tables: list[Declarations]) -> tuple[float, float, int]:
    """Random-split 5-fold CV ROC-AUC on first occurrences of (HS6, Net Mass) pairs, declared
    fields only; then with out-of-fold importer / declarant / shipper target encodings."""
    rows = derive(concat(tables))
    first, held = [], set()
    for i, key in enumerate(pair_keys(rows)):
        if key not in held:
            first.append(i)
        held.add(key)
    index = np.array(first)
    y = rows.fraud.astype(np.int64)
    columns = []
    for name in CEILING_CATEGORIES:
        values = rows.column(name).astype(str)
        codes = {v: float(c) for c, v in enumerate(sorted(set(values)))}
        columns.append(np.array([codes[v] for v in values]))
    for name in ("tax_rate", "log_mass", "log_value", "log_unit_value"):
        columns.append(rows.number[name])
    x = np.column_stack(columns)
    params = {
        "objective": "binary",
        "num_leaves": 15,
        "learning_rate": 0.03,
        "min_data_in_leaf": 50,
        "cat_smooth": 20,
        "feature_fraction": 0.8,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "num_threads": 1,
        "verbose": -1,
        "seed": 0,
    }
    rng = np.random.default_rng(0)
    folds = rng.integers(0, 5, len(index))

    def encode(name: str, fit: np.ndarray, apply: np.ndarray) -> np.ndarray:
        values = rows.column(name).astype(str)
        base = y[fit].mean()
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for i in fit:
            totals[values[i]][0] += 1
            totals[values[i]][1] += int(y[i])
        return np.array(
            [(totals[values[i]][1] + 20 * base) / (totals[values[i]][0] + 20) for i in apply]
        )

    plain, entities = np.zeros(len(index)), np.zeros(len(index))
    for fold in range(5):
        fit, held_out = index[folds != fold], index[folds == fold]
        for out, extra in ((plain, False), (entities, True)):
            x_fit, x_out = x[fit], x[held_out]
            if extra:
                half = rng.integers(0, 2, len(fit))
                inner = []
                for name in ("importer", "declarant", "shipper"):
                    col = np.zeros(len(fit))
                    for h in (0, 1):
                        col[half == h] = encode(name, fit[half != h], fit[half == h])
                    inner.append(col)
                x_fit = np.column_stack([x_fit, *inner])
                outer = [encode(n, fit, held_out) for n in ("importer", "declarant", "shipper")]
                x_out = np.column_stack([x_out, *outer])
            data = lgb.Dataset(
                x_fit, y[fit], categorical_feature=list(range(len(CEILING_CATEGORIES)))
            )
            out[folds == fold] = lgb.train(params, data, 300).predict(x_out)
    return M.roc_auc(plain, y[index]), M.roc_auc(entities, y[index]), len(index)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-models", action="store_true")
    parser.add_argument("--seeds", type=int, default=5, help="seeds of the module variants")
    args = parser.parse_args()
    train, valid, test = load(DEFAULT_DATA)
    known = set(pair_keys(train)) | set(pair_keys(valid))
    unseen = np.array([k not in known for k in pair_keys(test)])
    y = test.fraud[unseen]
    seen = [derive(train), derive(valid)]
    rows = derive(test)
    base = float(np.mean(np.concatenate([t.fraud for t in seen])))
    print(f"unseen test rows: {int(unseen.sum()):,}, violation rate {y.mean():.3f}")
    found = []
    for name in sorted(n for n in rows.text if n != "net_mass_key"):
        rate, cover = encoded(seen, rows, (name,), base)
        found.append((M.roc_auc(rate[unseen], y), name, cover))
    for pair in PAIRS:
        rate, cover = encoded(seen, rows, pair, base)
        found.append((M.roc_auc(rate[unseen], y), " x ".join(pair), cover))
    for name in ("log_mass", "log_value", "log_unit_value", "tax_rate"):
        found.append((M.roc_auc(np.nan_to_num(rows.number[name][unseen], nan=-1), y), name, 1))
    seen10, rows10 = with_hs10(seen), with_hs10([rows])[0]
    for columns in (("hs10",), ("hs8",), ("hs10", "origin"), ("hs10", "tax_type")):
        rate, cover = encoded(seen10, rows10, columns, base)
        found.append((M.roc_auc(rate[unseen], y), " x ".join(columns), cover))
    print("\none column (or pair) alone, ROC-AUC on unseen rows (0.5 = no signal):")
    for auc, name, cover in sorted(found, key=lambda f: -abs(f[0] - 0.5)):
        print(f"  {auc:.3f}  {name:<24} key seen for {cover:.0%} of test rows")
    print("\nunit value minus the mean of its code in train + valid (signed, absolute):")
    for key in ("hs4", "hs6", "hs10"):
        dev = deviation(seen10, rows10, key)[unseen]
        print(f"  {key:<5} {M.roc_auc(dev, y):.3f}  {M.roc_auc(np.abs(dev), y):.3f}")
    print("\nentity violation rate with time decay (half-life 14, 30, 90, 365 days):")
    history_rows = concat([train, valid])
    for column in ("importer", "declarant", "shipper"):
        aucs = [
            M.roc_auc(decayed(history_rows, test, column, h)[unseen], y) for h in (14, 30, 90, 365)
        ]
        print(f"  {column:<10} " + "  ".join(f"{a:.3f}" for a in aucs))
    plain, entities, n = ceiling([train, valid, test])
    print(
        f"\ndiagnostic bound: random-split 5-fold CV on {n:,} first occurrences of a pair, "
        f"declared fields {plain:.3f}, + entity target encodings {entities:.3f}"
    )
    if args.skip_models:
        return
    entity_hs = (
        *SHIPMENT_SPEC.history_keys,
        ("importer", "hs4"),
        ("declarant", "hs6"),
        ("shipper", "hs6"),
        ("hs4",),
        ("hs2", "origin"),
        ("declarant", "importer"),
    )
    small_cold = {**COLD_PARAMS, "num_leaves": 3, "min_data_in_leaf": 100, "learning_rate": 0.02}
    hierarchy = replace(
        SHIPMENT_SPEC,
        history_keys=(*SHIPMENT_SPEC.history_keys, ("hs4",), ("hs2",), ("hs4", "origin")),
        value_keys=(*SHIPMENT_SPEC.value_keys, ("hs4",)),
    )
    variants = {
        "module as shipped": (SHIPMENT_SPEC, HEADS[0]),
        "+ HS4, HS2, HS4 x origin; HS4 value": (hierarchy, HEADS[0]),
        "+ entity x HS histories": (replace(SHIPMENT_SPEC, history_keys=entity_hs), HEADS[0]),
        "smaller cold-start model": (SHIPMENT_SPEC, replace(HEADS[0], cold_params=small_cold)),
    }
    history = history_of(train, valid)
    variants["both: HS hierarchy and smaller cold-start model"] = (
        hierarchy,
        replace(HEADS[0], cold_params=small_cold),
    )
    print(f"\nmodule variants, seeds 0-{args.seeds - 1}, general head (A' = unseen rows):")
    found_by: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for seed in range(args.seeds):
        for name, (spec, head) in variants.items():
            start = time.perf_counter()
            model = train_model(train, valid, spec=spec, heads=(head,), seed=seed)
            rank = model.score(test, history).ranking("general")
            found_by[name].append((M.roc_auc(rank[unseen], y), M.roc_auc(rank, test.fraud)))
            a_prime, a = found_by[name][-1]
            print(
                f"  seed {seed} {name:<48} A' ROC-AUC {a_prime:.3f}   A ROC-AUC {a:.3f}   "
                f"({time.perf_counter() - start:.0f} s)",
                flush=True,
            )
    shipped = np.array(found_by["module as shipped"])[:, 0]
    print("\n  variant (mean ± sd over seeds)                   A' ROC-AUC      paired gain")
    for name, rows in found_by.items():
        values = np.array(rows)[:, 0]
        gain = values - shipped
        print(
            f"  {name:<48} {values.mean():.3f} ± {values.std(ddof=1):.3f}   "
            f"{gain.mean():+.3f} ± {gain.std(ddof=1):.3f}"
        )


if __name__ == "__main__":
    main()
