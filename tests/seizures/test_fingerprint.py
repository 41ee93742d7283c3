"""Event hashes written out piece by piece equal the digest of canonical JSON (``json.dumps``
with sorted keys), which is what records stored before were hashed with."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from alianza.codes.units import Quantity
from alianza.seizures.fingerprint import event_content, event_fingerprint, event_key
from alianza.seizures.records import DrugItemRecord, EventRecord


def reference(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


texts = st.text(max_size=12)  # any code points: quotes, backslashes, controls, accents
maybe = st.none() | texts
codes = st.sampled_from(["KG", "LB", "G", "PLANT", "COCAINE_HCL", "Ñ", 'a"b', "\\", "\x00"])
floats = st.none() | st.floats(allow_nan=False, allow_infinity=False)
quantities = st.builds(
    Quantity,
    reported=st.decimals(allow_nan=False, allow_infinity=False, places=3, max_value=10**9),
    unit=codes,
    net_mass_kg=floats,
    unit_count=st.none() | st.integers(0, 10**6),
    method=st.none() | codes,
    factor=st.none() | st.just(Decimal("0.45359237")),
    is_estimated=st.booleans(),
)
items = st.builds(
    DrugItemRecord,
    source_row=st.integers(2, 10**6),
    drug_code=codes,
    drug_reported=texts,
    drug_other=maybe,
    form=codes,
    quantity=quantities,
    package_count=st.none() | st.integers(0, 10**6),
)
events = st.builds(
    EventRecord,
    source_row=st.integers(2, 10**6),
    source_system=texts,
    source_record_id=texts,
    reporting_country=codes,
    reporting_agency=codes,
    participating_agencies=st.tuples() | st.tuples(codes) | st.tuples(codes, codes),
    event_date=st.dates(date(1990, 1, 1), date(2030, 12, 31)),
    date_precision=st.sampled_from(["day", "month"]),
    location_type=codes,
    port_code=maybe,
    area=maybe,
    admin_area=maybe,
    latitude=floats,
    longitude=floats,
    direction=codes,
    transport_mode=codes,
    conveyance=codes,
    conveyance_other=maybe,
    concealment=st.tuples(codes) | st.tuples(codes, codes),
    concealment_other=maybe,
    detection=st.tuples(codes),
    record_status=codes,
    releasability=codes,
    items=st.lists(items, min_size=1, max_size=3),
)

CONTENT_FIELDS = (
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


@settings(max_examples=300, deadline=None)
@given(events)
def test_event_hashes_equal_digest_of_canonical_json(record: EventRecord) -> None:
    assert event_key(record) == reference([record.source_system, record.source_record_id])
    body: dict[str, Any] = {name: getattr(record, name) for name in CONTENT_FIELDS}
    body["event_date"] = record.event_date.isoformat()
    body["items"] = [
        [
            i.drug_code,
            i.drug_other,
            i.form,
            str(i.quantity.reported),
            i.quantity.unit,
            i.package_count,
        ]
        for i in record.items
    ]
    assert event_content(record) == reference(body)
    drugs = [
        [
            i.drug_code,
            None if i.quantity.net_mass_kg is None else round(i.quantity.net_mass_kg, 3),
            i.quantity.unit_count,
        ]
        for i in record.items
    ]
    drugs.sort(key=lambda d: tuple((v is not None, v or 0) for v in d[1:]))
    drugs.sort(key=lambda d: str(d[0]))
    expected = [
        record.reporting_country,
        record.event_date.isoformat(),
        record.location_type,
        record.port_code,
        (record.area or "").casefold(),
        drugs,
    ]
    assert event_fingerprint(record) == reference(expected)
