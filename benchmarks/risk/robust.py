"""Track R (issue 21): does a targeted violation stay targeted when the declarant changes what
a declarant controls? And tracks A, A', B for the feature variants, so that a variant is chosen
on all four together.

For each model (the module's feature variants and the anchors), on the KCS test period
(2021-Q2): the true violations among the top 1 % of the test rows by the model's score are the
*targeted* rows. Each perturbation below is applied to those rows only, they are scored again,
and the share whose new score still reaches the 1 % (and the 5 %) cut of the unperturbed test
scores is reported, mean ± sd over seeds (a seed changes the model's own randomness and the
perturbation draws):

- ``mass-value``: declared net mass and value each multiplied by a factor drawn uniformly in
  [0.95, 1.05] (the issue's example: +3 % on the mass evaded every one of 40 targeted rows);
- ``new-declarant``: a declarant id never seen before (KCS has no consignee column) for the same
  importer;
- ``split``: the shipment declared as two, each with half the mass and half the value; it stays
  targeted when either half does;
- ``sibling-hs``: the HS code moved to the most frequent other code of the same HS4 heading in
  the training period (rows whose heading has no other code keep theirs; counted).

Track C for each model: the weekly feedback simulation of ``feedback.py`` over 2021-H1 (valid
+ test, 26 weeks) with a 5 % budget, no random slice, the model *static*: fitted once on all
2020 labels, the last 28 days of 2020 early-stopping (the module: also calibrating; the XGBoost
recipe, which uses no validation data, trains on all of 2020). Each week the top 5 % of that
week's declarations by the model's score are inspected and only their outcomes are revealed.
Scores that read a labeled history read every label known that week (2020 and the outcomes
revealed so far): the module's entity-history features, the memorizer's (HS6, Net Mass)
lookup. The fitted anchors (XGBoost, LightGBM, CatBoost) read no history. Reported: precision
of the half-year's inspections and recall of all H1 violations (about 0.23 at most: 5 % of the
rows, 21.3 % of them violations). The module fits its general head only here (the variant's).

Module variants: ``exact`` (called ``shipped`` before ``near`` became the default: the exact
(HS6, net mass) pair as a history key and as the key of the cold-start split) and ``tolerant``
(the pair replaced by (HS6, net-mass band): the mass in bands a factor 1.25 wide; value per kg
against the HS code and the HS code × origin, as shipped); ``unit-value`` (``--variants unit-
value``, not run by default: the exact pair kept as a history key, plus (HS6, origin, value-per-
kg band), bands a factor 1.25 wide, as a history key and as the key of the cold-start split
instead of the exact pair: a split in two keeps the value per kg, and ±5 % on mass and value
mostly keeps its band). Anchors: the (HS6, Net Mass) memorizer, LightGBM and XGBoost
(``--catboost`` adds CatBoost: about 5 minutes
a fit on a quiet 2-core machine, about 13 under load).

Near variants (issue 21, second attempt; ``--variants near,...``): ``near`` is the module's
selectable feature set (``alianza.risk.model.FEATURE_SETS["near"]``, the same as
``near-hs4+consolidated``): no exact (HS6, net mass) key; the history of rows with a near
declared mass and value (cells a factor exp(0.15) wide on two offset grids, the fullest of the
four cells) on HS4 and on HS4 x origin, the latter the key of the cold-start split; every HS6
feature read at HS4; the lines of one importer and HS6 on one day scored as one consignment
(summed mass and value). ``near-hs6`` keeps the HS6 features, ``near-hs4`` has no
consolidation, ``near-hs6+consolidated`` both.

    .venv/bin/python benchmarks/risk/robust.py --seeds 5 [--catboost] [--skip-anchors]
        [--tracks R,C] [--variants exact,tolerant,near] [--only NAME]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from anchors import ANCHORS, fit_memorizer, pair_keys
from feedback import simulate
from run import DEFAULT_DATA, ROOT, load

from alianza.risk import metrics as M
from alianza.risk.features import NEAR, SHIPMENT_SPEC, FeatureSpec
from alianza.risk.model import (
    FEATURE_SETS,
    HEADS,
    HeadConfig,
    history_of,
    retrain,
    train_model,
)
from alianza.risk.table import Declarations, concat

PERTURBATIONS = ("mass-value", "new-declarant", "split", "sibling-hs")
BAND_PAIR = ("hs6", "net_mass_band")
PAIR = ("hs6", "net_mass_key")


UNIT_VALUE_PAIR = ("hs6", "origin", "unit_value_band")  # value per kg on its HS code and route
UNIT_VALUE_BAND = 1.25  # as the net-mass bands (alianza.risk.features.MASS_BAND)


def with_unit_value_band(rows: Declarations) -> Declarations:
    """``unit_value_band`` (the ``unit-value`` variant): the declared value per kg in bands a
    factor 1.25 wide, from the row's own mass and value (recomputed after a perturbation)."""
    mass, value = rows.number["net_mass_kg"], rows.number["value"]
    band = [
        str(math.floor(math.log(v / m) / math.log(UNIT_VALUE_BAND))) if m > 0 and v > 0 else ""
        for m, v in zip(mass.tolist(), value.tolist(), strict=True)
    ]
    return with_columns(rows, text={"unit_value_band": np.array(band, dtype=object)})


