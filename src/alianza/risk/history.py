"""Entity-history features that cannot see the future.

For a scored row dated *d* and an entity key (an importer, an HS code, a pair such as
HS code × net mass), count the labeled rows with the same key whose label is dated strictly
before *d* (minus an optional lag, the time an inspection result takes to come back), and how
many of them were violations. Labels dated on *d* or later never reach the row: that is the
leakage guarantee, and ``tests/risk/test_history.py`` checks it by changing future labels.

The computation is one sort of labels and queries together: O((n + m) log(n + m)).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from alianza.risk.table import UNKNOWN, Declarations, Floats, Ints

SEPARATOR = "\x1f"


def entity_keys(table: Declarations, columns: Sequence[str]) -> npt.NDArray[np.object_]:
    """One string per row joining the given text columns; ``""`` when any part is missing."""
    parts = [table.column(c).astype(str) for c in columns]
    if len(parts) == 1:
        return parts[0].astype(object)
    joined = parts[0].astype(object)
    missing = parts[0] == ""
    for part in parts[1:]:
        joined = joined + SEPARATOR + part.astype(object)
        missing |= part == ""
    joined[missing] = ""
    return np.asarray(joined, dtype=object)


def prior_counts(
    query_day: Ints,
    query_key: npt.NDArray[np.object_],
    label_day: Ints,
    label_key: npt.NDArray[np.object_],
    label_value: npt.NDArray[np.int8] | Ints,
    *,
    lag_days: int = 0,
) -> tuple[Ints, Ints]:
    """For each query: (labels with the same key dated before ``day - lag_days``, their sum).

    Keys equal to ``""`` (missing entity) get zero counts. ``label_value`` is 0/1.
    """
    n, total = prior_sums(
        query_day,
        query_key,
        label_day,
        label_key,
        np.asarray(label_value, np.float64),
        lag_days=lag_days,
    )
    return n, np.rint(total).astype(np.int64)


def prior_sums(
    query_day: Ints,
    query_key: npt.NDArray[np.object_],
    label_day: Ints,
    label_key: npt.NDArray[np.object_],
    label_value: Floats,
    *,
    lag_days: int = 0,
) -> tuple[Ints, Floats]:
    """Like :func:`prior_counts` for any numeric value (NaN values count as absent)."""
    n_query = len(query_day)
    if n_query == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.float64)
    present = ~np.isnan(label_value)
    label_day, label_key, label_value = (
        label_day[present],
        label_key[present],
        label_value[present],
    )
    keys = np.concatenate([query_key, label_key])
    _, code = np.unique(keys.astype(str), return_inverse=True)
    code = code.astype(np.int64)
    # a label dated L is visible to a query dated D when L + lag < D: shift labels by the lag and
    # put queries before labels of the same shifted day, so same-day labels are never counted.
    day = np.concatenate([query_day, label_day + lag_days])
    kind = np.concatenate([np.zeros(n_query, np.int8), np.ones(len(label_day), np.int8)])
    value = np.concatenate([np.zeros(n_query), np.asarray(label_value, np.float64)])
    order = np.lexsort((kind, day, code))
    sorted_code = code[order]
    is_label = kind[order].astype(np.int64)
    cum_n = np.cumsum(is_label)
    cum_y = np.cumsum(value[order] * is_label)
    # totals before each key group starts
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = sorted_code[1:] != sorted_code[:-1]
    start_index = np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))
    base_n = np.where(start_index > 0, cum_n[start_index - 1], 0)
    base_y = np.where(start_index > 0, cum_y[start_index - 1], 0.0)
    n_prior = np.empty(len(order), np.int64)
    y_prior = np.empty(len(order), np.float64)
    n_prior[order] = cum_n - base_n
    y_prior[order] = cum_y - base_y
    n_out = n_prior[:n_query]
    y_out = y_prior[:n_query]
    missing = query_key == ""
    n_out[missing] = 0
    y_out[missing] = 0.0
    return n_out, y_out


def prior_rates(day: Ints, labeled: Declarations, lag_days: int) -> dict[str, Floats]:
    """The overall prior rates of both labels before each day, (y + 1) / (n + 2)."""
    everyone_q = np.full(len(day), "*", dtype=object)
    everyone_l = np.full(len(labeled), "*", dtype=object)
    base: dict[str, Floats] = {}
    for label_name, label in (("fraud", labeled.fraud), ("critical", labeled.critical)):
        n, y = prior_counts(day, everyone_q, labeled.day, everyone_l, label, lag_days=lag_days)
        base[label_name] = np.where(n > 0, (y + 1.0) / (n + 2.0), 0.5)
    return base


@dataclass(frozen=True)
class HistoryColumns:
    names: list[str]
    values: list[Floats]


def history_features(
    rows: Declarations,
    known: Declarations,
    keys: Sequence[tuple[str, ...]],
    *,
    lag_days: int = 0,
    smoothing: float = 5.0,
    value_keys: Sequence[tuple[str, ...]] = (),
    value_columns: Sequence[str] = (),
    base: dict[str, Floats] | None = None,
) -> HistoryColumns:
    """Per key: log(1 + prior labeled count) and smoothed prior rates of both labels; per value
    key and value column: the row's value minus the mean of earlier rows with the same key (for
    example log unit value against the same HS code: undervaluation shows up here).

    ``known`` holds the labeled history (rows with label -1 are ignored). The prior rate that
    smoothing shrinks towards is itself computed only from labels dated before each row;
    ``base`` gives it when ``known`` is only the part of the history that shares a key with
    ``rows`` (live scoring, :mod:`alianza.risk.live`): the per-key counts are then the same.
    """
    labeled = known.take(known.fraud != UNKNOWN)
    names: list[str] = []
    values: list[Floats] = []
    if base is None:
        base = prior_rates(rows.day, labeled, lag_days)
    for key in keys:
        name = "_x_".join(key)
        query_key = entity_keys(rows, key)
        label_key = entity_keys(labeled, key)
        n_f, y_f = prior_counts(
            rows.day, query_key, labeled.day, label_key, labeled.fraud, lag_days=lag_days
        )
        _, y_c = prior_counts(
            rows.day, query_key, labeled.day, label_key, labeled.critical, lag_days=lag_days
        )
        missing = query_key == ""
        count = np.log1p(n_f.astype(np.float64))
        count[missing] = np.nan
        names.append(f"history_{name}_log_count")
        values.append(count)
        for label_name, y in (("fraud", y_f), ("critical", y_c)):
            rate = (y + smoothing * base[label_name]) / (n_f + smoothing)
            rate[missing] = np.nan
            names.append(f"history_{name}_{label_name}_rate")
            values.append(rate.astype(np.float64))
    for key in value_keys:
        name = "_x_".join(key)
        query_key = entity_keys(rows, key)
        label_key = entity_keys(labeled, key)
        for column in value_columns:
            n, total = prior_sums(
                rows.day,
                query_key,
                labeled.day,
                label_key,
                labeled.number[column],
                lag_days=lag_days,
            )
            deviation = np.full(len(rows), np.nan)
            ok = (n > 0) & (query_key != "")
            deviation[ok] = rows.number[column][ok] - total[ok] / n[ok]
            names.append(f"history_{name}_{column}_deviation")
            values.append(deviation)
    return HistoryColumns(names, values)
