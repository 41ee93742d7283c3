"""Drift monitors against formulas written out here."""

from __future__ import annotations

import math

import numpy as np
import pytest

from alianza.risk.drift import feature_drift, hit_rate_change, psi
from alianza.risk.features import Matrix


def test_psi_same_distribution_near_zero_and_shift_large() -> None:
    rng = np.random.default_rng(0)
    reference = rng.normal(0, 1, 5000)
    assert psi(reference, rng.normal(0, 1, 5000)) < 0.02
    assert psi(reference, rng.normal(1.5, 1, 5000)) > 0.25


def test_psi_categorical_equals_formula() -> None:
    reference = [0.0] * 50 + [1.0] * 50
    current = [0.0] * 20 + [1.0] * 60 + [7.0] * 20  # 7 was never seen: its own bin
    expected = sum((q - p) * math.log(q / p) for p, q in ((0.5, 0.2), (0.5, 0.6), (1e-4, 0.2)))
    assert psi(reference, current, categorical=True) == pytest.approx(expected)


def test_feature_drift_sorted_largest_first() -> None:
    rng = np.random.default_rng(1)
    a = np.column_stack([rng.normal(0, 1, 2000), rng.normal(0, 1, 2000)])
    b = np.column_stack([rng.normal(0, 1, 2000), rng.normal(2, 1, 2000)])
    found = feature_drift(Matrix(a, ["calm", "moved"], []), Matrix(b, ["calm", "moved"], []))
    assert [f.feature for f in found] == ["moved", "calm"]
    assert found[0].level == "shifted"


def test_hit_rate_change_two_proportion_z() -> None:
    change = hit_rate_change(20, 100, 35, 100)
    pooled = 55 / 200
    z = (0.35 - 0.20) / math.sqrt(pooled * (1 - pooled) * (2 / 100))
    assert change.z == pytest.approx(z)
    assert change.p_value == pytest.approx(math.erfc(abs(z) / math.sqrt(2)))
    assert math.isnan(hit_rate_change(0, 0, 1, 10).z)
