"""Metrics against brute-force definitions written out in the test."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from alianza.risk import metrics as M

scores_and_labels = st.integers(2, 40).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 5).map(float), min_size=n, max_size=n),
        st.lists(st.integers(0, 1), min_size=n, max_size=n),
    )
)


@given(scores_and_labels)
def test_roc_auc_equals_pair_count(data: tuple[list[float], list[int]]) -> None:
    scores, labels = data
    pos = [s for s, y in zip(scores, labels, strict=True) if y == 1]
    neg = [s for s, y in zip(scores, labels, strict=True) if y == 0]
    if not pos or not neg:
        assert math.isnan(M.roc_auc(scores, labels))
        return
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    assert math.isclose(M.roc_auc(scores, labels), wins / (len(pos) * len(neg)))


@given(scores_and_labels, st.sampled_from([1, 2, 5, 10, 50]))
def test_precision_at_budget_equals_stable_sort_loop(
    data: tuple[list[float], list[int]], percent: int
) -> None:
    scores, labels = data
    k = (len(scores) * percent) // 100
    ranked = sorted(range(len(scores)), key=lambda i: -scores[i])  # Python's sort is stable
    hits = sum(labels[i] for i in ranked[:k])
    precision, recall = M.precision_recall_at(scores, labels, percent)
    if k == 0:
        assert math.isnan(precision)
    else:
        assert math.isclose(precision, hits / k)
    if sum(labels):
        assert math.isclose(recall, hits / sum(labels))


@given(scores_and_labels)
def test_average_precision_equals_threshold_sum(data: tuple[list[float], list[int]]) -> None:
    scores, labels = data
    positives = sum(labels)
    if positives == 0:
        return
    # sum over distinct thresholds t (high to low) of precision(t) * (recall(t) - recall(prev))
    total, previous_recall = 0.0, 0.0
    for t in sorted(set(scores), reverse=True):
        chosen = [y for s, y in zip(scores, labels, strict=True) if s >= t]
        recall = sum(chosen) / positives
        total += (sum(chosen) / len(chosen)) * (recall - previous_recall)
        previous_recall = recall
    assert math.isclose(M.average_precision(scores, labels), total)


def test_top_k_ties_keep_input_order() -> None:
    assert M.top_k([0.5, 0.9, 0.5, 0.9, 0.1], 3).tolist() == [1, 3, 0]


def test_budget_k_floors() -> None:
    assert [M.budget_k(8481, b) for b in (1, 2, 5, 10)] == [84, 169, 424, 848]


def test_expected_calibration_error_equals_bin_loop() -> None:
    rng = np.random.default_rng(3)
    p = rng.random(500)
    y = (rng.random(500) < p**2).astype(int)
    error = 0.0
    for b in range(10):
        members = [i for i in range(500) if min(int(p[i] * 10), 9) == b]
        if members:
            gap = abs(
                sum(p[i] for i in members) / len(members)
                - sum(y[i] for i in members) / len(members)
            )
            error += len(members) / 500 * gap
    assert math.isclose(M.expected_calibration_error(p, y), error)
    assert math.isclose(M.brier(p, y), sum((p[i] - y[i]) ** 2 for i in range(500)) / 500)
