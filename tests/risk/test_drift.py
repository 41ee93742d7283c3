"""Drift monitors against formulas written out here."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest

from alianza.risk.drift import (
    feature_drift,
    hit_rate_change,
    monitored,
    psi,
    seasonal_reference,
)
from alianza.risk.features import SHIPMENT_SPEC, CategoryEncoder, Matrix, build_matrix, derive
from alianza.risk.read import ALIANZA, read_declarations
from alianza.risk.sample import generate
from alianza.risk.table import Declarations, day_number


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


@pytest.fixture(scope="module")
def stationary_streams(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Declarations]:
    """Generated border samples (src/alianza/risk/sample.py): every day drawn from the same
    distribution, every shipment with its outcome; five seeds."""
    streams = {}
    for seed in range(5):
        files = generate(tmp_path_factory.mktemp(f"s{seed}"), rows=20_000, days=180, seed=seed)
        streams[seed], _report = read_declarations(files.history, profile=ALIANZA)
    return streams


def periods(table: Declarations) -> tuple[Declarations, Declarations]:
    start = day_number(date(2025, 1, 1))
    days = table.day - start
    return table.take((days >= 60) & (days < 90)), table.take((days >= 140) & (days < 170))


def new_importers(rows: Declarations) -> Declarations:
    """Every other shipment from an importer never seen before: a real shift of the traffic."""
    importer = rows.text["importer"].copy()
    importer[::2] = np.array([f"NEW{i}" for i in range(len(importer[::2]))], dtype=object)
    return Declarations(
        rows.ids,
        rows.day,
        {**rows.text, "importer": importer},
        rows.number,
        rows.fraud,
        rows.critical,
    )


@pytest.mark.parametrize("seed", range(5))
def test_history_counts_of_a_stationary_stream_are_not_flagged_a_real_shift_is(
    stationary_streams: dict[int, Declarations], seed: int
) -> None:
    stream = stationary_streams[seed]
    spec = SHIPMENT_SPEC.restricted_to(stream)
    encoder = CategoryEncoder.fit(derive(stream), spec.categorical)
    reference, current = periods(stream)

    def features(rows: Declarations, *, window: bool) -> Matrix:
        matrix = build_matrix(rows, stream, spec, encoder)
        return monitored(matrix, rows, stream, spec) if window else matrix

    def levels(rows: Declarations, *, window: bool) -> dict[str, str]:
        found = feature_drift(features(reference, window=window), features(rows, window=window))
        return {f.feature: f.level for f in found}

    counts = [f"history_{'_x_'.join(k)}" for k in spec.history_keys]
    # all-time counts grow with time: "shifted" (HS code x net mass is unseen almost always)
    raw = levels(current, window=False)
    assert {c: raw[f"{c}_log_count"] for c in counts if c != "history_hs6_x_net_mass_key"} == {
        c: "shifted" for c in counts if c != "history_hs6_x_net_mass_key"
    }
    recent = levels(current, window=True)
    assert "shifted" not in {recent[f"{c}_recent_count"] for c in counts}
    moved = levels(new_importers(current), window=True)
    assert moved["history_importer_recent_count"] == "shifted"
    assert moved["history_consignee_recent_count"] == recent["history_consignee_recent_count"]


@pytest.mark.parametrize("seed", range(5))
def test_adjacent_months_of_a_stationary_stream_raise_no_alarm(
    stationary_streams: dict[int, Declarations], seed: int
) -> None:
    """Issue 21: the HS code's violation rate read "shifted" between two adjacent months of
    one stationary stream (ten codes: the rows of a code in a week share their value)."""
    stream = stationary_streams[seed]
    spec = SHIPMENT_SPEC.restricted_to(stream)
    encoder = CategoryEncoder.fit(derive(stream), spec.categorical)
    days = stream.day - day_number(date(2025, 1, 1))
    before = stream.take((days >= 110) & (days < 140))
    after = stream.take((days >= 140) & (days < 170))

    def features(rows: Declarations) -> Matrix:
        return monitored(build_matrix(rows, stream, spec, encoder), rows, stream, spec)

    found = feature_drift(features(before), features(after))
    assert [f.feature for f in found if f.level == "shifted"] == []
    moved = feature_drift(features(before), features(new_importers(after)))
    assert {f.feature: f.level for f in moved}["history_importer_recent_count"] == "shifted"


def zipf_codes(rng: np.random.Generator, categories: int, rows: int) -> np.ndarray:
    weights = 1 / np.arange(1, categories + 1)
    return rng.choice(categories, size=rows, p=weights / weights.sum()).astype(np.float64)


@pytest.mark.parametrize("seed", range(5))
def test_many_categories_same_distribution_stable_real_shift_shifted(seed: int) -> None:
    """Two months of 1,500 rows drawn from one distribution over 800 HS codes: hundreds of
    codes are seen in one month only, which alone made the PSI read "shifted" (issue 21)."""
    rng = np.random.default_rng(seed)
    before, after = zipf_codes(rng, 800, 1500), zipf_codes(rng, 800, 1500)
    names = ["hs6"]
    found = feature_drift(Matrix(before[:, None], names, [0]), Matrix(after[:, None], names, [0]))
    assert found[0].level == "stable", found[0]
    shifted = after.copy()
    shifted[: len(after) // 3] = 5.0  # a third of the traffic moves to one code
    moved = feature_drift(Matrix(before[:, None], names, [0]), Matrix(shifted[:, None], names, [0]))
    assert moved[0].level == "shifted"


def test_seasonal_stream_compared_with_the_same_month_a_year_earlier() -> None:
    """Produce is shipped in winter: adjacent months of a seasonal trade differ for real, the
    same month one year earlier does not."""
    rng = np.random.default_rng(3)

    def month(number: int) -> np.ndarray:
        winter = number % 12 in (11, 0, 1)  # December to February
        p = np.array([0.6, 0.2, 0.1, 0.1]) if winter else np.array([0.1, 0.2, 0.3, 0.4])
        return rng.choice(4, size=2000, p=p).astype(np.float64)

    names = ["hs6"]
    march_last_year, february, march = month(14), month(25), month(26)
    adjacent = feature_drift(
        Matrix(february[:, None], names, [0]), Matrix(march[:, None], names, [0])
    )
    seasonal = feature_drift(
        Matrix(march_last_year[:, None], names, [0]), Matrix(march[:, None], names, [0])
    )
    assert adjacent[0].level == "shifted"
    assert seasonal[0].level == "stable"
    assert seasonal_reference(date(2026, 3, 1), date(2026, 3, 31)) == (
        date(2025, 3, 1),
        date(2025, 3, 31),
    )
    assert seasonal_reference(date(2028, 2, 29), date(2028, 3, 6))[0] == date(2027, 2, 28)
