"""Border corridors: a US field office with its Border Patrol sectors, beside the Mexican
cities across from its ports — the unit in which paired ports are compared side by side."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache

from alianza.codes import mx_places
from alianza.codes.reference import areas, ports
from alianza.exchange.sdmx import inegi_location, location_code

# the prefixes of a city's name that its municipality does not have (Ciudad Juárez lies in
# the municipality of Juárez, Heroica Nogales in Nogales)
_CITY_PREFIXES = ("Ciudad ", "Heroica ")


def location_id(name: str) -> str:
    """The exchange's location code of an area, port or place name (as alianza.exchange.cube:
    accents folded, ``Juárez`` → ``JUAREZ``)."""
    return location_code(name)


def mexican_place_ids(city: str, state: str) -> set[str]:
    """The location codes a Mexican record of a twin city may carry: the city, and the
    municipality as Mexican sources write it, "State / Municipality"
    (``Chihuahua / Juárez`` → ``CHIHUAHUA_JUAREZ`` for Ciudad Juárez)."""
    names = {city}
    for prefix in _CITY_PREFIXES:
        if city.startswith(prefix):
            names.add(city.removeprefix(prefix))
    ids = {location_id(n) for n in names}
    if state:
        ids |= {location_id(f"{state} / {n}") for n in names}
    return ids


@dataclass(frozen=True)
class Corridor:
    key: str  # the field office's location id, e.g. SAN_DIEGO_FIELD_OFFICE
    us_name: str  # "San Diego"
    mexican_cities: tuple[str, ...]
    us_locations: frozenset[str]  # location ids on the US side (field office, sectors, ports)
    mx_locations: frozenset[str]  # Mexican side: ports, INEGI municipality codes, old ids

    main_twin: str = ""

    @property
    def label(self) -> str:
        return f"{self.us_name} – {self.main_twin or self.mexican_cities[0]}"


# The main Mexican city across from each field office (with its accents), as the strategy
# names the pairs: San Diego–Tijuana, Nogales–Nogales, El Paso–Ciudad Juárez, Laredo–Nuevo Laredo.
MAIN_TWIN = {
    "SAN DIEGO FIELD OFFICE": "Tijuana",
    "TUCSON FIELD OFFICE": "Nogales",
    "EL PASO FIELD OFFICE": "Ciudad Juárez",
    "LAREDO FIELD OFFICE": "Nuevo Laredo",
}


def _city(text: str) -> str:
    return text.split("(")[0].strip()


@cache
def corridors() -> tuple[Corridor, ...]:
    by_office: dict[str, list[object]] = defaultdict(list)
    sector_votes: dict[str, Counter[str]] = defaultdict(Counter)
    for port in ports().values():
        by_office[port.field_office].append(port)
        sector_votes[port.border_patrol_sector][port.field_office] += 1
    sector_office = {
        sector: max(sorted(votes), key=lambda office: votes[office])
        for sector, votes in sector_votes.items()
    }
    result = []
    for office in sorted(by_office):
        office_ports = [p for p in ports().values() if p.field_office == office]
        sectors = {s for s, o in sector_office.items() if o == office}
        cities = []
        mx_places_ids: set[str] = set()
        for port in office_ports:
            city = _city(port.mexican_city)
            if city and city not in cities:
                cities.append(city)
            if city:
                mx_places_ids |= mexican_place_ids(city, port.mexican_state)
        port_ids = {location_id(p.name) for p in office_ports}
        # the INEGI codes of the municipalities across (packages since 2026-12), beside the
        # folded names that packages received before carry (CHIHUAHUA_JUAREZ)
        mx_places_ids |= {
            inegi_location(m) for m, o in mx_places.corridor_offices().items() if o == office
        }
        result.append(
            Corridor(
                key=location_id(office),
                us_name=office.replace(" FIELD OFFICE", "").title(),
                mexican_cities=tuple(cities),
                us_locations=frozenset(
                    {location_id(office), *map(location_id, sectors), *port_ids}
                ),
                mx_locations=frozenset(port_ids | mx_places_ids),
                main_twin=MAIN_TWIN.get(office, ""),
            )
        )
    return tuple(result)


def corridor_of(location: str, country: str) -> Corridor | None:
    for corridor in corridors():
        side = corridor.us_locations if country == "US" else corridor.mx_locations
        if location in side:
            return corridor
    return None


# why a location of a by_location table is in no corridor (the code; labels in labels.py)
UNPAIRED_REASONS = ("air-and-marine", "not-reported", "state-only", "outside-corridors")


@cache
def _area_kinds() -> dict[str, str]:
    return {location_id(a.name): a.kind for a in areas().values()}


@cache
def _state_ids() -> frozenset[str]:
    return frozenset(
        location_id(name) for s in mx_places.states().values() for name in (s.name, s.short_name)
    )


def _is_inegi_state(location: str) -> bool:
    """An INEGI state code as packages carry it (MX_08: a state total, no municipality)."""
    code = location.removeprefix("MX_")
    return location.startswith("MX_") and len(code) == 2 and code.isdigit()


def unpaired_reason(location: str, country: str, names: dict[str, str]) -> str:
    """Why ``location`` is in no corridor: an Air and Marine Operations branch (its aircraft
    and vessels work across corridors: counted in the totals, in no corridor), a location the
    source does not report, a Mexican state total without a municipality, or a place that is
    not across from a port of the four corridors."""
    if location in ("_U", "_T"):
        return "not-reported"
    if country == "US" and _area_kinds().get(location) == "amo_branch":
        return "air-and-marine"
    if country == "MX" and (
        _is_inegi_state(location) or location_id(names.get(location, location)) in _state_ids()
    ):
        return "state-only"
    return "outside-corridors"
