"""The tables of a quarter's package, computed from this node's seizure records.

Only records whose releasability lets them leave the node are counted
(:data:`alianza.releasability.MAY_LEAVE`: ``BILATERAL`` and ``PUBLIC_AGGREGATE``); the
aggregation returns counts and kilograms, never nominal fields.
Dimensions a source does not capture (``NOT_REPORTED``) become the SDMX code ``_U``, and a cell
without any mass is ``OBS_STATUS=M`` (not reported), never zero. Counted units without a mass
(tablets, doses, plants) travel as their own measure ``UNITS`` with their ``UNIT_MEASURE``, and a
kilogram total that leaves such records out is ``OBS_STATUS=D`` (definition differs), never
``A``. TIME_PERIOD is the calendar quarter, also in a fiscal package (FY2026-Q1 → 2025-Q4).

LOCATION: a Mexican place is its INEGI code (``MX_08037``: the municipality of Juárez,
Chihuahua; ``MX_08``: the state, when the record names no municipality), named in the DSD;
a CBP area or a port keeps its name-based ID (``EL_PASO_FIELD_OFFICE``). Packages built before
used folded names for Mexican places (``CHIHUAHUA_JUAREZ``); they are still read and paired.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from functools import cache
from typing import Any

from sqlalchemy.orm import Session

from alianza.codes import code_list, mx_places
from alianza.exchange.periods import time_period
from alianza.exchange.sdmx import (
    COUNTED_UNITS,
    SPECIAL_CODES,
    Observation,
    inegi_location,
    location_code,
)
from alianza.releasability import MAY_LEAVE as SHARED_RELEASABILITY
from alianza.seizures.aggregate import Cell, aggregate
from alianza.seizures.overview import data_sources

# "Seizures along the common border": the US Southwest Border and Mexico's northern border.
COMMON_BORDER = {"SOUTHWEST_BORDER", "MX_NORTHERN_BORDER"}
NOT_REPORTED = "NOT_REPORTED"
# kilograms to the milligram: a value with at most 15 significant digits reads back to the
# same double in every SDMX reader (pysdmx drops the 17th digit of 0.005125593780999999)
KG_DECIMALS = 6
# table → the seizure dimension broken down beside the drug group (None: totals)
BREAKDOWNS: dict[str, str | None] = {
    "totals": None,
    "by_location": "location",
    "by_concealment": "concealment",
    "transport_methods": "transport_mode",
}
SDMX_DIMENSION = {"location": "location", "concealment": "concealment",
                  "transport_mode": "transport_mode"}  # fmt: skip


def _code(value: str) -> str:
    """An SDMX code for a seizure dimension value: ``_U`` for not reported; area, port and
    place names (``SAN DIEGO FIELD OFFICE``, ``Chihuahua / Juárez``) become IDs with their
    accents folded (``SAN_DIEGO_FIELD_OFFICE``, ``CHIHUAHUA_JUAREZ``): see
    :func:`alianza.exchange.sdmx.location_code`."""
    return location_code(value)


@cache
def _named_locations() -> frozenset[str]:
    """The IDs of CBP areas and ports (name-based), which a record's location keeps."""
    from alianza.codes import reference

    names = [a.name for a in reference.areas().values()] + [
        p.name for p in reference.ports().values()
    ]
    return frozenset(_code(name) for name in names)


def place_location(location: str, municipality: str, state: str) -> tuple[str, str]:
    """The LOCATION code of a record's place and its name: an area or port keeps its ID; a
    Mexican place is its INEGI code (municipality, else state); else the folded name."""
    code = _code(location)
    if code not in _named_locations():
        if (place := mx_places.municipalities().get(municipality)) is not None:
            return inegi_location(place.code), place.label()
        if (found := mx_places.states().get(state)) is not None:
            return inegi_location(found.code), found.name
    return code, location


def _by_place(
    cells: Mapping[tuple[str, ...], Cell], names: dict[str, str] | None = None
) -> dict[tuple[str, ...], Cell]:
    """Cells keyed ``(…, location, municipality, state)`` keyed ``(…, LOCATION code)``, the
    cells of one code added together; ``names`` gets each place code's name."""
    merged: dict[tuple[str, ...], Cell] = {}
    for key, cell in sorted(cells.items()):
        code, name = place_location(*key[-3:])
        if names is not None and code != "_U":
            names.setdefault(code, name)
        into = merged.setdefault((*key[:-3], code), Cell())
        into.add_sums(cell.seizures, cell.amount_kg, cell.records_without_kg, cell.records,
                      cell.count_not_reported)  # fmt: skip
        for unit, count in cell.units.items():
            into.add_units(unit, count)
    return merged


