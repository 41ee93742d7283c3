"""Combine both countries' seizure tables for a quarter.

Two ways of reading them, never mixed within one analysis:

- ``inputs="packages"`` (the joint edition, :mod:`alianza.analysis.inputs`): each country's
  current package for each quarter, this node's own as sent and the partner's as received.
  Both nodes hold the same packages, so both assemble the same edition, whichever renders it.
- ``inputs="records"`` (the working view of the web page): this node's own tables computed
  from its records exactly as its package would carry them
  (:func:`alianza.exchange.cube.quarter_tables`), the partner's from its received package.

"Not reported" stays ``None``, never zero.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from alianza.analysis.corridors import corridor_of, corridors, unpaired_reason
from alianza.analysis.inputs import (
    EditionInputs,
    Source,
    edition_inputs,
    received_sources,
    stated_sources,
)
from alianza.catalogue import declare
from alianza.exchange.cube import COMMON_BORDER, quarter_filter, quarter_sources, quarters_tables
from alianza.exchange.periods import parse_quarter
from alianza.exchange.sdmx import Observation
from alianza.releasability import partner_tables  # what the partner sent, never its records
from alianza.seizures.scopes import Scope, find_scope

COUNTRIES = ("US", "MX")
DRUG_ORDER = ("HEROIN", "COCAINE", "MARIJUANA", "METHAMPHETAMINE", "FENTANYL", "OTHER")
INPUTS = ("packages", "records")
UNKNOWN_INPUTS = declare("analysis.joint.unknown-inputs", "inputs {inputs!r} is not one of {known}")


@dataclass
class Figures:
    """Number of seizures and kilograms; ``kg`` None = not reported. ``units``: counted units
    without a mass (``{"TABLET": 15000}``); ``kg_partial``: the kilograms leave such records
    out (OBS_STATUS ``D``)."""

    seizures: float = 0.0
    kg: float | None = None
    units: dict[str, float] = field(default_factory=dict)
    kg_partial: bool = False

    def add(self, observation: Observation) -> None:
        if observation.measure == "SEIZURES" and observation.value is not None:
            self.seizures += observation.value
        elif observation.measure == "AMOUNT_KG" and observation.value is not None:
            self.kg = (self.kg or 0.0) + observation.value
            self.kg_partial = self.kg_partial or observation.status == "D"
        elif observation.measure == "UNITS" and observation.value is not None:
            unit = observation.unit_measure
            self.units[unit] = self.units.get(unit, 0.0) + observation.value


Table = dict[tuple[str, ...], dict[str, Figures]]  # row key → country → figures


@dataclass
class JointAnalysis:
    quarter: str
    own_country: str
    available: dict[str, bool]  # country → tables present for the quarter
    totals: Table = field(default_factory=dict)  # (drug,)
    by_corridor: Table = field(default_factory=dict)  # (corridor label, drug)
    by_concealment: Table = field(default_factory=dict)  # (concealment,)
    concealment: Table = field(default_factory=dict)  # (concealment, drug)
    transport: Table = field(default_factory=dict)  # (transport mode, drug)
    trend: dict[str, dict[str, dict[str, Figures]]] = field(default_factory=dict)  # q → c → drug
    unpaired_locations: dict[str, set[str]] = field(default_factory=dict)
    # (country, location id) → (reason code, figures summed over drugs)
    unpaired: dict[tuple[str, str], tuple[str, Figures]] = field(default_factory=dict)
    inputs: EditionInputs | None = None  # the packages read (None: own side from records)
    location_names: dict[str, str] = field(default_factory=dict)  # location id → name
    # country → the sources behind its figures of the quarter (None: not stated)
    sources: dict[str, tuple[Source, ...] | None] = field(default_factory=dict)

    def drugs(self) -> list[str]:
        present = {key[0] for key in self.totals}
        return [d for d in DRUG_ORDER if d in present] + sorted(present - set(DRUG_ORDER))

    def top_transport_modes(
        self, limit: int = 5
    ) -> list[tuple[str, float, list[tuple[str, float]]]]:
        """Transport modes by seizures (both countries), with the drugs each carries most."""
        modes: dict[str, float] = defaultdict(float)
        carried: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for (mode, drug), by_country in self.transport.items():
            if mode == "_U":
                continue
            count = sum(f.seizures for f in by_country.values())
            modes[mode] += count
            carried[mode][drug] += count
        ranked = sorted(modes.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [
            (mode, count, sorted(carried[mode].items(), key=lambda i: (-i[1], i[0])))
            for mode, count in ranked
        ]


def _add(table: Table, key: tuple[str, ...], country: str, observation: Observation) -> None:
    table.setdefault(key, {}).setdefault(country, Figures()).add(observation)


def _own_tables(
    session: Session, own: str, quarter: str, periods: list[str]
) -> dict[str, dict[str, list[Observation]]]:
    """This node's tables as its packages would carry them: all four for ``quarter``, the
    totals for every period of the trend (one pass over the records per table)."""
    result = quarters_tables(session, country=own, quarters=periods, tables=("totals",))
    others = ("by_location", "by_concealment", "transport_methods")
    current = quarters_tables(session, country=own, quarters=[quarter], tables=others)[quarter]
    result.setdefault(quarter, {"totals": []}).update(current)
    return result


def own_filter(country: str, quarter: str) -> dict[str, set[str]]:
    """The records this node's package of ``quarter`` counts (as quarter_tables)."""
    return {"country": {country}, **quarter_filter(quarter, "calendar"),
            "region": set(COMMON_BORDER)}  # fmt: skip


