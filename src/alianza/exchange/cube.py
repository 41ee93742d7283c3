"""The tables of a quarter's package, computed from this node's seizure records.

Only records whose releasability lets them leave the node are counted
(:data:`alianza.releasability.MAY_LEAVE`: ``BILATERAL`` and ``PUBLIC_AGGREGATE``); the
aggregation returns counts and kilograms, never nominal fields.
Dimensions a source does not capture (``NOT_REPORTED``) become the SDMX code ``_U``, and a cell
without any mass is ``OBS_STATUS=M`` (not reported), never zero.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from sqlalchemy.orm import Session

from alianza.codes import code_list
from alianza.exchange.sdmx import SPECIAL_CODES, Observation
from alianza.releasability import MAY_LEAVE as SHARED_RELEASABILITY
from alianza.seizures.aggregate import aggregate

# "Seizures along the common border": the US Southwest Border and Mexico's northern border.
COMMON_BORDER = {"SOUTHWEST_BORDER", "MX_NORTHERN_BORDER"}
NOT_REPORTED = "NOT_REPORTED"
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
    """An SDMX code for a seizure dimension value: ``_U`` for not reported; area and port
    names (``SAN DIEGO FIELD OFFICE``) become IDs (``SAN_DIEGO_FIELD_OFFICE``)."""
    if value in (NOT_REPORTED, "", "UNKNOWN"):
        return "_U"
    return re.sub(r"[^A-Z0-9]+", "_", value.upper()).strip("_") or "_U"


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
    for table, breakdown in BREAKDOWNS.items():
        by = ["drug_group"] + ([breakdown] if breakdown else [])
        result = aggregate(session, by, where, releasability=set(SHARED_RELEASABILITY))
        observations = []
        counter: Counter[str] = Counter()
        for key, cell in sorted(result.cells.items()):
            drug = key[0]
            dims = {"location": "_T", "concealment": "_T", "transport_mode": "_T"}
            if breakdown:
                dims[breakdown] = _code(key[1])
                counter["_U" if dims[breakdown] == "_U" else "known"] += cell.seizures
            common = (country, drug, dims["location"], dims["concealment"],
                      dims["transport_mode"])  # fmt: skip
            observations.append(Observation(*common, "SEIZURES", quarter, float(cell.seizures)))
            if cell.amount_kg is None:
                observations.append(Observation(*common, "AMOUNT_KG", quarter, None, "M"))
            else:
                observations.append(Observation(*common, "AMOUNT_KG", quarter, cell.amount_kg))
        tables[table] = observations
        if breakdown:
            unknown_share[table] = dict(counter)
    coverage = {
        "country": country,
        "quarter": quarter,
        "period_kind": period_kind,
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
        "notes": [
            "_U: the source does not report this dimension (e.g. CBP's public files have no "
            "concealment or transport mode); OBS_STATUS M: no mass reported, not zero.",
        ],
    }
    return tables, coverage


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
        cells = aggregate(session, by, where, releasability=set(SHARED_RELEASABILITY)).cells
        for key, cell in sorted(cells.items()):
            quarter = key[0].removeprefix(prefix)
            if quarter not in result:
                continue
            drug = key[1]
            dims = {"location": "_T", "concealment": "_T", "transport_mode": "_T"}
            if breakdown:
                dims[breakdown] = _code(key[2])
            common = (country, drug, dims["location"], dims["concealment"],
                      dims["transport_mode"])  # fmt: skip
            rows = result[quarter][table]
            rows.append(Observation(*common, "SEIZURES", quarter, float(cell.seizures)))
            if cell.amount_kg is None:
                rows.append(Observation(*common, "AMOUNT_KG", quarter, None, "M"))
            else:
                rows.append(Observation(*common, "AMOUNT_KG", quarter, cell.amount_kg))
    return result


def exchange_codes() -> dict[str, set[str]]:
    """Allowed codes per dimension for verifying a partner's tables."""
    return {
        "REF_AREA": {"US", "MX"},
        "DRUG": set(code_list("drug_group").codes),
        "CONCEALMENT": set(code_list("concealment").codes),
        "TRANSPORT_MODE": set(code_list("transport_mode").codes),
    }


def dsd_codelists() -> dict[str, dict[str, tuple[str, str]]]:
    """Code lists of the DSD's coded dimensions, with English and Spanish names."""

    def labels(name: str) -> dict[str, tuple[str, str]]:
        return {c.code: (c.label_en, c.label_es) for c in code_list(name).codes.values()
                if c.code not in SPECIAL_CODES}  # fmt: skip

    locations = {**labels("region")}
    from alianza.codes import reference

    for area in reference.areas().values():
        locations[_code(area.name)] = (area.name, area.name)
    for port in reference.ports().values():
        locations[_code(port.name)] = (port.name, port.name)
    return {
        "REF_AREA": {"US": ("United States", "Estados Unidos"), "MX": ("Mexico", "México")},
        "DRUG": labels("drug_group"),
        "LOCATION": locations,
        "CONCEALMENT": labels("concealment"),
        "TRANSPORT_MODE": labels("transport_mode"),
    }
