"""Quantities: what was reported (value + unit) beside kilograms and the conversion used.

Factors are versioned data (``data/conversion.csv``, reference §7). Counted units (tablets,
ampoules, doses, plants) have no agreed mass: they stay a count and get no kilograms.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from alianza.catalogue import declare
from alianza.codes import DATA

LB_TO_KG = Decimal("0.45359237")  # exact, by definition of the international pound


@dataclass(frozen=True)
class Conversion:
    unit: str
    method: str | None  # e.g. "LB-KG-1"; None for counted units
    factor_to_kg: Decimal | None
    is_estimated: bool
    note: str

    @property
    def is_count(self) -> bool:
        return self.factor_to_kg is None


@dataclass(frozen=True)
class Quantity:
    """A normalized quantity: reported value and unit, and what Alianza derived from them."""

    reported: Decimal
    unit: str
    net_mass_kg: float | None
    unit_count: int | None
    method: str | None
    factor: Decimal | None
    is_estimated: bool


@cache
def conversions() -> dict[str, Conversion]:
    table: dict[str, Conversion] = {}
    with (DATA / "conversion.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            factor = Decimal(row["factor_to_kg"]) if row["factor_to_kg"] else None
            table[row["unit"]] = Conversion(
                unit=row["unit"],
                method=row["method"] or None,
                factor_to_kg=factor,
                is_estimated=row["is_estimated"] == "true",
                note=row["note"],
            )
    return table


class NoConversion(LookupError):
    """A unit code without a conversion entry (a defect of the code lists)."""


NO_CONVERSION = declare("codes.unit-no-conversion", "no conversion for unit {unit!r}")


def normalize_quantity(value: Decimal, unit: str) -> Quantity:
    """Kilograms (or a count) for ``value`` in ``unit``, keeping the factor and method used."""
    conversion = conversions().get(unit)
    if conversion is None:
        raise NoConversion(NO_CONVERSION.said(unit=unit))
    if conversion.factor_to_kg is None:
        count = int(value) if value == value.to_integral_value() else None
        return Quantity(value, unit, None, count, None, None, False)
    kg = float(value * conversion.factor_to_kg)
    return Quantity(
        value, unit, kg, None, conversion.method, conversion.factor_to_kg, conversion.is_estimated
    )