def previous_quarters(quarter: str, count: int) -> list[str]:
    year, number = parse_quarter(quarter)
    result = []
    for _ in range(count):
        result.append(f"{year}-Q{number}")
        year, number = (year - 1, 4) if number == 1 else (year, number - 1)
    return list(reversed(result))


def joint_analysis(
    session: Session,
    quarter: str,
    *,
    own_country: str,
    trend_quarters: int = 8,
    inputs: str = "records",
) -> JointAnalysis:
    """The analysis of ``quarter`` with the trend over ``trend_quarters`` quarters ending
    with it; ``inputs``: ``packages`` (the joint edition) or ``records`` (see the module)."""
    if inputs not in INPUTS:
        raise ValueError(UNKNOWN_INPUTS.said(inputs=inputs, known=", ".join(INPUTS)))
    analysis = JointAnalysis(quarter, own_country, {})
    periods = previous_quarters(quarter, trend_quarters)
    if quarter not in periods:
        periods.append(quarter)
    if inputs == "packages":
        held = edition_inputs(
            session, own_country=own_country, countries=COUNTRIES, quarters=periods
        )
        analysis.inputs = held

        def tables_of(country: str, period: str) -> dict[str, list[Observation]]:
            return held.get(country, period)

        for package in held.listed():
            if package.quarter == quarter:
                analysis.location_names.update(package.location_names)
                analysis.sources[package.country] = package.sources
    else:
        own_tables = _own_tables(session, own_country, quarter, periods)
        analysis.sources = {
            c: received_sources(session, c, quarter) for c in COUNTRIES if c != own_country
        }
        analysis.sources[own_country] = stated_sources(
            {"sources": quarter_sources(session, own_filter(own_country, quarter))}
        )

        def tables_of(country: str, period: str) -> dict[str, list[Observation]]:
            if country == own_country:
                return own_tables.get(period, {})
            return partner_tables(session, country, period)

    for country in COUNTRIES:
        tables = tables_of(country, quarter)
        analysis.available[country] = any(tables.values())
        for o in tables.get("totals", []):
            _add(analysis.totals, (o.drug,), country, o)
        for o in tables.get("by_location", []):
            corridor = corridor_of(o.location, country)
            if corridor is None:
                analysis.unpaired_locations.setdefault(country, set()).add(o.location)
                reason = unpaired_reason(o.location, country, analysis.location_names)
                entry = analysis.unpaired.setdefault((country, o.location), (reason, Figures()))
                entry[1].add(o)
                continue
            _add(analysis.by_corridor, (corridor.label, o.drug), country, o)
        for o in tables.get("by_concealment", []):
            _add(analysis.by_concealment, (o.concealment,), country, o)
            _add(analysis.concealment, (o.concealment, o.drug), country, o)
        for o in tables.get("transport_methods", []):
            _add(analysis.transport, (o.transport_mode, o.drug), country, o)
    for period in previous_quarters(quarter, trend_quarters):
        analysis.trend[period] = {}
        for country in COUNTRIES:
            figures: dict[str, Figures] = {}
            for o in tables_of(country, period).get("totals", []):
                figures.setdefault(o.drug, Figures()).add(o)
            analysis.trend[period][country] = figures
    return analysis


# The named aggregate scope (:mod:`alianza.seizures.scopes`) of each country's side of a
# package: every bilateral record of its side of the common border (Air and Marine Operations
# included on the US side: their branches are listed among the locations in no corridor).
EDITION_SCOPES = {"US": "southwest-border-all", "MX": "mx-northern-border"}


def edition_scope(country: str) -> Scope:
    """The scope of ``country``'s figures in the joint analysis (as its package counts them)."""
    return find_scope(EDITION_SCOPES[country])


def corridor_labels() -> list[str]:
    return [c.label for c in corridors()]