def cell_observations(
    common: tuple[str, str, str, str, str], period: str, cell: Cell
) -> list[Observation]:
    """A cell's observations: events (``A``; ``D`` when records whose source reports no count,
    such as MUCD's municipality-month totals, are left out; ``M`` when no record reports one),
    kilograms (``A``; ``D`` when records without a mass are left out; ``M`` when none has a
    mass) and one ``UNITS`` observation per counted unit."""
    if not cell.count_not_reported:
        rows = [Observation(*common, "SEIZURES", period, float(cell.seizures))]
    elif cell.seizures:  # some sources count events, others (MUCD) publish totals only
        rows = [Observation(*common, "SEIZURES", period, float(cell.seizures), "D")]
    else:
        rows = [Observation(*common, "SEIZURES", period, None, "M")]
    if cell.amount_kg is None:
        rows.append(Observation(*common, "AMOUNT_KG", period, None, "M"))
    else:
        status = "D" if cell.records_without_kg else "A"
        kg = round(cell.amount_kg, KG_DECIMALS)
        rows.append(Observation(*common, "AMOUNT_KG", period, kg, status))
    for unit, count in sorted(cell.units.items()):
        if unit in COUNTED_UNITS:
            rows.append(Observation(*common, "UNITS", period, float(count), "A", unit))
    return rows


def quarter_filter(quarter: str, period_kind: str) -> dict[str, set[str]]:
    if period_kind == "fiscal":
        return {"fiscal_quarter": {f"FY{quarter}"}}
    return {"quarter": {quarter}}


def quarter_tables(
    session: Session,
    *,
    country: str,
    quarter: str,
    period_kind: str = "calendar",
    regions: set[str] | None = COMMON_BORDER,
) -> tuple[dict[str, list[Observation]], dict[str, Any]]:
    """The four tables of 10.9 for one quarter, and the coverage notes. ``regions``: only
    records of these regions (default: the common border); None for all."""
    where = {"country": {country}, **quarter_filter(quarter, period_kind)}
    if regions is not None:
        where["region"] = set(regions)
    tables: dict[str, list[Observation]] = {}
    unknown_share: dict[str, dict[str, int]] = {}
    period = time_period(quarter, period_kind)
    location_names: dict[str, str] = {}
    without_kg = 0
    for table, breakdown in BREAKDOWNS.items():
        by = ["drug_group"] + ([breakdown] if breakdown else [])
        if breakdown == "location":
            by += ["municipality", "state"]
        result = aggregate(session, by, where, releasability=set(SHARED_RELEASABILITY))
        cells = result.cells
        if breakdown == "location":
            cells = _by_place(cells, location_names)
        observations = []
        counter: Counter[str] = Counter()
        for key, cell in sorted(cells.items()):
            drug = key[0]
            dims = {"location": "_T", "concealment": "_T", "transport_mode": "_T"}
            if breakdown:
                dims[breakdown] = key[1] if breakdown == "location" else _code(key[1])
                counter["_U" if dims[breakdown] == "_U" else "known"] += cell.seizures
            else:
                without_kg += cell.records_without_kg
            common = (country, drug, dims["location"], dims["concealment"],
                      dims["transport_mode"])  # fmt: skip
            observations += cell_observations(common, period, cell)
        tables[table] = observations
        if breakdown:
            unknown_share[table] = dict(counter)
    sources = aggregate(session, ["source"], where, releasability=set(SHARED_RELEASABILITY))
    coverage = {
        "country": country,
        "quarter": quarter,
        "period_kind": period_kind,
        "time_period": period,
        "releasability": sorted(SHARED_RELEASABILITY),
        "regions": sorted(regions) if regions is not None else "all",
        "counting": "seizures are events as each source counts them; CBP's published counts "
        "are summed as published (an event that seized two drugs may count under both)",
        "not_reported": {
            table: {
                "seizures_with_dimension_not_reported": share.get("_U", 0),
                "seizures_with_dimension_reported": share.get("known", 0),
            }
            for table, share in unknown_share.items()
        },
        "records_without_kg": without_kg,
        "location_names": location_names,
        # where the figures come from: each source's provenance as stored with its imports
        "sources": [
            source.as_dict() for source in data_sources(session, {key[0] for key in sources.cells})
        ],
        "notes": [
            "_U: the source does not report this dimension (e.g. CBP's public files have no "
            "concealment or transport mode); OBS_STATUS M: no mass reported, not zero.",
            "OBS_STATUS D on AMOUNT_KG: the kilograms leave out records without a mass; their "
            "counted units (tablets, doses, plants) are the UNITS observations.",
            "OBS_STATUS on SEIZURES: M where no record of the cell reports a number of events "
            "(aggregate sources such as MUCD publish totals only: not 0, not 1 per row); D where "
            "the count leaves such records out.",
            "TIME_PERIOD is the calendar quarter (a fiscal package's FY quarter is in "
            "datapackage.json).",
        ],
    }
    return tables, coverage


