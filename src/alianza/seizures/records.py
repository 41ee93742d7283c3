"""The canonical records an import produces, before storage (backend-neutral)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from alianza.codes.units import Quantity


@dataclass(frozen=True)
class DrugItemRecord:
    source_row: int
    drug_code: str
    drug_reported: str
    drug_other: str | None
    form: str
    quantity: Quantity
    package_count: int | None


@dataclass
class EventRecord:
    source_row: int
    source_system: str
    source_record_id: str
    reporting_country: str
    reporting_agency: str
    participating_agencies: tuple[str, ...]
    event_date: date
    date_precision: str  # day | month
    location_type: str
    port_code: str | None
    area: str | None
    admin_area: str | None
    latitude: float | None
    longitude: float | None
    direction: str
    transport_mode: str
    conveyance: str
    conveyance_other: str | None
    concealment: tuple[str, ...]
    concealment_other: str | None
    detection: tuple[str, ...]
    record_status: str
    releasability: str
    items: list[DrugItemRecord]


@dataclass(frozen=True)
class AggregateRecord:
    source_row: int
    source_system: str
    reporting_country: str
    reporting_agency: str
    component: str
    region: str | None
    land_filter: str | None
    area: str | None
    location_type: str
    period_month: date
    fiscal_year: int
    fiscal_year_to_date: bool
    drug_code: str
    drug_reported: str
    events: int | None  # None: the source does not report a count of events (not 0, not 1)
    quantity: Quantity
    flags: tuple[str, ...]
    record_status: str
    releasability: str
    state: str | None = None  # INEGI state code (two digits)
    municipality: str | None = None  # INEGI municipality code (five digits)


ObjectArray = np.ndarray[Any, np.dtype[np.object_]]


@dataclass(frozen=True)
class PreparedEvents:
    """One-item events the columnar path checked, as columns of values the way the database
    driver takes them: one column per value of ``alianza.seizures.load.EVENT_COLUMNS`` after
    the loader's own four (source row, source system and id, record key, content hash,
    fingerprint, …) and of ``ITEM_COLUMNS`` after the event id and position. Columns, not a
    tuple a row: the loader zips them into the driver's rows in C."""

    event_columns: tuple[ObjectArray, ...]
    item_columns: tuple[ObjectArray, ...]

    def __len__(self) -> int:
        return len(self.event_columns[0])

    def column(self, at: int) -> list[Any]:
        return list(self.event_columns[at].tolist())

    def take(self, positions: np.ndarray[Any, np.dtype[np.int64]]) -> PreparedEvents:
        """These rows, in this order. A run of consecutive rows (what the hand-over mostly
        asks for: the clean events between two others) is a slice of each column, a view
        without copying."""
        if len(positions) and positions[-1] - positions[0] + 1 == len(positions):
            first, last = int(positions[0]), int(positions[-1])
            if np.all(np.diff(positions) == 1):
                return PreparedEvents(
                    tuple(c[first : last + 1] for c in self.event_columns),
                    tuple(c[first : last + 1] for c in self.item_columns),
                )
        return PreparedEvents(
            tuple(c[positions] for c in self.event_columns),
            tuple(c[positions] for c in self.item_columns),
        )
