"""Track A' probe: where is the signal on test rows whose (HS6, Net Mass) pair is unseen?

Two quick measurements on one seed, general head only (see RESULTS.md, "Track A' probe"):

1. the ROC-AUC on the unseen rows of each column alone, target-encoded on train + valid (the
   violation rate of the row's value there, smoothed toward the base rate), and of a few pairs;
2. the module's A' ROC-AUC with extra feature sets or a smaller cold-start model.

    .venv/bin/python benchmarks/risk/unseen_probe.py [--skip-models]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from dataclasses import replace

import numpy as np
from anchors import pair_keys
from run import DEFAULT_DATA, load

from alianza.risk import metrics as M
from alianza.risk.features import SHIPMENT_SPEC, derive
from alianza.risk.model import COLD_PARAMS, HEADS, history_of, train_model
from alianza.risk.table import Declarations

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-models", action="store_true")
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
    print("\none column (or pair) alone, ROC-AUC on unseen rows (0.5 = no signal):")
    for auc, name, cover in sorted(found, key=lambda f: -abs(f[0] - 0.5)):
        print(f"  {auc:.3f}  {name:<24} key seen for {cover:.0%} of test rows")
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
    variants = {
        "module as shipped": (SHIPMENT_SPEC, HEADS[0]),
        "+ entity x HS histories": (replace(SHIPMENT_SPEC, history_keys=entity_hs), HEADS[0]),
        "smaller cold-start model": (SHIPMENT_SPEC, replace(HEADS[0], cold_params=small_cold)),
    }
    history = history_of(train, valid)
    print("\nmodule variants, seed 0, general head (A' = unseen rows):")
    for name, (spec, head) in variants.items():
        start = time.perf_counter()
        model = train_model(train, valid, spec=spec, heads=(head,), seed=0)
        rank = model.score(test, history).ranking("general")
        print(
            f"  {name:<26} A' ROC-AUC {M.roc_auc(rank[unseen], y):.3f}   "
            f"A ROC-AUC {M.roc_auc(rank, test.fraud):.3f}   ({time.perf_counter() - start:.0f} s)"
        )


if __name__ == "__main__":
    main()