def quarter_sources(session: Session, where: Mapping[str, set[str]]) -> list[dict[str, Any]]:
    """The sources of the records a package counts, each with its provenance, files and
    profiles as stored with its imports (:func:`alianza.seizures.overview.data_sources`), so
    that a document made from the package says where its figures come from."""
    cells = aggregate(session, ["source"], where, releasability=set(SHARED_RELEASABILITY)).cells
    return [source.as_dict() for source in data_sources(session, {key[0] for key in cells})]


def quarters_tables(
    session: Session,
    *,
    country: str,
    quarters: list[str],
    tables: tuple[str, ...] = tuple(BREAKDOWNS),
    period_kind: str = "calendar",
    regions: set[str] | None = COMMON_BORDER,
) -> dict[str, dict[str, list[Observation]]]:
    """Quarter → the ``tables`` of :func:`quarter_tables` (the same observations), for several
    quarters at once: one pass over the records per table instead of one per table and quarter
    (what the joint analysis and its eight-quarter trend need)."""
    dimension = "fiscal_quarter" if period_kind == "fiscal" else "quarter"
    prefix = "FY" if period_kind == "fiscal" else ""
    where = {"country": {country}, dimension: {f"{prefix}{q}" for q in quarters}}
    if regions is not None:
        where["region"] = set(regions)
    result: dict[str, dict[str, list[Observation]]] = {q: {t: [] for t in tables} for q in quarters}
    for table in tables:
        breakdown = BREAKDOWNS[table]
        by = [dimension, "drug_group"] + ([breakdown] if breakdown else [])
        if breakdown == "location":
            by += ["municipality", "state"]
        cells = aggregate(session, by, where, releasability=set(SHARED_RELEASABILITY)).cells
        if breakdown == "location":
            cells = _by_place(cells)
        for key, cell in sorted(cells.items()):
            quarter = key[0].removeprefix(prefix)
            if quarter not in result:
                continue
            drug = key[1]
            dims = {"location": "_T", "concealment": "_T", "transport_mode": "_T"}
            if breakdown:
                dims[breakdown] = key[2] if breakdown == "location" else _code(key[2])
            common = (country, drug, dims["location"], dims["concealment"],
                      dims["transport_mode"])  # fmt: skip
            period = time_period(quarter, period_kind)
            result[quarter][table] += cell_observations(common, period, cell)
    return result


def exchange_codes() -> dict[str, set[str]]:
    """Allowed codes per dimension for verifying a partner's tables."""
    return {
        "REF_AREA": {"US", "MX"},
        "DRUG": set(code_list("drug_group").codes),
        "CONCEALMENT": set(code_list("concealment").codes),
        "TRANSPORT_MODE": set(code_list("transport_mode").codes),
    }


def dsd_codelists(
    used: Mapping[str, list[Observation]] | None = None,
    location_names: Mapping[str, str] | None = None,
) -> dict[str, dict[str, tuple[str, str]]]:
    """Code lists of the DSD's coded dimensions, with English and Spanish names: the reference
    lists (regions, areas, ports), and every LOCATION code the tables ``used`` have, named
    from ``location_names`` (a code → the place name it came from), so that every code a
    package uses is in its DSD."""

    def labels(name: str) -> dict[str, tuple[str, str]]:
        return {c.code: (c.label_en, c.label_es) for c in code_list(name).codes.values()
                if c.code not in SPECIAL_CODES}  # fmt: skip

    locations = {**labels("region")}
    from alianza.codes import reference

    for area in reference.areas().values():
        locations[_code(area.name)] = (area.name, area.name)
    for port in reference.ports().values():
        locations[_code(port.name)] = (port.name, port.name)
    for observations in (used or {}).values():
        for o in observations:
            if o.location not in locations and o.location not in SPECIAL_CODES:
                name = (location_names or {}).get(o.location, o.location)
                locations[o.location] = (name, name)
    return {
        "REF_AREA": {"US": ("United States", "Estados Unidos"), "MX": ("Mexico", "México")},
        "DRUG": labels("drug_group"),
        "LOCATION": locations,
        "CONCEALMENT": labels("concealment"),
        "TRANSPORT_MODE": labels("transport_mode"),
    }
