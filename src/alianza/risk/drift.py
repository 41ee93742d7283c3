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
- Number of categories and sample size: two samples of one distribution never have PSI 0; with
  k bins and n, m rows its expected value is about (k − 1)(1/n + 1/m) (PSI times nm/(n + m) is
  nearly chi-square with k − 1 degrees of freedom). An HS code with hundreds of values read
  "shifted" (PSI 2.02) between two adjacent months of one stationary year for that reason alone.
  Categories seen fewer than ``MIN_COUNT`` times in the reference share one bin (with codes
  unseen there), and a level above "stable" needs the PSI to exceed the 99.9 % point of that
  null distribution as well as the rule-of-thumb threshold (``FeatureDrift.noise``). For an
  entity-history monitor the rows of one entity in one week share their value, so the sample
  size in that formula is the number of such (entity, week) clusters, not of rows: ten HS codes
  give about fifty clusters a month, and their rates read "shifted" by chance otherwise.
- Seasonality: adjacent months differ when the trade is seasonal (produce in winter); compare a
  period with the same days a year earlier (:func:`seasonal_reference`, ``alianza risk drift
  --seasonal``) when a year of history is held.
- Hit rate: the random-slice hit rates of two periods, compared with a two-proportion z-test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from alianza.risk import messages as words
from alianza.risk.features import FeatureSpec, Matrix, prepare
from alianza.risk.history import entity_keys, prior_counts
from alianza.risk.table import UNKNOWN, Declarations, Floats

EPSILON = 1e-4
MIN_COUNT = 5  # reference rows a category needs for a bin of its own
NULL_Z = 3.090232  # the 99.9 % point of the standard normal
WINDOW_DAYS = 28
RATE_CLASSES = 5  # rate classes: [0, 1/32], (1/32, 1/16], ..., (1/2, 1]


@dataclass(frozen=True)
class FeatureDrift:
    feature: str
    psi: float
    noise: float = 0.0  # the PSI that sampling alone exceeds one time in a thousand

    @property
    def level(self) -> str:
        if self.psi < 0.1 or self.psi <= self.noise:
            return "stable"
        return "watch" if self.psi < 0.25 else "shifted"

    def as_dict(self) -> dict[str, Any]:
        return {"feature": self.feature, "psi": self.psi, "noise": self.noise, "level": self.level}


def psi(reference: npt.ArrayLike, current: npt.ArrayLike, *, categorical: bool = False) -> float:
    return psi_with_noise(reference, current, categorical=categorical)[0]


def psi_with_noise(
    reference: npt.ArrayLike,
    current: npt.ArrayLike,
    *,
    categorical: bool = False,
    sizes: tuple[int, int] | None = None,
) -> tuple[float, float]:
    """(PSI, its 99.9 % point under "same distribution" for these bins and sample sizes;
    ``sizes``: the effective sizes when rows come in clusters)."""
    ref = np.asarray(reference, dtype=np.float64)
    cur = np.asarray(current, dtype=np.float64)
    if len(ref) == 0 or len(cur) == 0:
        return math.nan, math.nan
    ref_bins, cur_bins = _bins(ref, cur, categorical)
    labels = np.union1d(ref_bins, cur_bins)
    p = np.array([(ref_bins == b).mean() for b in labels])
    q = np.array([(cur_bins == b).mean() for b in labels])
    p, q = np.maximum(p, EPSILON), np.maximum(q, EPSILON)
    value = float(np.sum((q - p) * np.log(q / p)))
    n, m = sizes or (len(ref), len(cur))
    return value, null_quantile(len(labels) - 1) * (1 / max(n, 1) + 1 / max(m, 1))


def null_quantile(degrees: int) -> float:
    """The 99.9 % point of chi-square with ``degrees`` (Wilson-Hilferty); 0 for none."""
    if degrees <= 0:
        return 0.0
    k = float(degrees)
    return k * (1 - 2 / (9 * k) + NULL_Z * math.sqrt(2 / (9 * k))) ** 3


def seasonal_reference(start: date, end: date) -> tuple[date, date]:
    """The same days one year earlier (29 February becomes the 28th)."""

    def back(day: date) -> date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:
            return day.replace(year=day.year - 1, day=28)

    return back(start), back(end)


def _bins(
    ref: npt.NDArray[np.float64], cur: npt.NDArray[np.float64], categorical: bool
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    missing = -1.0
    if categorical:
        values, counts = np.unique(ref[~np.isnan(ref)], return_counts=True)
        known = set(values[counts >= MIN_COUNT].tolist())  # rare codes share the "other" bin
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
    rows, labeled = prepare(rows, spec), prepare(known.take(known.fraud != UNKNOWN), spec)
    values = matrix.values.copy()
    names = list(matrix.names)
    categorical = list(matrix.categorical)
    groups: dict[int, npt.NDArray[np.object_]] = {}
    week = (rows.day // 7).astype(str).astype(object)
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
            groups[j] = np.asarray(query + "|" + week, dtype=object)
    return Matrix(values, names, sorted(categorical), groups)


def feature_drift(reference: Matrix, current: Matrix) -> list[FeatureDrift]:
    """PSI of every feature, largest first."""
    if reference.names != current.names:
        raise ValueError(words.FEATURISED_DIFFERENTLY.said())
    categorical = set(reference.categorical)

    def size(matrix: Matrix, j: int) -> int:
        groups = matrix.groups.get(j)
        return len(matrix.values) if groups is None else len(set(groups.tolist()))

    found = [
        FeatureDrift(
            name,
            *psi_with_noise(
                reference.values[:, j],
                current.values[:, j],
                categorical=j in categorical,
                sizes=(size(reference, j), size(current, j)),
            ),
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
