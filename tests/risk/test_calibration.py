"""Isotonic calibration: monotone, mean-preserving, equal to a naive pool-adjacent-violators."""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from alianza.risk.calibration import IsotonicCalibrator

points = st.lists(
    st.tuples(st.integers(0, 20).map(float), st.integers(0, 1)), min_size=1, max_size=60
)


def naive_isotonic(xs: list[float], ys: list[int]) -> dict[float, float]:
    """Repeatedly merge the first adjacent pair of groups that violates the order."""
    groups = []
    for x in sorted(set(xs)):
        members = [y for xx, y in zip(xs, ys, strict=True) if xx == x]
        groups.append([[x], sum(members), len(members)])
    changed = True
    while changed:
        changed = False
        for i in range(len(groups) - 1):
            a, b = groups[i], groups[i + 1]
            if a[1] / a[2] >= b[1] / b[2]:
                groups[i : i + 2] = [[a[0] + b[0], a[1] + b[1], a[2] + b[2]]]
                changed = True
                break
    return {x: g[1] / g[2] for g in groups for x in g[0]}


@given(points)
def test_fit_isotonic_equals_naive_merge(data: list[tuple[float, int]]) -> None:
    xs = [x for x, _ in data]
    ys = [y for _, y in data]
    calibrator = IsotonicCalibrator.fit(xs, ys)
    expected = naive_isotonic(xs, ys)
    fitted = calibrator.predict(xs)
    assert all(math.isclose(f, expected[x]) for f, x in zip(fitted, xs, strict=True))
    assert math.isclose(float(np.mean(fitted)), sum(ys) / len(ys))


@given(points, st.lists(st.floats(-5, 25), min_size=2, max_size=20))
def test_predict_isotonic_is_monotone(data: list[tuple[float, int]], probes: list[float]) -> None:
    calibrator = IsotonicCalibrator.fit([x for x, _ in data], [y for _, y in data])
    values = calibrator.predict(sorted(probes))
    assert all(a <= b + 1e-12 for a, b in itertools.pairwise(values))
    assert all(0.0 <= v <= 1.0 for v in values)


def test_isotonic_round_trips_through_dict() -> None:
    calibrator = IsotonicCalibrator.fit([0.1, 0.4, 0.35, 0.8], [0, 1, 0, 1])
    again = IsotonicCalibrator.from_dict(calibrator.as_dict())
    probes = np.linspace(-1, 2, 31)
    assert np.array_equal(calibrator.predict(probes), again.predict(probes))
