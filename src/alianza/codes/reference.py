"""Reference data: US–Mexico land ports of entry and CBP areas of responsibility.

``data/ports.csv`` starts from ``shared/data/geo/us_mexico_land_ports_with_mexican_twin_cities.csv``
(BTS codes and coordinates; twin cities compiled, not verified) and adds the CBP field office and
Border Patrol sector each port lies in (compiled for Alianza from CBP's published organisation;
verify before relying on it). ``data/areas.csv`` lists every CBP area of responsibility and AMO
branch found in CBP's public seizure files, with its component and region.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from alianza.codes import DATA, normalize_name


@dataclass(frozen=True)
class Port:
    code: str
    name: str
    us_state: str
    latitude: float
    longitude: float
    mexican_city: str
    mexican_state: str
    twin_source: str
    field_office: str
    border_patrol_sector: str


@dataclass(frozen=True)
class Area:
    name: str
    kind: str  # field_office | sector | amo_branch
    agency: str
    region: str
    note: str

    @property
    def ports(self) -> tuple[Port, ...]:
        """Land ports this field office or sector covers (none for AMO branches)."""
        key = normalize_name(self.name)
        return tuple(
            p
            for p in ports().values()
            if key in (normalize_name(p.field_office), normalize_name(p.border_patrol_sector))
        )


@cache
def ports() -> dict[str, Port]:
    with (DATA / "ports.csv").open(encoding="utf-8", newline="") as handle:
        return {
            row["port_code"]: Port(
                code=row["port_code"],
                name=row["port_name"],
                us_state=row["us_state"],
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
                mexican_city=row["mexican_city"],
                mexican_state=row["mexican_state"],
                twin_source=row["twin_source"],
                field_office=row["field_office"],
                border_patrol_sector=row["border_patrol_sector"],
            )
            for row in csv.DictReader(handle)
        }


@cache
def areas() -> dict[str, Area]:
    """Areas keyed by normalized name (CBP spells them in upper or mixed case)."""
    with (DATA / "areas.csv").open(encoding="utf-8", newline="") as handle:
        return {
            normalize_name(row["area"]): Area(
                row["area"], row["kind"], row["agency"], row["region"], row["note"]
            )
            for row in csv.DictReader(handle)
        }


def find_area(name: str) -> Area | None:
    return areas().get(normalize_name(name))


def find_port(code_or_name: str) -> Port | None:
    table = ports()
    if code_or_name in table:
        return table[code_or_name]
    key = normalize_name(code_or_name)
    return next((p for p in table.values() if normalize_name(p.name) == key), None)
