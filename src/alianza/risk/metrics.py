"""Ranking and calibration metrics at inspection budgets.

A budget of N % inspects the top k = floor(n * N / 100) rows of a stable sort by descending
score (ties keep their input order), as the evaluation protocol of issue 8 prescribes.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]


def top_k(scores: npt.ArrayLike, k: int) -> npt.NDArray[np.int64]:
    """Indices of the k highest scores; among equal scores the earlier row wins."""
    s = np.asarray(scores, dtype=np.float64)
    return np.argsort(-s, kind="stable")[:k].astype(np.int64)


def budget_k(n: int, percent: float) -> int:
    return math.floor(n * percent / 100 + 1e-9)


def precision_recall_at(
    scores: npt.ArrayLike, labels: npt.ArrayLike, percent: float
) -> tuple[float, float]:
    y = np.asarray(labels, dtype=np.int64)
    k = budget_k(len(y), percent)
    hits = int(y[top_k(scores, k)].sum()) if k else 0
    positives = int(y.sum())
    precision = hits / k if k else math.nan
    recall = hits / positives if positives else math.nan
    return precision, recall


def roc_auc(scores: npt.ArrayLike, labels: npt.ArrayLike) -> float:
    """Probability that a random positive outscores a random negative (ties count one half)."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=np.int64)
    n_pos = int(y.sum())
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        return math.nan
    order = np.argsort(s, kind="stable")
    sorted_s = s[order]
    ranks = np.empty(len(s), dtype=np.float64)
    _, start, counts = np.unique(sorted_s, return_index=True, return_counts=True)
    average = start + (counts + 1) / 2.0  # 1-based average rank of each tie group
    ranks[order] = np.repeat(average, counts)
    return float((ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def average_precision(scores: npt.ArrayLike, labels: npt.ArrayLike) -> float:
    """PR-AUC as average precision: mean precision at each positive's rank (ties grouped)."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=np.int64)
    positives = int(y.sum())
    if positives == 0:
        return math.nan
    order = np.argsort(-s, kind="stable")
    sorted_s, sorted_y = s[order], y[order]
    # thresholds at the end of each tie group
    ends = np.flatnonzero(np.append(sorted_s[1:] != sorted_s[:-1], True))
    tp = np.cumsum(sorted_y)[ends]
    seen = ends + 1
    precision = tp / seen
    recall_step = np.diff(np.concatenate([[0], tp])) / positives
    return float(np.sum(precision * recall_step))


def brier(probabilities: npt.ArrayLike, labels: npt.ArrayLike) -> float:
    p = np.asarray(probabilities, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    return float(np.mean((p - y) ** 2))


def expected_calibration_error(
    probabilities: npt.ArrayLike, labels: npt.ArrayLike, bins: int = 10
) -> float:
    """10 equal-width bins on [0, 1]; bin weight = share of rows; |mean p - hit rate| per bin."""
    p = np.asarray(probabilities, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    index = np.minimum((p * bins).astype(np.int64), bins - 1)
    error = 0.0
    for b in range(bins):
        mask = index == b
        if mask.any():
            error += mask.mean() * abs(p[mask].mean() - y[mask].mean())
    return float(error)
