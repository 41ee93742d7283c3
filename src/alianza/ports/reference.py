"""The small reference tables the ports package keys its data by.

Ports are keyed by the CBP 4-digit port code and named as BTS writes them. The shared port
table (coordinates, official names) belongs to the seizures domain; :data:`PORTS` is only what
this package needs to check and label its rows, and joins that table on ``port_code``. The
Mexican counterpart city comes from the compiled (not verified) geo table.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from alianza.catalogue import Text, declare

DATA = Path(__file__).parent / "data"
US_MEXICO = "US-Mexico Border"

# A port or city the user named that the table does not hold.
NO_PORT_CODE = declare(
    "ports.no-port-code", "no US–Mexico port with code {code!r} (known: {known})"
)
NO_PORT_SERVES = declare("ports.no-port-serves", "no port serves {city!r} (cities: {cities})")


@dataclass(frozen=True)
class Port:
    code: str  # CBP 4-digit port code, as text
    bts_name: str  # as the current BTS release writes it
    state: str
    mexican_city: str  # counterpart across the border (compiled, not verified)
    mexican_state: str


@cache
def ports() -> dict[str, Port]:
    """The 28 US–Mexico land ports of the BTS file, by port code, west to east."""
    with (DATA / "ports.csv").open(encoding="utf-8", newline="") as handle:
        return {
            row["port_code"]: Port(
                row["port_code"],
                row["bts_name"],
                row["state"],
                row["mexican_city"],
                row["mexican_state"],
            )
            for row in csv.DictReader(handle)
        }


def port(code: str) -> Port:
    try:
        return ports()[code]
    except KeyError:
        known = ", ".join(f"{p.code} {p.bts_name}" for p in ports().values())
        raise UnknownPort(NO_PORT_CODE.said(code=code, known=known)) from None


def find_port(name_or_code: str) -> Port:
    """A port by code (``2504``) or BTS name, case-insensitive (``san ysidro``)."""
    if name_or_code in ports():
        return ports()[name_or_code]
    wanted = name_or_code.strip().casefold()
    for candidate in ports().values():
        if candidate.bts_name.casefold() == wanted:
            return candidate
    return port(name_or_code)


def city_key(mexican_city: str) -> str:
    """``Tijuana (Mesa de Otay)`` → ``tijuana``: the city, without the crossing detail."""
    return mexican_city.split(" (")[0].strip().casefold()


def ports_serving(city: str) -> list[Port]:
    """The US ports whose counterpart is in a Mexican city (``Tijuana``: San Ysidro, Cross
    Border Xpress, Otay Mesa), west to east."""
    found = [p for p in ports().values() if city_key(p.mexican_city) == city_key(city)]
    if not found:
        cities = sorted({p.mexican_city.split(" (")[0] for p in ports().values()})
        raise UnknownPort(NO_PORT_SERVES.said(city=city, cities=", ".join(cities)))
    return found


class UnknownPort(LookupError):
    """No port with that code or name."""


# Measures as the current BTS release writes them.
MEASURES = (
    "Bus Passengers",
    "Buses",
    "Pedestrians",
    "Personal Vehicle Passengers",
    "Personal Vehicles",
    "Rail Containers Empty",
    "Rail Containers Loaded",
    "Train Passengers",
    "Trains",
    "Truck Containers Empty",
    "Truck Containers Loaded",
    "Trucks",
)

# Renames between releases: older name -> current name (versioned: add, never rewrite).
MEASURE_ALIASES = {
    "Truck Containers Full": "Truck Containers Loaded",
    "Rail Containers Full": "Rail Containers Loaded",
}
PORT_NAME_ALIASES = {
    # (port code, older BTS name) -> current BTS name
    ("2404", "Tornillo-Fabens"): "Tornillo",
}
# Ports that older releases carry and the current release no longer has.
DISCONTINUED_PORTS = {"4105": "Toledo-Sandusky"}


# CBP's wait-time files number the days 0–6 without saying which is 0. Read as Monday (0) to
# Sunday (6): the ids of the day selector on CBP's wait-times site and the data's own week
# (lowest morning waits on day 5, Saturday) agree. Pages, documents and the CLI say so.
# (Their Spanish is in the message catalogue: keys ``ports.weekday.<n>``, ``ports.weekday-note``.)
WEEKDAYS: tuple[Text, ...] = tuple(
    declare(f"ports.weekday.{number}", name)
    for number, name in enumerate(
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    )
)
WEEKDAY_NOTE = declare(
    "ports.weekday-note",
    "CBP numbers the days 0–6 without documenting which is 0; read here as Monday (0) to"
    " Sunday (6): the ids of the day selector on CBP's wait-times site and the data's"
    " own week (lowest morning waits on day 5, Saturday) agree.",
)


class Mode(StrEnum):
    """Modes of the 10.7 analysis, each one BTS measure (or a sum of two)."""

    TRUCKS = "trucks"
    RAIL_CONTAINERS = "rail-containers"
    PERSONAL_VEHICLES = "personal-vehicles"
    PEDESTRIANS = "pedestrians"
    BUSES = "buses"


MODE_MEASURES: dict[Mode, tuple[str, ...]] = {
    Mode.TRUCKS: ("Trucks",),
    Mode.RAIL_CONTAINERS: ("Rail Containers Loaded", "Rail Containers Empty"),
    Mode.PERSONAL_VEHICLES: ("Personal Vehicles",),
    Mode.PEDESTRIANS: ("Pedestrians",),
    Mode.BUSES: ("Buses",),
}
MODE_LABELS: dict[Mode, Text] = {
    mode: declare(f"ports.mode.{mode.value}", english)
    for mode, english in {
        Mode.TRUCKS: "Trucks",
        Mode.RAIL_CONTAINERS: "Rail containers",
        Mode.PERSONAL_VEHICLES: "Personal vehicles",
        Mode.PEDESTRIANS: "Pedestrians",
        Mode.BUSES: "Buses",
    }.items()
}


@dataclass(frozen=True)
class Crossing:
    """A CBP Border Wait Times crossing (6-digit number) and the BTS port it belongs to."""

    number: str
    name: str
    port_code: str


# Explicit: a join on the first 4 digits would send Cross Border Express (250409) to 2504.
CROSSINGS = {
    "250401": Crossing("250401", "San Ysidro", "2504"),
    "250407": Crossing("250407", "PedWest", "2504"),
    "250409": Crossing("250409", "Cross Border Express", "2582"),
}
