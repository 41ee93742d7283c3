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


IntArray = np.ndarray[Any, np.dtype[np.int64]]


@dataclass(frozen=True)
class PreparedEvents:
    """Events the columnar path checked, as columns of values the way the database driver
    takes them: one column per value of ``alianza.seizures.load.EVENT_COLUMNS`` after the
    loader's own five (source row, source system and id, record key, content hash,
    fingerprint, …), one value an event, and of ``ITEM_COLUMNS`` after the event id and
    position and before the event's port and day (the loader copies those), one value an
    item; event ``n``'s items are ``offsets[n]:offsets[n + 1]``, in file order. Columns, not a
    tuple a row: the loader zips them into the driver's rows in C."""

    event_columns: tuple[ObjectArray, ...]
    item_columns: tuple[ObjectArray, ...]
    offsets: IntArray  # one more than the events: where each event's items start

    def __len__(self) -> int:
        return len(self.event_columns[0])

    @property
    def items(self) -> int:
        return int(self.offsets[-1] - self.offsets[0])

    @property
    def sizes(self) -> IntArray:
        """The number of items of each event."""
        return np.diff(self.offsets)

    def column(self, at: int) -> list[Any]:
        return list(self.event_columns[at].tolist())

    def item_column(self, at: int) -> list[Any]:
        return list(self.item_columns[at].tolist())

    def take(self, positions: IntArray) -> PreparedEvents:
        """These events, in this order. A run of consecutive events is a slice of each
        column, a view without copying."""
        if len(positions) and positions[-1] - positions[0] + 1 == len(positions):
            first, last = int(positions[0]), int(positions[-1])
            if np.all(np.diff(positions) == 1):
                low, high = int(self.offsets[first]), int(self.offsets[last + 1])
                return PreparedEvents(
                    tuple(c[first : last + 1] for c in self.event_columns),
                    tuple(c[low:high] for c in self.item_columns),
                    self.offsets[first : last + 2] - low,
                )
        starts, sizes = self.offsets[positions], self.sizes[positions]
        offsets = np.zeros(len(positions) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        items = np.arange(offsets[-1], dtype=np.int64) + np.repeat(starts - offsets[:-1], sizes)
        return PreparedEvents(
            tuple(c[positions] for c in self.event_columns),
            tuple(c[items] for c in self.item_columns),
            offsets,
        )
