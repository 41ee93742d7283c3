"""Risk-targeting benchmark (issue 8): alianza.risk beside its anchors, in one run.

Data: Korea Customs Service synthetic import declarations (MIT), official temporal split
(train 2020, valid 2021-Q1, test 2021-Q2). Labels: Fraud, and Critical Fraud == 2.
Budgets 1, 2, 5, 10 %: top k = floor(n * N / 100) by a stable sort on descending score.

Tracks: A (full test, Fraud), A' (test rows whose (HS6, Net Mass) pair never occurs in train or
valid, Fraud), B (critical class), C (weekly feedback simulation over 2021-H1).

    .venv/bin/python benchmarks/risk/run.py [--seeds 5] [--skip-c] [--data DIR]

Figures go to stdout and to out/benchmarks/risk/results.json.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from anchors import ANCHORS, label_of, pair_keys
from feedback import run_feedback

from alianza.risk import metrics as M
from alianza.risk.explain import explain
from alianza.risk.model import DEFAULT_FEATURES, FEATURE_SETS, history_of, train_model
from alianza.risk.read import read_declarations
from alianza.risk.table import Declarations

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "risk" / "customs-declaration-datasets"
BUDGETS = (1, 2, 5, 10)
MODULE = "alianza.risk (LightGBM+history+cold+isotonic)"
# Quoted from issue 8 (arXiv:2208.02484 setting); shown beside, never in place of, our runs.
PUBLISHED_P5 = {"LightGBM, native categoricals": 0.762, "XGBoost, published recipe": 0.675}
TRACKS = {
    "A": ("fraud", "all"),
    "A'": ("fraud", "unseen"),
    "B": ("critical", "all"),
}


def load(data: Path) -> tuple[Declarations, Declarations, Declarations]:
    parts = []
    for name in ("train", "valid", "test"):
        table, report = read_declarations(data / f"df_syn_{name}_eng.csv")
        if report.quarantined:
            sys.exit(report.text())
        parts.append(table)
    train, valid, test = parts
    # the protocol refuses to shuffle across the time split
    if not (train.day.max() < valid.day.min() and valid.day.max() < test.day.min()):
        sys.exit("the splits overlap in time; this benchmark never shuffles across them")
    return train, valid, test


def track_metrics(score: np.ndarray, prob: np.ndarray, y: np.ndarray) -> dict[str, float]:
    out: dict[str, float] = {}
    for b in BUDGETS:
        p, r = M.precision_recall_at(score, y, b)
        out[f"P@{b}%"] = p
        out[f"R@{b}%"] = r
    out["ROC-AUC"] = M.roc_auc(score, y)
    out["PR-AUC"] = M.average_precision(score, y)
    out["Brier"] = M.brier(prob, y)
    out["ECE"] = M.expected_calibration_error(prob, y)
    return out


def module_name(features: str) -> str:
    """The row of the module trained with the feature set ``features`` (the default: MODULE)."""
    return MODULE if features == DEFAULT_FEATURES else f"alianza.risk, {features} features"


def evaluate_seed(
    seed: int,
    train: Declarations,
    valid: Declarations,
    test: Declarations,
    unseen: np.ndarray,
    *,
    anchors: bool = True,
    features: tuple[str, ...] = (DEFAULT_FEATURES,),
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, np.ndarray]]]:
    results: dict[str, dict[str, Any]] = {}
    scores: dict[str, dict[str, np.ndarray]] = {}
    for name, fit in ANCHORS.items() if anchors else ():
        fitted: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        train_s = score_s = 0.0
        for label in ("fraud", "critical"):
            t0 = time.perf_counter()
            model = fit(train, valid, label, seed)
            t1 = time.perf_counter()
            fitted[label] = model.score(test)
            score_s += time.perf_counter() - t1
            train_s += t1 - t0
        results[name] = {"train_s": train_s, "score_ms_per_row": 1000 * score_s / len(test)}
        scores[name] = {label: fitted[label][0] for label in fitted}
        add_tracks(results[name], fitted, test, unseen)
        print(f"  seed {seed}: {name} done ({train_s:.1f} s)", file=sys.stderr, flush=True)
    for name in features:
        evaluate_module(name, seed, train, valid, test, unseen, results, scores)
    return results, scores


def evaluate_module(
    features: str,
    seed: int,
    train: Declarations,
    valid: Declarations,
    test: Declarations,
    unseen: np.ndarray,
    results: dict[str, dict[str, Any]],
    scores: dict[str, dict[str, np.ndarray]],
) -> None:
    """Train the module with the feature set ``features`` and add its row."""
    row = module_name(features)
    t0 = time.perf_counter()
    spec, heads = FEATURE_SETS[features]
    model = train_model(train, valid, spec=spec, heads=heads, seed=seed)
    t1 = time.perf_counter()
    known = history_of(train, valid)
    scored = model.score(test, known)
    t2 = time.perf_counter()
    selected = M.top_k(scored.ranking("general"), M.budget_k(len(test), 5))
    explain(model, test, known, selected, head="general")
    t3 = time.perf_counter()
    fitted = {
        "fraud": (scored.ranking("general"), scored.probability["general"]),
        "critical": (scored.ranking("critical"), scored.probability["critical"]),
    }
    results[row] = {
        "train_s": t1 - t0,
        "score_ms_per_row": 1000 * (t2 - t1) / len(test),
        "explain_ms_per_selected": 1000 * (t3 - t2) / len(selected),
        "rounds": {k: h.warm.booster.best_iteration for k, h in model.heads.items()},
        "cold_rows": int(scored.cold["general"].sum()),
    }
    scores[row] = {label: fitted[label][0] for label in fitted}
    add_tracks(results[row], fitted, test, unseen)
    print(f"  seed {seed}: {row} done ({t1 - t0:.1f} s)", file=sys.stderr, flush=True)


def add_tracks(
    into: dict[str, Any],
    fitted: dict[str, tuple[np.ndarray, np.ndarray]],
    test: Declarations,
    unseen: np.ndarray,
) -> None:
    for track, (label, rows) in TRACKS.items():
        score, prob = fitted[label]
        y = label_of(test, label)
        mask = unseen if rows == "unseen" else np.ones(len(test), dtype=bool)
        into[track] = track_metrics(score[mask], prob[mask], y[mask])


def summarize(values: list[float]) -> str:
    clean = [v for v in values if not math.isnan(v)]
    if not clean:
        return "n/a"
    mean = statistics.fmean(clean)
    sd = statistics.stdev(clean) if len(clean) > 1 else 0.0
    return f"{mean:.3f}±{sd:.3f}"


def print_track(track: str, runs: list[dict[str, dict[str, Any]]]) -> None:
    label, rows = TRACKS[track]
    columns = [f"P@{b}%" for b in BUDGETS] + [f"R@{b}%" for b in BUDGETS]
    columns += ["ROC-AUC", "PR-AUC", "Brier", "ECE"]
    print(f"\nTrack {track}: label {label}, {rows} test rows (mean ± sd over {len(runs)} seeds)")
    print(f"  {'model':<46}" + "".join(f"{c:>13}" for c in columns))
    for name in runs[0]:
        cells = [summarize([run[name][track][c] for run in runs]) for c in columns]
        print(f"  {name:<46}" + "".join(f"{c:>13}" for c in cells))
    if track == "A":
        for name, value in PUBLISHED_P5.items():
            print(f"  {'published (quoted, not re-run): ' + name:<46}{'':>26}{value:>13.3f}")


def bootstrap_p5(
    module: np.ndarray, anchor: np.ndarray, y: np.ndarray, draws: int = 1000
) -> tuple[float, float, float]:
    """Paired bootstrap over test rows of P@5% (module - anchor): mean, 2.5 % and 97.5 %."""
    rng = np.random.default_rng(12345)
    diffs = []
    for _ in range(draws):
        i = rng.integers(0, len(y), len(y))
        pm, _ = M.precision_recall_at(module[i], y[i], 5)
        pa, _ = M.precision_recall_at(anchor[i], y[i], 5)
        diffs.append(pm - pa)
    lo, hi = np.percentile(diffs, [2.5, 97.5])
    return float(np.mean(diffs)), float(lo), float(hi)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--skip-c", action="store_true", help="skip the feedback simulation")
    parser.add_argument("--skip-anchors", action="store_true", help="the module only")
    parser.add_argument(
        "--features",
        default=DEFAULT_FEATURES,
        help=f"the module's feature sets, comma-separated ({', '.join(FEATURE_SETS)})",
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "benchmarks" / "risk")
    args = parser.parse_args()
    features = tuple(args.features.split(","))
    for name in features:
        if name not in FEATURE_SETS:
            sys.exit(f"unknown feature set {name!r}: {', '.join(FEATURE_SETS)}")
    train, valid, test = load(args.data)
    known_pairs = set(pair_keys(train)) | set(pair_keys(valid))
    unseen = np.array([k not in known_pairs for k in pair_keys(test)])
    print(
        f"rows: train {len(train):,}, valid {len(valid):,}, test {len(test):,}; "
        f"test rows with an unseen (HS6, Net Mass) pair: {int(unseen.sum()):,} "
        f"(fraud rate {test.fraud[unseen].mean():.3f} vs {test.fraud.mean():.3f} overall); "
        f"critical rate in test {test.critical.mean():.4f}"
    )
    runs = []
    first_scores: dict[str, dict[str, np.ndarray]] = {}
    for seed in range(args.seeds):
        results, scores = evaluate_seed(
            seed, train, valid, test, unseen, anchors=not args.skip_anchors, features=features
        )
        runs.append(results)
        if seed == 0:
            first_scores = scores
    for track in TRACKS:
        print_track(track, runs)
    print("\nCost (mean ± sd over seeds; both heads/labels; 1 thread)")
    print(f"  {'model':<46}{'train s':>13}{'score ms/row':>15}{'explain ms/sel':>16}")
    for name in runs[0]:
        cells = [
            summarize([r[name]["train_s"] for r in runs]),
            summarize([r[name]["score_ms_per_row"] for r in runs]),
            summarize([r[name].get("explain_ms_per_selected", math.nan) for r in runs]),
        ]
        print(f"  {name:<46}{cells[0]:>13}{cells[1]:>15}{cells[2]:>16}")
    verdicts = {
        module_name(name): significance(runs, first_scores, test, module_name(name))
        for name in features
    }
    feedback: dict[str, Any] = {}
    if not args.skip_c:
        feedback = run_feedback(train, valid, test, seeds=args.seeds)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(
        json.dumps(
            {"runs": runs, "verdicts": verdicts, "track_c": feedback}, indent=1, default=float
        )
    )
    print(f"\nwritten: {args.out / 'results.json'}")


def significance(
    runs: list[dict[str, dict[str, Any]]],
    scores: dict[str, dict[str, np.ndarray]],
    test: Declarations,
    module: str = MODULE,
) -> dict[str, Any]:
    """The issue's targets for the module's row ``module``."""
    anchors = [n for n in runs[0] if n in ANCHORS]
    auc_unseen = [r[module]["A'"]["ROC-AUC"] for r in runs]
    b_p1 = [r[module]["B"]["P@1%"] for r in runs]
    b_r5 = [r[module]["B"]["R@5%"] for r in runs]
    ece = [r[module]["A"]["ECE"] for r in runs]
    verdicts: dict[str, Any] = {}
    if anchors:
        best = max(anchors, key=lambda n: statistics.fmean(r[n]["A"]["P@5%"] for r in runs))
        mean, lo, hi = bootstrap_p5(scores[module]["fraud"], scores[best]["fraud"], test.fraud)
        verdicts["A: best anchor by P@5%"] = best
        verdicts["A: P@5% module - best anchor (seed 0, paired bootstrap 95% CI)"] = [mean, lo, hi]
        verdicts["A: not significantly below the best anchor"] = hi >= 0
    verdicts |= {
        "A': ROC-AUC >= 0.70 (every seed)": min(auc_unseen) >= 0.70,
        "B: P@1% > 0.455 (every seed)": min(b_p1) > 0.455,
        "B: R@5% > 0.73 (every seed)": min(b_r5) > 0.73,
        "A: ECE <= 0.02 (every seed)": max(ece) <= 0.02,
    }
    print(f"\nTargets: {module}")
    for key, value in verdicts.items():
        shown = (
            "[" + ", ".join(f"{v:+.3f}" for v in value) + "]" if isinstance(value, list) else value
        )
        print(f"  {key}: {shown}")
    return verdicts


if __name__ == "__main__":
    main()
