"""Why a shipment scores as it does: the features that pushed its score up the most, and those
that pulled it down the most (an officer weighs both).

Contributions are LightGBM's exact TreeSHAP values on the raw (log-odds) scale: per row they sum,
with the bias term, to the head's raw score, so an officer reads how much each feature moved the
score and in which direction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from alianza.risk import messages as words
from alianza.risk.features import Matrix
from alianza.risk.model import SMALL_BATCH, RiskModel
from alianza.risk.table import Declarations, Floats


@dataclass(frozen=True)
class Contribution:
    feature: str
    value: str  # the row's value as an officer reads it ("CN", "0.0", "missing")
    contribution: float  # log-odds added to the score

    def as_dict(self) -> dict[str, Any]:
        return {"feature": self.feature, "value": self.value, "contribution": self.contribution}


@dataclass(frozen=True)
class Explanation:
    row: int
    head: str
    raw_score: float
    bias: float
    top: tuple[Contribution, ...]  # raising the score, largest first (positive contributions)
    lowering: tuple[Contribution, ...] = ()  # lowering it, most negative first

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "head": self.head,
            "raw_score": self.raw_score,
            "bias": self.bias,
            "top": [c.as_dict() for c in self.top],
            "lowering": [c.as_dict() for c in self.lowering],
        }


def explain(
    model: RiskModel,
    rows: Declarations,
    known: Declarations,
    selected: npt.ArrayLike,
    *,
    head: str = "general",
    top: int = 5,
    base: dict[str, Floats] | None = None,
) -> list[Explanation]:
    """Explanations for the ``selected`` row indices of ``rows`` (history from ``known``;
    ``base`` as in :func:`alianza.risk.history.history_features`): up to ``top`` features
    raising the score and up to ``top`` lowering it."""
    index = np.asarray(selected, dtype=np.int64)
    if head not in model.heads:
        raise KeyError(words.NO_HEAD.said(head=head, heads=", ".join(model.heads)))
    subset = rows.take(index)
    return explain_matrix(model, model.matrix(subset, known, base), index, head=head, top=top)


def explain_matrix(
    model: RiskModel,
    matrix: Matrix,
    index: npt.NDArray[np.int64],
    *,
    head: str = "general",
    top: int = 5,
) -> list[Explanation]:
    """Explanations from the rows' feature ``matrix`` (``index``: the row number to report for
    each matrix row)."""
    chosen = model.heads[head]
    cold = chosen.cold_rows(matrix)
    contributions = np.zeros((len(index), len(matrix.names) + 1))
    for is_cold in (False, True):
        part = cold == is_cold
        if part.any():
            booster = chosen.component(is_cold).booster
            threads: dict[str, Any] = {"num_threads": 1} if part.sum() < SMALL_BATCH else {}
            contributions[part] = booster.predict(matrix.values[part], pred_contrib=True, **threads)
    categorical = set(matrix.categorical)
    categories = model.encoder.categories
    explanations = []
    for i, row in enumerate(index):
        values = contributions[i, :-1]
        rising = np.argsort(-values, kind="stable")
        falling = np.argsort(values, kind="stable")
        up = rising[values[rising] > 0][:top].tolist()
        down = falling[values[falling] < 0][:top].tolist()

        def factor(j: int, i: int = i, values: Floats = values) -> Contribution:
            name = matrix.names[j]
            raw = float(matrix.values[i, j])
            if math.isnan(raw):
                shown = "missing"
            elif j in categorical:
                shown = categories[name][int(raw)]
            else:
                shown = f"{raw:.4g}"
            return Contribution(name, shown, float(values[j]))

        explanations.append(
            Explanation(
                int(row),
                head,
                float(contributions[i].sum()),
                float(contributions[i, -1]),
                tuple(factor(int(j)) for j in up),
                tuple(factor(int(j)) for j in down),
            )
        )
    return explanations
