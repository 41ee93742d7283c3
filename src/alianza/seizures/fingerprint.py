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
import sys
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
            # places only where a source has them, so keys of other sources stay as they were
            *(p for p in (record.state, record.municipality) if p),
        ]
    )


def aggregate_content(record: AggregateRecord) -> str:
    return digest(
        [record.events, str(record.quantity.reported), record.quantity.unit, record.drug_reported]
    )


# Event hashes are the digest of canonical JSON (``digest``) too, but written out field by
# field: the JSON text of each repeated value (codes, names, dates) is made once and kept, and
# the document is joined from those pieces. This gives the same text as ``digest`` (tests
# compare both over generated records) at a fraction of the cost, which matters at a million
# events an import.
text_piece = json.encoder.encode_basestring  # what ensure_ascii=False uses
_PIECES: dict[Any, str] = {}
_PIECES_MAX = 100_000
_FINITE = (-sys.float_info.max, sys.float_info.max)


def piece(value: Any) -> str:
    """The JSON text of one value, as ``_ENCODER`` writes it (kept for repeated values)."""
    found = _PIECES.get(value) if type(value) is str or value is None else None
    if found is not None:
        return found
    if value is None:
        text = "null"
    elif type(value) is str:
        text = text_piece(value)
        if len(_PIECES) >= _PIECES_MAX:
            _PIECES.clear()
        _PIECES[value] = text
    elif type(value) is tuple:
        text = "[" + ",".join(piece(v) for v in value) + "]"
    elif type(value) is int or (type(value) is float and _FINITE[0] <= value <= _FINITE[1]):
        text = repr(value)  # what the encoder writes for an int or a finite float
    else:
        text = _ENCODER.encode(value)
    return text


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def event_key(record: EventRecord) -> str:
    return sha256_hex(f"[{piece(record.source_system)},{text_piece(record.source_record_id)}]")


def _itemtext_piece(item: DrugItemRecord) -> str:
    q = item.quantity
    return (
        f"[{piece(item.drug_code)},{piece(item.drug_other)},{piece(item.form)},"
        f"{text_piece(str(q.reported))},{piece(q.unit)},{piece(item.package_count)}]"
    )


def event_content(record: EventRecord) -> str:
    """Everything the record says (sorted keys, as ``digest`` of the same dict would)."""
    p = piece
    r = record
    items = ",".join(_itemtext_piece(i) for i in r.items)
    return sha256_hex(
        f'{{"admin_area":{p(r.admin_area)},"area":{p(r.area)},'
        f'"concealment":{p(r.concealment)},"concealment_other":{p(r.concealment_other)},'
        f'"conveyance":{p(r.conveyance)},"conveyance_other":{p(r.conveyance_other)},'
        f'"date_precision":{p(r.date_precision)},"detection":{p(r.detection)},'
        f'"direction":{p(r.direction)},"event_date":"{r.event_date.isoformat()}",'
        f'"items":[{items}],"latitude":{p(r.latitude)},"location_type":{p(r.location_type)},'
        f'"longitude":{p(r.longitude)},'
        f'"participating_agencies":{p(r.participating_agencies)},'
        f'"port_code":{p(r.port_code)},"record_status":{p(r.record_status)},'
        f'"releasability":{p(r.releasability)},"reporting_agency":{p(r.reporting_agency)},'
        f'"reporting_country":{p(r.reporting_country)},'
        f'"source_record_id":{text_piece(r.source_record_id)},"source_system":{p(r.source_system)},'
        f'"transport_mode":{p(r.transport_mode)}}}'
    )


def _fingerprint_items(record: EventRecord) -> list[list[Any]]:
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
    return items


def event_fingerprint(record: EventRecord) -> str:
    """Normalized fields only: date, country, place, and each drug with kg to 3 decimals."""
    p = piece
    items = ",".join(f"[{p(d)},{p(kg)},{p(n)}]" for d, kg, n in _fingerprint_items(record))
    return sha256_hex(
        f'[{p(record.reporting_country)},"{record.event_date.isoformat()}",'
        f"{p(record.location_type)},{p(record.port_code)},{p((record.area or '').casefold())},"
        f"[{items}]]"
    )
