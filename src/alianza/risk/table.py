"""Declarations held column-wise: the shape every stage of the risk pipeline reads.

A row is one declared item (a shipment line). Text columns hold strings with ``""`` for missing;
number columns hold floats with NaN for missing; labels hold 1, 0, or -1 for "not inspected"
(unknown is not zero). Days are integers: days since 1970-01-01.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt

from alianza.risk import messages as words

UNKNOWN = -1
EPOCH = date(1970, 1, 1)

Text = npt.NDArray[np.object_]
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Labels = npt.NDArray[np.int8]


def day_number(value: date) -> int:
    """Days since 1970-01-01."""
    return (value - EPOCH).days


def day_date(number: int) -> date:
    return date.fromordinal(EPOCH.toordinal() + int(number))


@dataclass(frozen=True)
class Declarations:
    """Rows of declarations; every array has one entry per row."""

    ids: Text
    day: Ints
    text: dict[str, Text] = field(default_factory=dict)
    number: dict[str, Floats] = field(default_factory=dict)
    fraud: Labels = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    critical: Labels = field(default_factory=lambda: np.zeros(0, dtype=np.int8))

    def __post_init__(self) -> None:
        n = len(self.ids)
        lengths = {"day": len(self.day), "fraud": len(self.fraud), "critical": len(self.critical)}
        lengths.update({f"text:{k}": len(v) for k, v in self.text.items()})
        lengths.update({f"number:{k}": len(v) for k, v in self.number.items()})
        wrong = {k: v for k, v in lengths.items() if v != n}
        if wrong:
            raise ValueError(words.UNEQUAL_COLUMNS.said(rows=n, columns=wrong))

    def __len__(self) -> int:
        return len(self.ids)

    def column(self, name: str) -> Text:
        """A text column, with a clear error when the profile did not provide it."""
        try:
            return self.text[name]
        except KeyError:
            raise KeyError(words.NO_TEXT_COLUMN.said(name=name)) from None

    def take(self, rows: npt.ArrayLike) -> Declarations:
        """The given rows (indices or a boolean mask), in that order."""
        index = np.asarray(rows)
        return Declarations(
            ids=self.ids[index],
            day=self.day[index],
            text={k: v[index] for k, v in self.text.items()},
            number={k: v[index] for k, v in self.number.items()},
            fraud=self.fraud[index],
            critical=self.critical[index],
        )

    def with_labels(self, fraud: Labels, critical: Labels) -> Declarations:
        return Declarations(self.ids, self.day, self.text, self.number, fraud, critical)

    @property
    def labeled(self) -> npt.NDArray[np.bool_]:
        return np.asarray(self.fraud != UNKNOWN)


def concat(parts: Sequence[Declarations]) -> Declarations:
    """Rows of several tables one after the other; they must have the same columns."""
    if not parts:
        raise ValueError(words.NOTHING_TO_CONCAT.said())
    first = parts[0]
    for part in parts[1:]:
        if part.text.keys() != first.text.keys() or part.number.keys() != first.number.keys():
            raise ValueError(words.CONCAT_COLUMNS.said())
    return Declarations(
        ids=np.concatenate([p.ids for p in parts]),
        day=np.concatenate([p.day for p in parts]),
        text={k: np.concatenate([p.text[k] for p in parts]) for k in first.text},
        number={k: np.concatenate([p.number[k] for p in parts]) for k in first.number},
        fraud=np.concatenate([p.fraud for p in parts]),
        critical=np.concatenate([p.critical for p in parts]),
    )
