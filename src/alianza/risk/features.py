"""The model matrix: categorical codes, numeric columns and entity-history features.

Which columns feed the model is declared once in a :class:`FeatureSpec`; derived columns (HS
chapter and heading, log quantities, unit value guarded against zero mass, weekday) are computed
here so a profile only maps its source columns to canonical names.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from alianza.risk.history import (
    SEPARATOR,
    HistoryColumns,
    entity_keys,
    history_features,
)
from alianza.risk.table import Declarations, Floats

MASS_BAND = 1.25
# Near matches (issue 21): a declared mass and value within a few per cent of a labeled row's.
# Log mass and log value each fall in cells NEAR_WIDTH wide, on two grids offset by half a cell;
# two values less than half a cell apart (a factor exp(0.075) = 1.078) share a cell on at least
# one grid, so a ±5 % change of the mass and the value keeps at least one of the four
# (mass grid, value grid) cells, where an exact key would be lost.
NEAR = "near_mass_value"
NEAR_WIDTH = 0.15
MASS_CELLS = ("mass_cell_0", "mass_cell_1")
VALUE_CELLS = ("value_cell_0", "value_cell_1")


def near_keys(key: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The four exact keys whose combination is the near key of ``key``: ``key`` with the
    mass cell of one grid and the value cell of one grid."""
    return tuple((*key, m, v) for m in MASS_CELLS for v in VALUE_CELLS)


def near_name(key: tuple[str, ...]) -> str:
    """The feature stem of the near key of ``key`` (``hs4_x_origin_x_near_mass_value``):
    ``HeadConfig.cold_key = (*key, NEAR)`` sends the rows with no near history to cold start."""
    return "_x_".join((*key, NEAR))