def prepare(name: str) -> Callable[[Declarations], Declarations]:
    """What a variant adds to every table it trains on, reads as history or scores."""
    return with_unit_value_band if name == "unit-value" else (lambda rows: rows)


HS4_OF = {"hs6": "hs4"}  # the near-hs4 variants read the heading where shipped reads the code


def near_variant(name: str) -> tuple[FeatureSpec, tuple[HeadConfig, ...]]:
    """``near`` (issue 21, second attempt): the exact (HS6, net mass) key dropped; near
    (declared mass and value within a few per cent) histories on HS6 and on HS4 x origin, the
    latter the key of the cold-start split. ``near-hs4``: also every HS6 feature read at HS4 (a
    sibling code keeps them). ``+consolidated``: lines of one importer and HS6 on one day
    scored as one consignment (a split in two undone)."""
    general, critical = HEADS
    base, _, extra = name.partition("+")
    keys = tuple(k for k in SHIPMENT_SPEC.history_keys if k != PAIR)
    categorical = SHIPMENT_SPEC.categorical
    value_keys = SHIPMENT_SPEC.value_keys
    near: tuple[tuple[str, ...], ...] = (("hs6",), ("hs4", "origin"))
    if base == "near-hs4":

        def lift(key: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(HS4_OF.get(c, c) for c in key)

        keys = tuple(dict.fromkeys(lift(k) for k in keys))
        categorical = tuple(c for c in categorical if c != "hs6")
        value_keys = tuple(dict.fromkeys(lift(k) for k in value_keys))
        near = (("hs4",), ("hs4", "origin"))
    spec = replace(
        SHIPMENT_SPEC,
        categorical=categorical,
        history_keys=keys,
        value_keys=value_keys,
        near_keys=near,
        consolidate_by=("importer", "hs6") if extra == "consolidated" else (),
    )
    cold = ("hs4", "origin", NEAR)
    return spec, (replace(general, cold_key=cold), critical)


def variant(name: str) -> tuple[FeatureSpec, tuple[HeadConfig, ...]]:
    general, critical = HEADS
    if name == "near":  # the module's selectable set: near-hs4+consolidated
        return FEATURE_SETS["near"]
    if name.startswith("near"):
        return near_variant(name)
    if name in ("exact", "shipped"):  # "shipped": the exact set's name before it was renamed
        return SHIPMENT_SPEC, HEADS
    if name == "unit-value":  # the exact pair kept; (HS6, route, value per kg) decides cold start
        keys = (*SHIPMENT_SPEC.history_keys, UNIT_VALUE_PAIR)
        spec = replace(SHIPMENT_SPEC, history_keys=keys)
        return spec, (replace(general, cold_key=UNIT_VALUE_PAIR), critical)
    keys = tuple(BAND_PAIR if k == PAIR else k for k in SHIPMENT_SPEC.history_keys)
    spec = replace(SHIPMENT_SPEC, history_keys=keys)
    return spec, (replace(general, cold_key=BAND_PAIR), critical)


Scorer = Callable[[Declarations], np.ndarray]


def with_columns(
    rows: Declarations,
    text: dict[str, np.ndarray] | None = None,
    number: dict[str, Any] | None = None,
) -> Declarations:
    return Declarations(
        rows.ids,
        rows.day,
        {**rows.text, **(text or {})},
        {**rows.number, **(number or {})},
        rows.fraud,
        rows.critical,
    )


def perturb(
    kind: str, rows: Declarations, train: Declarations, rng: np.random.Generator
) -> tuple[Declarations, np.ndarray]:
    """The perturbed rows and, per perturbed row, the index of the targeted row it came from."""
    n = len(rows)
    origin = np.arange(n)
    if kind == "mass-value":
        mass = rows.number["net_mass_kg"] * rng.uniform(0.95, 1.05, n)
        value = rows.number["value"] * rng.uniform(0.95, 1.05, n)
        return with_columns(rows, number={"net_mass_kg": mass, "value": value}), origin
    if kind == "new-declarant":
        fresh = np.array([f"NEW-DECLARANT-{i}" for i in range(n)], dtype=object)
        return with_columns(rows, text={"declarant": fresh}), origin
    if kind == "split":
        half = with_columns(
            rows,
            number={
                "net_mass_kg": rows.number["net_mass_kg"] / 2,
                "value": rows.number["value"] / 2,
            },
        )
        return concat([half, half]), np.concatenate([origin, origin])
    # sibling-hs: the most frequent other HS6 of the same heading in train
    codes, counts = np.unique(train.text["hs6"].astype(str), return_counts=True)
    by_heading: dict[str, list[tuple[int, str]]] = {}
    for code, count in zip(codes.tolist(), counts.tolist(), strict=True):
        by_heading.setdefault(code[:4], []).append((count, code))
    moved = []
    for code in rows.text["hs6"].astype(str).tolist():
        others = sorted((c for c in by_heading.get(code[:4], []) if c[1] != code), reverse=True)
        moved.append(others[0][1] if others else code)
    return with_columns(rows, text={"hs6": np.array(moved, dtype=object)}), origin


def track_r(
    score: Scorer, test: Declarations, train: Declarations, seed: int
) -> dict[str, dict[str, float]]:
    base = score(test)
    n = len(test)
    order = np.argsort(-base, kind="stable")
    cut1 = base[order[M.budget_k(n, 1) - 1]]
    cut5 = base[order[M.budget_k(n, 5) - 1]]
    top = order[: M.budget_k(n, 1)]
    targeted = top[test.fraud[top] == 1]
    rows = test.take(targeted)
    out: dict[str, dict[str, float]] = {}
    for kind in PERTURBATIONS:
        rng = np.random.default_rng(1000 * seed + PERTURBATIONS.index(kind))
        changed, origin = perturb(kind, rows, train, rng)
        new = score(changed)
        best = np.full(len(rows), -np.inf)
        np.maximum.at(best, origin, new)
        out[kind] = {
            "targeted": float(len(rows)),
            "top1": float(np.mean(best >= cut1)),
            "top5": float(np.mean(best >= cut5)),
        }
        if kind == "sibling-hs":
            same = changed.text["hs6"] == rows.text["hs6"]
            out[kind]["unchanged_rows"] = float(same.sum())
    return out


def module_scorer(
    name: str, train: Declarations, valid: Declarations, test: Declarations, seed: int
) -> tuple[Scorer, dict[str, float]]:
    spec, heads = variant(name)
    prep = prepare(name)
    model = train_model(prep(train), prep(valid), spec=spec, heads=heads, seed=seed)
    known = prep(history_of(train, valid))

    def score(rows: Declarations) -> np.ndarray:
        return np.asarray(model.score(prep(rows), known).ranking("general"))

    critical = np.asarray(model.score(prep(test), known).ranking("critical"))
    return score, {"B P@1%": M.precision_recall_at(critical, test.critical, 1)[0]}


CALIBRATION_DAYS = 28  # as feedback.py's retraining and `alianza risk train`
NO_VALIDATION = {"XGBoost, published recipe"}  # the recipe uses no validation period


def track_c(name: str, train: Declarations, h1: Declarations, seed: int) -> dict[str, float]:
    """Track C with the model ``name`` static (see the module's docstring)."""

    def fit_module(known: Declarations, seed: int) -> Callable[..., np.ndarray]:
        spec, heads = variant(name.removeprefix("module: "))
        prep = prepare(name.removeprefix("module: "))
        model = retrain(
            prep(known), calibration_days=CALIBRATION_DAYS, spec=spec, heads=heads[:1], seed=seed
        )

        def score(rows: Declarations, known: Declarations) -> np.ndarray:
            return np.asarray(model.score(prep(rows), prep(known)).ranking("general"))

        return score

    def fit_anchor(known: Declarations, seed: int) -> Callable[..., np.ndarray]:
        if name.startswith("memorizer"):  # a lookup of the labels known that week

            def lookup(rows: Declarations, known: Declarations) -> np.ndarray:
                nothing = known.take(np.zeros(0, np.int64))
                return np.asarray(fit_memorizer(known, nothing, "fraud", seed).score(rows)[0])

            return lookup
        late = known.day > int(known.day.max()) - CALIBRATION_DAYS
        early = known if name in NO_VALIDATION else known.take(~late)
        fitted = ANCHORS[name](early, known.take(late), "fraud", seed)
        return lambda rows, _known: np.asarray(fitted.score(rows)[0])

    fit = fit_module if name.startswith("module: ") else fit_anchor
    found = simulate(
        train, h1, start_share=1.0, slice_share=0.0, policy="static", seed=seed, fit=fit
    )
    return {"C precision": found["precision"], "C recall": found["recall"]}


def tracks(score: Scorer, test: Declarations, unseen: np.ndarray) -> dict[str, float]:
    s = score(test)
    y = test.fraud
    return {
        "A P@5%": M.precision_recall_at(s, y, 5)[0],
        "A ROC-AUC": M.roc_auc(s, y),
        "A' ROC-AUC": M.roc_auc(s[unseen], y[unseen]),
    }


def summarize(values: list[float]) -> str:
    clean = [v for v in values if not math.isnan(v)]
    if not clean:
        return "n/a"
    sd = statistics.stdev(clean) if len(clean) > 1 else 0.0
    return f"{statistics.fmean(clean):.3f}±{sd:.3f}"


def report(results: dict[str, list[dict[str, Any]]], rows: int, seeds: int) -> None:
    print(f"Track R, KCS test 2021-Q2 ({rows:,} rows), {seeds} seed(s), mean ± sd")
    print("share of the targeted violations (true violations in the top 1 %) that stay in the")
    print("top 1 % / top 5 % after the perturbation; A, A', B on the unperturbed test rows")
    print("C: weekly feedback over 2021-H1, 5 % inspected a week, the model static (2020 labels)")
    print(
        "| model | targeted | "
        + " | ".join(PERTURBATIONS)
        + " | A P@5 % | A ROC-AUC | A′ ROC-AUC | B P@1 % | C precision | C recall |"
    )
    print("|---" * (8 + len(PERTURBATIONS)) + "|")
    for name, runs in results.items():
        robust = [r["R"] for r in runs if "R" in r]
        cells = [
            summarize([r[p]["top1"] for r in robust])
            + " / "
            + summarize([r[p]["top5"] for r in robust])
            if robust
            else "—"
            for p in PERTURBATIONS
        ]
        targeted = (
            f"{statistics.fmean(r['mass-value']['targeted'] for r in robust):.0f}"
            if robust
            else "—"
        )
        figures = [
            summarize([r.get(k, math.nan) for r in runs])
            for k in ("A P@5%", "A ROC-AUC", "A' ROC-AUC", "B P@1%", "C precision", "C recall")
        ]
        print(f"| {name} ({len(runs)}) | {targeted} | " + " | ".join(cells + figures) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--first-seed", type=int, default=0, help="to add seeds to a run")
    parser.add_argument("--catboost", action="store_true")
    parser.add_argument("--skip-anchors", action="store_true")
    parser.add_argument("--tracks", default="R,C", help="R (with A, A', B) and/or C")
    parser.add_argument("--variants", default="exact,near", help="'' for none")
    parser.add_argument("--only", help="only the anchors whose name contains this")
    parser.add_argument("--print", nargs="+", type=Path, help="print saved robust*.json files")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "benchmarks" / "risk")
    args = parser.parse_args()
    if args.print:
        # one model's runs in several files join by seed (tracks run apart, seeds added)
        by_seed: dict[str, dict[int, dict[str, Any]]] = {}
        for path in args.print:
            for name, runs in json.loads(path.read_text(encoding="utf-8")).items():
                held = by_seed.setdefault(name, {})
                for i, run in enumerate(runs):
                    seed = int(run.get("seed", i))
                    held[seed] = {**held.get(seed, {}), **run}
        merged = {name: [runs[k] for k in sorted(runs)] for name, runs in by_seed.items()}
        report(merged, 8481, max(len(v) for v in merged.values()))
        return
    train, valid, test = load(args.data)
    wanted = set(args.tracks.split(","))
    h1 = concat([valid, test])
    known_pairs = set(pair_keys(train)) | set(pair_keys(valid))
    unseen = np.array([k not in known_pairs for k in pair_keys(test)])
    names = [f"module: {v}" for v in args.variants.split(",") if v]
    anchors = {}
    if not args.skip_anchors:
        anchors = {
            k: v
            for k, v in ANCHORS.items()
            if k != "random"
            and (args.catboost or not k.startswith("CatBoost"))
            and (args.only is None or args.only in k)
        }
        names += list(anchors)
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    args.out.mkdir(parents=True, exist_ok=True)
    suffix = f"-{args.only.split()[0].lower()}" if args.only else ""
    suffix += f"-from{args.first_seed}" if args.first_seed else ""
    suffix += "" if wanted == {"R", "C"} else "-" + "".join(sorted(wanted)).lower()
    saved = args.out / f"robust{suffix}.json"
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        for name in names:
            t0 = time.perf_counter()
            found: dict[str, Any] = {"seed": seed}
            if "C" in wanted:
                found.update(track_c(name, train, h1, seed))
            if "R" not in wanted:
                results[name].append(found)
                print(
                    f"  seed {seed}: {name} track C done ({time.perf_counter() - t0:.0f} s)",
                    file=sys.stderr,
                    flush=True,
                )
                continue
            extra: dict[str, float] = {}
            if name.startswith("module: "):
                score, extra = module_scorer(
                    name.removeprefix("module: "), train, valid, test, seed
                )
            else:
                fitted = anchors[name](train, valid, "fraud", seed)

                def score(rows: Declarations, fitted: Any = fitted) -> np.ndarray:
                    return np.asarray(fitted.score(rows)[0])

            found["R"] = track_r(score, test, train, seed)
            found.update(tracks(score, test, unseen))
            found.update(extra)
            results[name].append(found)
            print(
                f"  seed {seed}: {name} done ({time.perf_counter() - t0:.0f} s)",
                file=sys.stderr,
                flush=True,
            )
        saved.write_text(json.dumps(results, indent=1), "utf-8")  # after each seed
    report(results, len(test), args.seeds)


if __name__ == "__main__":
    main()
