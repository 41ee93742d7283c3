"""Cost targets of issue 8 on this machine, in one run, beside the targets:
retraining on 50,000 rows (< 5 min), batch scoring (< 1 ms per shipment), explanations
(< 10 ms per selected shipment). One thread (LightGBM num_threads=1).

    .venv/bin/python benchmarks/risk/cost.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from alianza.risk import metrics as M
from alianza.risk.explain import explain
from alianza.risk.model import history_of, retrain
from alianza.risk.read import read_declarations
from alianza.risk.table import concat

DATA = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / "risk"
    / "customs-declaration-datasets"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    parts = [
        read_declarations(args.data / f"df_syn_{n}_eng.csv")[0] for n in ("train", "valid", "test")
    ]
    everything = concat(parts)
    fifty = everything.take(np.arange(50_000))
    rest = everything.take(np.arange(50_000, len(everything)))
    train_s, score_ms, explain_ms = [], [], []
    for seed in range(args.repeat):
        t0 = time.perf_counter()
        model = retrain(fifty, calibration_days=28, seed=seed)
        t1 = time.perf_counter()
        known = history_of(fifty)
        scores = model.score(rest, known)
        t2 = time.perf_counter()
        selected = M.top_k(scores.ranking("general"), M.budget_k(len(rest), 5))
        explain(model, rest, known, selected)
        t3 = time.perf_counter()
        train_s.append(t1 - t0)
        score_ms.append(1000 * (t2 - t1) / len(rest))
        explain_ms.append(1000 * (t3 - t2) / len(selected))

    def show(values: list[float]) -> str:
        sd = statistics.stdev(values) if len(values) > 1 else 0.0
        return f"{statistics.fmean(values):.3f} ± {sd:.3f}"

    print(
        f"retrain on {len(fifty):,} rows, score {len(rest):,} rows, explain top 5 %; "
        f"{args.repeat} runs, mean ± sd"
    )
    print(f"  {'figure':<36}{'measured':>20}{'target':>12}")
    print(f"  {'retraining, s (both heads)':<36}{show(train_s):>20}{'< 300':>12}")
    print(f"  {'batch scoring, ms per shipment':<36}{show(score_ms):>20}{'< 1':>12}")
    print(f"  {'explanation, ms per selected':<36}{show(explain_ms):>20}{'< 10':>12}")


if __name__ == "__main__":
    main()