@dataclass(frozen=True)
class FeatureSpec:
    categorical: tuple[str, ...]
    numeric: tuple[str, ...]
    history_keys: tuple[tuple[str, ...], ...]
    history_lag_days: int = 0
    value_keys: tuple[tuple[str, ...], ...] = ()
    value_columns: tuple[str, ...] = ()
    # keys whose history counts the labeled rows of the same key with a near declared mass and
    # value (see NEAR_WIDTH), in place of an exact (HS6, net mass) identity
    near_keys: tuple[tuple[str, ...], ...] = ()
    # columns naming one shipment (importer, HS code): lines sharing them on one day are scored
    # as one consignment, their masses and values summed (a shipment split in two is undone)
    consolidate_by: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return (
            {
                "categorical": list(self.categorical),
                "numeric": list(self.numeric),
                "history_keys": [list(k) for k in self.history_keys],
                "history_lag_days": self.history_lag_days,
                "value_keys": [list(k) for k in self.value_keys],
                "value_columns": list(self.value_columns),
            }
            | (  # written only when used: a model without them saves as before
                {"near_keys": [list(k) for k in self.near_keys]} if self.near_keys else {}
            )
            | ({"consolidate_by": list(self.consolidate_by)} if self.consolidate_by else {})
        )

    def restricted_to(self, table: Declarations) -> FeatureSpec:
        """The features this table can feed (a profile without, say, tax codes skips them)."""
        derived = derive(table)
        text, number = set(derived.text), set(derived.number)
        return FeatureSpec(
            categorical=tuple(c for c in self.categorical if c in text),
            numeric=tuple(c for c in self.numeric if c in number),
            history_keys=tuple(k for k in self.history_keys if set(k) <= text),
            history_lag_days=self.history_lag_days,
            value_keys=tuple(k for k in self.value_keys if set(k) <= text),
            value_columns=tuple(c for c in self.value_columns if c in number),
            near_keys=tuple(
                k for k in self.near_keys if set(k) <= text and {"net_mass_kg", "value"} <= number
            ),
            consolidate_by=(
                self.consolidate_by
                if set(self.consolidate_by) <= text and {"net_mass_kg", "value"} <= number
                else ()
            ),
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeatureSpec:
        return cls(
            categorical=tuple(data["categorical"]),
            numeric=tuple(data["numeric"]),
            history_keys=tuple(tuple(k) for k in data["history_keys"]),
            history_lag_days=int(data["history_lag_days"]),
            value_keys=tuple(tuple(k) for k in data.get("value_keys", [])),
            value_columns=tuple(data.get("value_columns", [])),
            near_keys=tuple(tuple(k) for k in data.get("near_keys", [])),
            consolidate_by=tuple(data.get("consolidate_by", [])),
        )


# The shipment columns every profile maps to (Korea Customs Service names in brackets).
SHIPMENT_SPEC = FeatureSpec(
    categorical=(
        "port",  # [Office ID]
        "mode",  # [Mode of Transport]
        "process_type",
        "import_type",
        "import_use",
        "payment_type",
        "tax_type",
        "origin_indicator",
        "departure",
        "origin",
        "hs2",
        "hs4",
        "hs6",
        "route",  # generated border sample and agency extracts (not in KCS)
    ),
    numeric=(
        "tax_rate",
        "log_mass",
        "log_value",
        "log_unit_value",
        "weekday",
        "log_packages",  # not in KCS
        "log_mass_per_package",  # not in KCS
    ),
    history_keys=(
        ("importer",),
        ("declarant",),
        ("shipper",),
        ("hs6",),
        ("hs6", "net_mass_key"),
        ("hs6", "origin"),
        ("importer", "hs6"),
        ("consignee",),  # not in KCS
    ),
    value_keys=(("hs6",), ("hs6", "origin")),
    value_columns=("log_unit_value", "log_mass", "tax_rate"),
)


# The near feature set (issue 21, Track R): what a declarant controls moves no identity the model
# reads. No exact (HS6, net mass) key: the history of near masses and values (NEAR_WIDTH) on the
# HS heading, and on heading x origin; every HS6 feature read at HS4 (a sibling code within the
# heading keeps them); the lines of one importer and HS6 on one day scored as one consignment.
NEAR_SPEC = FeatureSpec(
    categorical=tuple(c for c in SHIPMENT_SPEC.categorical if c != "hs6"),
    numeric=SHIPMENT_SPEC.numeric,
    history_keys=(
        ("importer",),
        ("declarant",),
        ("shipper",),
        ("hs4",),
        ("hs4", "origin"),
        ("importer", "hs4"),
        ("consignee",),  # not in KCS
    ),
    value_keys=(("hs4",), ("hs4", "origin")),
    value_columns=SHIPMENT_SPEC.value_columns,
    near_keys=(("hs4",), ("hs4", "origin")),
    consolidate_by=("importer", "hs6"),
)


def derive(table: Declarations) -> Declarations:
    """Add the derived columns (idempotent: derive twice equals derive once)."""
    text = dict(table.text)
    number = dict(table.number)
    if "hs6" in text:
        hs = text["hs6"].astype(str)
        text["hs2"] = np.array([h[:2] for h in hs], dtype=object)
        text["hs4"] = np.array([h[:4] for h in hs], dtype=object)
    mass = number.get("net_mass_kg")
    value = number.get("value")
    if mass is not None:
        text["net_mass_key"] = np.array(
            ["" if math.isnan(m) else repr(float(m)) for m in mass], dtype=object
        )
        # tolerant of small changes: the mass in bands a factor MASS_BAND wide
        text["net_mass_band"] = np.array(
            ["" if not m > 0 else str(math.floor(math.log(m) / math.log(MASS_BAND))) for m in mass],
            dtype=object,
        )
        number["log_mass"] = np.log1p(mass)
    if value is not None:
        number["log_value"] = np.log1p(value)
    if mass is not None and value is not None:
        ok = (mass > 0) & (value > 0)
        unit = np.full(len(mass), np.nan)
        unit[ok] = np.log(value[ok] / mass[ok])
        number["log_unit_value"] = unit
    packages = number.get("packages")
    if packages is not None:
        number["log_packages"] = np.log1p(packages)
        if mass is not None:
            per = np.full(len(packages), np.nan)
            ok = packages > 0
            per[ok] = np.log1p(mass[ok] / packages[ok])
            number["log_mass_per_package"] = per
    number["weekday"] = ((table.day + 3) % 7).astype(np.float64)  # Monday = 0
    return Declarations(table.ids, table.day, text, number, table.fraud, table.critical)


def _cells(amount: Floats, names: tuple[str, str]) -> dict[str, npt.NDArray[np.object_]]:
    """The log amount's cell on each of the two grids (``""`` for a missing or zero amount)."""
    out = {}
    for offset, name in enumerate(names):
        out[name] = np.array(
            [
                str(math.floor(math.log(a) / NEAR_WIDTH + offset / 2)) if a > 0 else ""
                for a in amount.tolist()
            ],
            dtype=object,
        )
    return out


def consolidate(table: Declarations, by: Sequence[str]) -> Declarations:
    """Lines sharing the ``by`` columns and the day scored as one consignment: each carries the
    group's summed net mass and value (a group with a missing amount keeps its own)."""
    if not by or len(table) < 2 or not set(by) <= set(table.text):
        return table
    if "net_mass_kg" not in table.number or "value" not in table.number:
        return table
    key = entity_keys(table, by)
    days = table.day.tolist()
    joined = np.array(
        [f"{k}{SEPARATOR}{d}" if k != "" else "" for k, d in zip(key, days, strict=True)],
        dtype=object,
    )
    _, group, size = np.unique(joined.astype(str), return_inverse=True, return_counts=True)
    shared = (size[group] > 1) & (joined != "")
    if not shared.any():
        return table
    number = dict(table.number)
    for column in ("net_mass_kg", "value"):
        amount = np.asarray(number[column], np.float64)
        total = np.zeros(len(size))
        np.add.at(total, group, amount)
        number[column] = np.where(shared & ~np.isnan(total[group]), total[group], amount)
    return Declarations(table.ids, table.day, dict(table.text), number, table.fraud, table.critical)


def prepare(table: Declarations, spec: FeatureSpec) -> Declarations:
    """``table`` derived, with every column ``spec`` reads that it lacks added as missing values
    (``""`` text, NaN numbers): rows of a profile without a column (KCS has no packages, the
    ``alianza`` profile no tax codes) are scored with that feature missing, as a model trained on
    a mix of profiles saw them in training (:func:`alianza.risk.store.declarations_between` leaves
    a column blank on the rows whose profile lacks it). Idempotent, like :func:`derive`."""
    table = derive(table)
    if spec.near_keys:  # recomputed: a changed mass or value changes its cells
        cells: dict[str, npt.NDArray[np.object_]] = {}
        for column, names in (("net_mass_kg", MASS_CELLS), ("value", VALUE_CELLS)):
            if column in table.number:
                cells |= _cells(np.asarray(table.number[column], np.float64), names)
        table = Declarations(
            table.ids, table.day, table.text | cells, table.number, table.fraud, table.critical
        )
    texts = {
        *spec.categorical,
        *(c for key in (*spec.history_keys, *spec.value_keys, *spec.near_keys) for c in key),
        *((*MASS_CELLS, *VALUE_CELLS) if spec.near_keys else ()),
    }
    numbers = {*spec.numeric, *spec.value_columns}
    lacking_text = sorted(texts - set(table.text))
    lacking_number = sorted(numbers - set(table.number))
    if not lacking_text and not lacking_number:
        return table
    n = len(table)
    text = dict(table.text) | {c: np.full(n, "", dtype=object) for c in lacking_text}
    number = dict(table.number) | {c: np.full(n, np.nan) for c in lacking_number}
    return Declarations(table.ids, table.day, text, number, table.fraud, table.critical)


@dataclass
class CategoryEncoder:
    """Category -> integer code, learned on training rows; unseen values become missing."""

    categories: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def fit(cls, table: Declarations, columns: Sequence[str]) -> CategoryEncoder:
        categories = {}
        for name in columns:
            values, counts = np.unique(table.column(name).astype(str), return_counts=True)
            order = np.lexsort((values, -counts))  # most frequent first, ties by value
            categories[name] = [str(values[i]) for i in order if values[i] != ""]
        return cls(categories)

    def encode(self, table: Declarations, name: str) -> Floats:
        lookup = {value: float(code) for code, value in enumerate(self.categories[name])}
        return np.array([lookup.get(v, math.nan) for v in table.column(name)], dtype=np.float64)


@dataclass(frozen=True)
class Matrix:
    values: npt.NDArray[np.float64]
    names: list[str]
    categorical: list[int]  # column indices holding category codes
    # column index -> a cluster label per row, for columns whose rows share values (an
    # entity's history in one week): the drift monitors count clusters, not rows, as the sample
    groups: dict[int, npt.NDArray[np.object_]] = field(default_factory=dict)


def build_matrix(
    rows: Declarations,
    known: Declarations,
    spec: FeatureSpec,
    encoder: CategoryEncoder,
    base: dict[str, Floats] | None = None,
) -> Matrix:
    """Features of ``rows``; history comes only from ``known`` labels dated before each row."""
    rows = prepare(consolidate(rows, spec.consolidate_by), spec)
    known = prepare(known, spec)
    names: list[str] = []
    columns: list[Floats] = []
    for name in spec.categorical:
        names.append(name)
        columns.append(encoder.encode(rows, name))
    for name in spec.numeric:
        names.append(name)
        columns.append(rows.number[name])
    history = history_features(
        rows,
        known,
        spec.history_keys,
        lag_days=spec.history_lag_days,
        value_keys=spec.value_keys,
        value_columns=spec.value_columns,
        base=base,
    )
    names.extend(history.names)
    columns.extend(history.values)
    if spec.near_keys:
        near = history_features(
            rows,
            known,
            [k for key in spec.near_keys for k in near_keys(key)],
            lag_days=spec.history_lag_days,
            base=base,
        )
        for name_group, column_group in near_history(near, spec.near_keys):
            names.extend(name_group)
            columns.extend(column_group)
    values = np.column_stack(columns) if columns else np.zeros((len(rows), 0))
    return Matrix(
        np.ascontiguousarray(values, dtype=np.float64), names, list(range(len(spec.categorical)))
    )


def near_history(
    expanded: HistoryColumns, keys: Sequence[tuple[str, ...]]
) -> list[tuple[list[str], list[Floats]]]:
    """Per near key, its three features from the history of its four exact keys (in
    :func:`near_keys` order, three columns each: log count, fraud rate, critical rate): those
    of the cell holding the most earlier labeled rows (ties: the first), named after
    :func:`near_name`."""
    out = []
    per_key = 4 * 3
    for number, key in enumerate(keys):
        # the key's 12 columns as rows: cell i's log count, fraud rate, critical rate at 3i..3i+2
        block = np.array(expanded.values[number * per_key : (number + 1) * per_key], np.float64)
        stem = near_name(key)
        counts = np.where(np.isnan(block[0::3]), -1.0, block[0::3])
        pick = np.argmax(counts, axis=0)  # per row, the first cell holding the most
        rows = np.arange(block.shape[1])
        chosen = [block[3 * pick + j, rows] for j in range(3)]
        names = [f"history_{stem}_{end}" for end in ("log_count", "fraud_rate", "critical_rate")]
        out.append((names, chosen))
    return out
