"""Deterministic hashes of canonical JSON over declared fields (sqlite-utils ``hash_record``).

- ``record_key``: which record this is (source system + its id, or an aggregate's dimensions);
  a re-import with the same key is the same record, maybe revised.
- ``content_hash``: everything the record says; same key and same content means unchanged.
- ``fingerprint`` (events only): normalized fields without source identifiers, so the same
  seizure reported by two sources has the same fingerprint.
- ``raw_key``: the key fields as written in the file, before code lookup, so a quarantined row
  and its corrected version can be matched even when the key itself was what was wrong.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from alianza.seizures.records import AggregateRecord, DrugItemRecord, EventRecord

AGGREGATE_KEY_FIELDS = (
    "source_system",
    "period",
    "fiscal_year",
    "fiscal_month",
    "component",
    "region",
    "land_filter",
    "area",
    "drug",
)
EVENT_KEY_FIELDS = ("source_system", "source_record_id")


# What json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False) uses,
# built once (json.dumps builds an encoder per call when given options).
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(value: Any) -> str:
    return hashlib.sha256(_ENCODER.encode(value).encode("utf-8")).hexdigest()


def raw_key(values: Mapping[str, str], fields: Sequence[str]) -> str:
    return digest([values.get(name, "").strip().casefold() for name in fields])


def aggregate_key(record: AggregateRecord) -> str:
    return digest(
        [
            record.source_system,
            record.period_month.isoformat(),
            record.reporting_agency,
            record.region,
            record.land_filter,
            (record.area or "").casefold(),
            record.drug_code,
        ]
    )


def aggregate_content(record: AggregateRecord) -> str:
    return digest(
        [record.events, str(record.quantity.reported), record.quantity.unit, record.drug_reported]
    )


def event_key(record: EventRecord) -> str:
    return digest([record.source_system, record.source_record_id])


def _item_body(item: DrugItemRecord) -> list[Any]:
    q = item.quantity
    return [item.drug_code, item.drug_other, item.form, str(q.reported), q.unit, item.package_count]


def event_content(record: EventRecord) -> str:
    body = {
        name: getattr(record, name)
        for name in (
            "source_system",
            "source_record_id",
            "reporting_country",
            "reporting_agency",
            "participating_agencies",
            "date_precision",
            "location_type",
            "port_code",
            "area",
            "admin_area",
            "latitude",
            "longitude",
            "direction",
            "transport_mode",
            "conveyance",
            "conveyance_other",
            "concealment",
            "concealment_other",
            "detection",
            "record_status",
            "releasability",
        )
    }
    body["event_date"] = record.event_date.isoformat()
    body["items"] = [_item_body(i) for i in record.items]
    return digest(body)


def event_fingerprint(record: EventRecord) -> str:
    """Normalized fields only: date, country, place, and each drug with kg to 3 decimals."""
    items = sorted(
        (
            [
                i.drug_code,
                round(i.quantity.net_mass_kg, 3) if i.quantity.net_mass_kg is not None else None,
                i.quantity.unit_count,
            ]
            for i in record.items
        ),
        # one drug can come twice (powder in kg, pills counted): None sorts before numbers
        key=lambda item: tuple((value is not None, value or 0) for value in item[1:]),
    )
    items.sort(key=lambda item: str(item[0]))
    return digest(
        [
            record.reporting_country,
            record.event_date.isoformat(),
            record.location_type,
            record.port_code,
            (record.area or "").casefold(),
            items,
        ]
    )
