"""Track C: weekly feedback simulation over 2021-H1 (valid + test periods).

Each week the policy inspects 5 % of that week's declarations; only inspected rows reveal their
labels, which join the known history (and, every ``retrain_weeks``, the training data). With a
random control slice, 10 % of each week's inspections are drawn uniformly at random first; the
rest go to the top scores. Starts: all 2020 labels, or a random 10 % of them.
"""

from __future__ import annotations

import math
import statistics
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from alianza.risk import metrics as M
from alianza.risk.model import HeadConfig, history_of, retrain
from alianza.risk.table import UNKNOWN, Declarations, concat

BUDGET = 5.0
SLICE = 0.10
RETRAIN_WEEKS = 4
FAST_HEAD = (HeadConfig("general", "fraud", {"learning_rate": 0.1}, max_rounds=300, patience=30),)


# a policy's model: fitted on the labels known (a table), it scores a week's rows (labels
# hidden) given the labels known at that week
Scorer = Callable[[Declarations, Declarations], np.ndarray]
Fit = Callable[[Declarations, int], Scorer]


def fit_fast(known: Declarations, seed: int) -> Scorer:
    """The module with one fast general head (this track's default)."""
    model = retrain(known, heads=FAST_HEAD, seed=seed)

    def score(rows: Declarations, known: Declarations) -> np.ndarray:
        return np.asarray(model.score(rows, known).ranking("general"))

    return score


def hide(table: Declarations) -> Declarations:
    unknown = np.full(len(table), UNKNOWN, dtype=np.int8)
    return table.with_labels(unknown, unknown.copy())


def simulate(
    train: Declarations,
    h1: Declarations,
    *,
    start_share: float,
    slice_share: float,
    policy: str,
    seed: int,
    fit: Fit = fit_fast,
) -> dict[str, Any]:
    """One policy over the half-year; ``fit`` makes its model from the labels known (once for
    ``static``, again every ``RETRAIN_WEEKS`` for ``retrain``)."""
    rng = np.random.default_rng(seed)
    start = train
    if start_share < 1:
        keep = rng.random(len(train)) < start_share
        start = train.take(keep)
    revealed = [start]
    week = (h1.day - h1.day.min()) // 7
    model: Scorer | None = None
    hits = selected = slice_hits = slice_n = 0
    weekly_estimates = []
    weekly_true = []
    for w in range(int(week.max()) + 1):
        rows = np.flatnonzero(week == w)
        batch = h1.take(rows)
        k = M.budget_k(len(batch), BUDGET)
        n_slice = math.floor(k * slice_share) if policy != "random" else k
        order = rng.permutation(len(batch))
        control = order[:n_slice]
        rest = np.setdiff1d(np.arange(len(batch)), control)
        picks = control
        if k > n_slice:
            known = history_of(*revealed)
            if model is None or (policy == "retrain" and w % RETRAIN_WEEKS == 0 and w > 0):
                model = fit(known, seed)
            score = model(hide(batch.take(rest)), known)
            picks = np.concatenate([control, rest[M.top_k(score, k - n_slice)]])
        y = batch.fraud[picks]
        hits += int(y.sum())
        selected += len(picks)
        if n_slice:
            s = batch.fraud[control]
            slice_hits += int(s.sum())
            slice_n += len(control)
            weekly_estimates.append(float(s.mean()))
            weekly_true.append(float(batch.fraud.mean()))
        revealed.append(batch.take(picks))
    total_fraud = int(h1.fraud.sum())
    out: dict[str, Any] = {
        "precision": hits / selected,
        "recall": hits / total_fraud,
        "labels_known_at_end": int(sum(len(r) for r in revealed)),
    }
    if slice_n:
        out["slice_hit_rate"] = slice_hits / slice_n
        out["true_rate"] = float(h1.fraud.mean())
        out["weekly_abs_error"] = statistics.fmean(
            abs(a - b) for a, b in zip(weekly_estimates, weekly_true, strict=True)
        )
    return out


CONFIGS = [
    ("random inspection (anchor)", 1.0, 0.0, "random"),
    ("static model, all 2020 labels (anchor)", 1.0, 0.0, "static"),
    ("retrain every 4 wk, all 2020, no slice", 1.0, 0.0, "retrain"),
    ("retrain every 4 wk, all 2020, 10% slice", 1.0, SLICE, "retrain"),
    ("static model, 10% of 2020 (anchor)", 0.1, 0.0, "static"),
    ("retrain every 4 wk, 10% 2020, no slice", 0.1, 0.0, "retrain"),
    ("retrain every 4 wk, 10% 2020, 10% slice", 0.1, SLICE, "retrain"),
]


def run_feedback(
    train: Declarations, valid: Declarations, test: Declarations, *, seeds: int
) -> dict[str, Any]:
    h1 = concat([valid, test])
    results: dict[str, list[dict[str, Any]]] = {name: [] for name, *_ in CONFIGS}
    for seed in range(seeds):
        for name, start, slice_share, policy in CONFIGS:
            results[name].append(
                simulate(
                    train,
                    h1,
                    start_share=start,
                    slice_share=slice_share,
                    policy=policy,
                    seed=seed,
                )
            )
        print(f"  track C seed {seed} done", file=sys.stderr, flush=True)
    print(
        f"\nTrack C: weekly feedback over 2021-H1, {BUDGET:g}% inspected per week, labels revealed "
        f"only for inspected rows (mean ± sd over {seeds} seeds)"
    )
    head = ["precision", "recall", "slice_hit_rate", "true_rate", "weekly_abs_error"]
    print(f"  {'policy':<44}" + "".join(f"{h:>18}" for h in head))
    for name, runs in results.items():
        cells = []
        for h in head:
            values = [r[h] for r in runs if h in r]
            if not values:
                cells.append("-")
                continue
            sd = statistics.stdev(values) if len(values) > 1 else 0.0
            cells.append(f"{statistics.fmean(values):.3f}±{sd:.3f}")
        print(f"  {name:<44}" + "".join(f"{c:>18}" for c in cells))
    return results
