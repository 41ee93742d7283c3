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
    figures: dict[str, list[float]] = {}
    for seed in range(args.repeat):
        # wall clock and this process's CPU time: on a shared machine the first includes waiting
        # for a core, the second is the single-thread work itself
        marks = [(time.perf_counter(), time.process_time())]
        model = retrain(fifty, calibration_days=28, seed=seed)
        marks.append((time.perf_counter(), time.process_time()))
        known = history_of(fifty)
        scores = model.score(rest, known)
        marks.append((time.perf_counter(), time.process_time()))
        selected = M.top_k(scores.ranking("general"), M.budget_k(len(rest), 5))
        explain(model, rest, known, selected)
        marks.append((time.perf_counter(), time.process_time()))
        for clock, k in (("wall", 0), ("cpu", 1)):
            figures.setdefault(f"train {clock}", []).append(marks[1][k] - marks[0][k])
            figures.setdefault(f"score {clock}", []).append(
                1000 * (marks[2][k] - marks[1][k]) / len(rest)
            )
            figures.setdefault(f"explain {clock}", []).append(
                1000 * (marks[3][k] - marks[2][k]) / len(selected)
            )

    def show(values: list[float]) -> str:
        sd = statistics.stdev(values) if len(values) > 1 else 0.0
        return f"{statistics.fmean(values):.3f} ± {sd:.3f}"

    print(
        f"retrain on {len(fifty):,} rows, score {len(rest):,} rows, explain top 5 %; "
        f"{args.repeat} runs, mean ± sd"
    )
    print(f"  {'figure':<36}{'wall clock':>20}{'CPU time':>20}{'target':>12}")
    for key, label, target in (
        ("train", "retraining, s (both heads)", "< 300"),
        ("score", "batch scoring, ms per shipment", "< 1"),
        ("explain", "explanation, ms per selected", "< 10"),
    ):
        wall, cpu = show(figures[f"{key} wall"]), show(figures[f"{key} cpu"])
        print(f"  {label:<36}{wall:>20}{cpu:>20}{target:>12}")


if __name__ == "__main__":
    main()
