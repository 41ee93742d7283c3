"""Drift monitors: has the traffic moved away from what the model learned, and has the violation
rate measured by the random control slice changed?

- Features: population stability index (PSI) of each model feature between a reference period
  and the current one; numeric features binned at the reference deciles, categorical ones by
  category (codes unseen in the reference pool in one bin), missing values in a bin of their
  own. Rule of thumb: < 0.1 stable, 0.1-0.25 watch, > 0.25 shifted.
- Entity history: the model's ``history_*`` counts and smoothed rates use every earlier outcome
  of an entity, so they move with time by construction (counts grow; rates shrink towards a
  prior ever less) and their PSI rises between any two periods even when the traffic does not
  change. The monitors measure them instead over the ``WINDOW_DAYS`` days before each shipment
  (a trailing window of the same length in both periods), in powers-of-two classes: counts
  0, 1, 2-3, 4-7, ...; rates [0, 1/32], (1/32, 1/16], ..., (1/2, 1]. Classes rather than
  deciles, because a few frequent entities (an HS code) carry most rows and their values move
  together: cut at deciles, that noise alone reads as a shift. A stationary stream keeps its
  count classes; a flood of unfamiliar importers does not (tests/risk/test_drift.py). Rates of
  a key with few values (HS code) can still cross a class edge by chance: on the generated
  sample, one seed in five reads "shifted" (PSI 0.29) for the HS-code violation rate.
- Hit rate: the random-slice hit rates of two periods, compared with a two-proportion z-test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from alianza.risk.features import FeatureSpec, Matrix, derive
from alianza.risk.history import entity_keys, prior_counts
from alianza.risk.table import UNKNOWN, Declarations, Floats

EPSILON = 1e-4
WINDOW_DAYS = 28
RATE_CLASSES = 5  # rate classes: [0, 1/32], (1/32, 1/16], ..., (1/2, 1]


@dataclass(frozen=True)
class FeatureDrift:
    feature: str
    psi: float

    @property
    def level(self) -> str:
        return "stable" if self.psi < 0.1 else "watch" if self.psi < 0.25 else "shifted"

    def as_dict(self) -> dict[str, Any]:
        return {"feature": self.feature, "psi": self.psi, "level": self.level}


def psi(reference: npt.ArrayLike, current: npt.ArrayLike, *, categorical: bool = False) -> float:
    ref = np.asarray(reference, dtype=np.float64)
    cur = np.asarray(current, dtype=np.float64)
    if len(ref) == 0 or len(cur) == 0:
        return math.nan
    ref_bins, cur_bins = _bins(ref, cur, categorical)
    labels = np.union1d(ref_bins, cur_bins)
    p = np.array([(ref_bins == b).mean() for b in labels])
    q = np.array([(cur_bins == b).mean() for b in labels])
    p, q = np.maximum(p, EPSILON), np.maximum(q, EPSILON)
    return float(np.sum((q - p) * np.log(q / p)))


def _bins(
    ref: npt.NDArray[np.float64], cur: npt.NDArray[np.float64], categorical: bool
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    missing = -1.0
    if categorical:
        known = set(ref[~np.isnan(ref)].tolist())
        other = -2.0

        def place(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
            out = np.where(np.isnan(x), missing, x)
            return np.array([v if v in known or v == missing else other for v in out])

        return place(ref), place(cur)
    present = ref[~np.isnan(ref)]
    edges: npt.NDArray[np.float64] = (
        np.unique(np.quantile(present, np.linspace(0.1, 0.9, 9))) if len(present) else np.zeros(0)
    )

    def cut(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        out = np.searchsorted(edges, x, side="right").astype(np.float64)
        out[np.isnan(x)] = missing
        return out

    return cut(ref), cut(cur)


def monitored(matrix: Matrix, rows: Declarations, known: Declarations, spec: FeatureSpec) -> Matrix:
    """The features the monitors compare: the model's ``matrix`` of ``rows`` with, for each
    entity key, the history features measured over the ``WINDOW_DAYS`` days before the row
    (before its lag) instead of over all time. ``history_KEY_log_count`` becomes
    ``history_KEY_recent_count``, the class floor(log2(1 + n)) of the number n of the entity's
    outcomes in the window, a category; ``history_KEY_LABEL_rate`` becomes
    ``history_KEY_recent_LABEL_rate``, the share of those n that were violations (critical), not
    smoothed, NaN when n = 0. All are NaN when the row has no such entity."""
    rows, labeled = derive(rows), derive(known.take(known.fraud != UNKNOWN))
    values = matrix.values.copy()
    names = list(matrix.names)
    categorical = list(matrix.categorical)
    lag = spec.history_lag_days
    for key in spec.history_keys:
        name = f"history_{'_x_'.join(key)}"
        if f"{name}_log_count" not in names:
            continue
        query, label = entity_keys(rows, key), entity_keys(labeled, key)
        recent: dict[str, Floats] = {}
        for label_name, label_value in (("fraud", labeled.fraud), ("critical", labeled.critical)):
            args = (rows.day, query, labeled.day, label, label_value)
            n_all, y_all = prior_counts(*args, lag_days=lag)
            n_old, y_old = prior_counts(*args, lag_days=lag + WINDOW_DAYS)
            n = (n_all - n_old).astype(np.float64)
            with np.errstate(divide="ignore", invalid="ignore"):
                rate = np.where(n > 0, (y_all - y_old) / n, np.nan)
                recent[f"recent_{label_name}_rate"] = np.maximum(
                    np.ceil(np.log2(rate)), -RATE_CLASSES
                )
            recent["recent_count"] = np.floor(np.log2(1.0 + n))
        for part, column in recent.items():
            column[query == ""] = np.nan
            old = "log_count" if part == "recent_count" else part.replace("recent_", "")
            j = names.index(f"{name}_{old}")
            values[:, j] = column
            names[j] = f"{name}_{part}"
            categorical.append(j)
    return Matrix(values, names, sorted(categorical))


def feature_drift(reference: Matrix, current: Matrix) -> list[FeatureDrift]:
    """PSI of every feature, largest first."""
    if reference.names != current.names:
        raise ValueError("the two periods were featurised differently")
    categorical = set(reference.categorical)
    found = [
        FeatureDrift(
            name, psi(reference.values[:, j], current.values[:, j], categorical=j in categorical)
        )
        for j, name in enumerate(reference.names)
    ]
    return sorted(found, key=lambda d: -d.psi if not math.isnan(d.psi) else 0.0)


@dataclass(frozen=True)
class RateChange:
    before: float
    after: float
    z: float
    p_value: float  # two-sided

    def as_dict(self) -> dict[str, Any]:
        return {"before": self.before, "after": self.after, "z": self.z, "p_value": self.p_value}


def hit_rate_change(hits_before: int, n_before: int, hits_after: int, n_after: int) -> RateChange:
    """Two-proportion z-test (pooled) on random-slice outcomes of two periods."""
    if n_before == 0 or n_after == 0:
        return RateChange(math.nan, math.nan, math.nan, math.nan)
    a, b = hits_before / n_before, hits_after / n_after
    pooled = (hits_before + hits_after) / (n_before + n_after)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_before + 1 / n_after))
    if se == 0:
        return RateChange(a, b, 0.0, 1.0)
    z = (b - a) / se
    return RateChange(a, b, z, math.erfc(abs(z) / math.sqrt(2)))
