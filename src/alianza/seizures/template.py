"""The canonical import template (profile ``canonical``): header, and optional example rows."""

from __future__ import annotations

import io

from alianza.cells import SafeDictWriter
from alianza.seizures.profile import load_profile

# Two events: one with two drug items (two consecutive rows), one with a pill count.
EXAMPLE_ROWS = (
    {
        "source_system": "EXAMPLE-SEACATS",
        "source_record_id": "2025-0001",
        "reporting_country": "US",
        "reporting_agency": "CBP-OFO",
        "participating_agencies": "ICE-HSI",
        "event_date": "2025-03-14",
        "location_type": "POE_LAND_VEHICLE",
        "port_code": "2504",
        "area_of_responsibility": "SAN DIEGO FIELD OFFICE",
        "admin_area": "CA",
        "direction": "NORTHBOUND",
        "transport_mode": "ROAD",
        "conveyance": "POV",
        "concealment": "SPARE_TIRE;BUILT_COMPARTMENT",
        "detection": "CANINE;SECONDARY_INSPECTION",
        "record_status": "VALIDATED",
        "releasability": "BILATERAL",
        "drug": "METHAMPHETAMINE",
        "form": "CRYSTAL",
        "quantity": "45.5",
        "unit": "LB",
        "package_count": "20",
    },
    {
        "source_system": "EXAMPLE-SEACATS",
        "source_record_id": "2025-0001",
        "reporting_country": "US",
        "reporting_agency": "CBP-OFO",
        "participating_agencies": "ICE-HSI",
        "event_date": "2025-03-14",
        "location_type": "POE_LAND_VEHICLE",
        "port_code": "2504",
        "area_of_responsibility": "SAN DIEGO FIELD OFFICE",
        "admin_area": "CA",
        "direction": "NORTHBOUND",
        "transport_mode": "ROAD",
        "conveyance": "POV",
        "concealment": "SPARE_TIRE;BUILT_COMPARTMENT",
        "detection": "CANINE;SECONDARY_INSPECTION",
        "record_status": "VALIDATED",
        "releasability": "BILATERAL",
        "drug": "FENTANYL",
        "form": "POWDER",
        "quantity": "2.1",
        "unit": "KG",
    },
    {
        "source_system": "EXAMPLE-SEACATS",
        "source_record_id": "2025-0002",
        "reporting_country": "US",
        "reporting_agency": "CBP-OFO",
        "event_date": "2025-03",
        "location_type": "POE_LAND_PEDESTRIAN",
        "port_code": "2402",
        "direction": "NORTHBOUND",
        "transport_mode": "ON_FOOT",
        "conveyance": "PEDESTRIAN",
        "concealment": "ON_BODY",
        "detection": "PRIMARY_REFERRAL",
        "record_status": "SUBMITTED",
        "releasability": "NATIONAL_ONLY",
        "drug": "FENTANYL",
        "form": "TABLET_PILL",
        "quantity": "1200",
        "unit": "TABLET",
    },
)


def template_columns() -> list[str]:
    return list(load_profile("canonical").columns)


def template_csv(*, example: bool = False) -> str:
    buffer = io.StringIO()
    writer = SafeDictWriter(buffer, fieldnames=template_columns(), lineterminator="\n")
    writer.writeheader()
    if example:
        writer.writerows(EXAMPLE_ROWS)
    return buffer.getvalue()
