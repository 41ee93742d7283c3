"""Isotonic calibration (pool-adjacent-violators), fitted on a period after training.

A calibrator maps a raw model score to a probability that is non-decreasing in the score. Fit it
on a later validation period, never on the training rows: boosted trees are over-confident on
what they were fitted on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from alianza.risk import messages as words

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class IsotonicCalibrator:
    x: Floats  # increasing knots (block ends)
    y: Floats  # calibrated value at each knot

    @classmethod
    def fit(cls, scores: npt.ArrayLike, labels: npt.ArrayLike) -> IsotonicCalibrator:
        s = np.asarray(scores, dtype=np.float64)
        t = np.asarray(labels, dtype=np.float64)
        if len(s) == 0:
            raise ValueError(words.CALIBRATE_NO_ROWS.said())
        order = np.argsort(s, kind="stable")
        s, t = s[order], t[order]
        # merge equal scores first: they must get one value
        unique, start = np.unique(s, return_index=True)
        weight = np.diff(np.append(start, len(s))).astype(np.float64)
        total = np.add.reduceat(t, start)
        blocks_value: list[float] = []
        blocks_weight: list[float] = []
        blocks_lo: list[float] = []
        blocks_hi: list[float] = []
        for i in range(len(unique)):
            value, w, lo, hi = total[i] / weight[i], weight[i], unique[i], unique[i]
            while blocks_value and blocks_value[-1] >= value:
                pw = blocks_weight.pop()
                pv = blocks_value.pop()
                lo = blocks_lo.pop()
                blocks_hi.pop()
                value = (pv * pw + value * w) / (pw + w)
                w += pw
            blocks_value.append(value)
            blocks_weight.append(w)
            blocks_lo.append(lo)
            blocks_hi.append(hi)
        xs: list[float] = []
        ys: list[float] = []
        for lo, hi, value in zip(blocks_lo, blocks_hi, blocks_value, strict=True):
            xs.append(lo)
            ys.append(value)
            if hi > lo:
                xs.append(hi)
                ys.append(value)
        return cls(np.array(xs), np.array(ys))

    def predict(self, scores: npt.ArrayLike) -> Floats:
        """Piecewise-linear between block ends, constant beyond the fitted range."""
        return np.interp(np.asarray(scores, dtype=np.float64), self.x, self.y)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": "isotonic", "x": self.x.tolist(), "y": self.y.tolist()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IsotonicCalibrator:
        return cls(np.array(data["x"], dtype=np.float64), np.array(data["y"], dtype=np.float64))
