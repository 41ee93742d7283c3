"""Entity history sees only labels dated before the scored row."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from alianza.risk.history import history_features, prior_counts, prior_sums
from alianza.risk.table import Declarations

events = st.lists(
    st.tuples(st.integers(0, 6), st.sampled_from(["a", "b", "c", ""]), st.integers(0, 1)),
    min_size=0,
    max_size=30,
)
queries = st.lists(
    st.tuples(st.integers(0, 8), st.sampled_from(["a", "b", "d", ""])), min_size=1, max_size=15
)


@given(events, queries, st.integers(0, 3))
def test_prior_counts_match_plain_loop(
    labels: list[tuple[int, str, int]], asked: list[tuple[int, str]], lag: int
) -> None:
    n, y = prior_counts(
        np.array([d for d, _ in asked], dtype=np.int64),
        np.array([k for _, k in asked], dtype=object),
        np.array([d for d, _, _ in labels], dtype=np.int64),
        np.array([k for _, k, _ in labels], dtype=object),
        np.array([v for _, _, v in labels], dtype=np.int64),
        lag_days=lag,
    )
    for i, (day, key) in enumerate(asked):
        before = [v for d, k, v in labels if k == key and key != "" and d + lag < day]
        assert (n[i], y[i]) == (len(before), sum(before))


def test_prior_sums_skip_missing_values() -> None:
    n, total = prior_sums(
        np.array([5], dtype=np.int64),
        np.array(["k"], dtype=object),
        np.array([1, 2, 3], dtype=np.int64),
        np.array(["k", "k", "k"], dtype=object),
        np.array([1.5, np.nan, 2.0]),
    )
    assert (n[0], total[0]) == (2, 3.5)


def table(days: list[int], importers: list[str], fraud: list[int]) -> Declarations:
    n = len(days)
    return Declarations(
        ids=np.array([str(i) for i in range(n)], dtype=object),
        day=np.array(days, dtype=np.int64),
        text={"importer": np.array(importers, dtype=object)},
        number={"value": np.arange(n, dtype=np.float64)},
        fraud=np.array(fraud, dtype=np.int8),
        critical=np.array(fraud, dtype=np.int8),
    )


rows_strategy = st.lists(
    st.tuples(st.integers(0, 10), st.sampled_from(["x", "y", "z"]), st.integers(0, 1)),
    min_size=2,
    max_size=25,
)


@settings(max_examples=60)
@given(rows_strategy, st.integers(0, 10), st.randoms(use_true_random=False))
def test_history_features_unchanged_when_future_labels_change(
    rows: list[tuple[int, str, int]], cut: int, rnd: object
) -> None:
    """Rewrite every label dated on or after ``cut``: features of rows dated up to ``cut``
    must not move (a label from the scored day itself is not yet known)."""
    days = [d for d, _, _ in rows]
    importers = [k for _, k, _ in rows]
    labels = [v for _, _, v in rows]
    flipped = [1 - v if d >= cut else v for d, v in zip(days, labels, strict=True)]
    original = table(days, importers, labels)
    changed = table(days, importers, flipped)
    keys = (("importer",),)
    a = history_features(original, original, keys, value_keys=keys, value_columns=("value",))
    b = history_features(original, changed, keys, value_keys=keys, value_columns=("value",))
    early = np.array(days) <= cut
    for x, y in zip(a.values, b.values, strict=True):
        assert np.array_equal(x[early], y[early], equal_nan=True)


def test_history_features_use_earlier_labels() -> None:
    """The feature does move when an earlier label changes (the test above can fail)."""
    base = table([1, 2, 3], ["x", "x", "x"], [0, 0, 0])
    flipped = table([1, 2, 3], ["x", "x", "x"], [1, 0, 0])
    a = history_features(base, base, (("importer",),))
    b = history_features(base, flipped, (("importer",),))
    rate = a.names.index("history_importer_fraud_rate")
    assert a.values[rate][2] < b.values[rate][2]
    assert a.values[rate][0] == b.values[rate][0]
