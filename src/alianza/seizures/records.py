"""The canonical records an import produces, before storage (backend-neutral)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

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
    events: int
    quantity: Quantity
    flags: tuple[str, ...]
    record_status: str
    releasability: str


# A one-item event the columnar path checked and wrote out as the driver takes it: (record
# key, content hash, fingerprint, source system, event row, item row); the rows lack the values
# the loader adds (see ``alianza.seizures.load.EVENT_COLUMNS`` and ``ITEM_COLUMNS``) and start
# with the source row number. A plain tuple: made a hundred thousand times a second.
PreparedEvent = tuple[str, str, str, str, tuple[Any, ...], tuple[Any, ...]]
