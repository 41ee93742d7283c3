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

from alianza.risk.history import history_features
from alianza.risk.table import Declarations, Floats

MASS_BAND = 1.25


@dataclass(frozen=True)
class FeatureSpec:
    categorical: tuple[str, ...]
    numeric: tuple[str, ...]
    history_keys: tuple[tuple[str, ...], ...]
    history_lag_days: int = 0
    value_keys: tuple[tuple[str, ...], ...] = ()
    value_columns: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "categorical": list(self.categorical),
            "numeric": list(self.numeric),
            "history_keys": [list(k) for k in self.history_keys],
            "history_lag_days": self.history_lag_days,
            "value_keys": [list(k) for k in self.value_keys],
            "value_columns": list(self.value_columns),
        }

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


def prepare(table: Declarations, spec: FeatureSpec) -> Declarations:
    """``table`` derived, with every column ``spec`` reads that it lacks added as missing values
    (``""`` text, NaN numbers): rows of a profile without a column (KCS has no packages, the
    ``alianza`` profile no tax codes) are scored with that feature missing, as a model trained on
    a mix of profiles saw them in training (:func:`alianza.risk.store.declarations_between` leaves
    a column blank on the rows whose profile lacks it). Idempotent, like :func:`derive`."""
    table = derive(table)
    texts = {*spec.categorical, *(c for key in (*spec.history_keys, *spec.value_keys) for c in key)}
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
    rows = prepare(rows, spec)
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
    values = np.column_stack(columns) if columns else np.zeros((len(rows), 0))
    return Matrix(
        np.ascontiguousarray(values, dtype=np.float64), names, list(range(len(spec.categorical)))
    )
