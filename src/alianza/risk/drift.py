"""Drift monitors: has the traffic moved away from what the model learned, and has the violation
rate measured by the random control slice changed?

- Features: population stability index (PSI) of each model feature between a reference period
  and the current one; numeric features binned at the reference deciles, categorical ones by
  category (codes unseen in the reference pool in one bin), missing values in a bin of their
  own. Rule of thumb: < 0.1 stable, 0.1-0.25 watch, > 0.25 shifted.
- Hit rate: the random-slice hit rates of two periods, compared with a two-proportion z-test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from alianza.risk.features import Matrix

EPSILON = 1e-4


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
