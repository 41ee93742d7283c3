"""The inputs of a joint edition: for each country and quarter, the one package both nodes hold.

The US node holds its own package as sent (outbound) and Mexico's as received (inbound); the
MX node holds the same two packages the other way round. Reading only those, both nodes
assemble the same edition, whichever of them renders it: the inputs are named in the document
(country, quarter, version, SHA-256 of the signed package, signer's key fingerprint, the
source files and their provenance as the package states them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from alianza.exchange.sdmx import Observation
from alianza.exchange.service import package_tables
from alianza.exchange.store import current_package
from alianza.seizures.sample import GENERATED_MARK


@dataclass(frozen=True)
class Source:
    system: str
    files: tuple[str, ...]
    provenance: tuple[str, ...]

    @property
    def generated(self) -> bool:
        return any(text.startswith(GENERATED_MARK) for text in self.provenance)


@dataclass(frozen=True)
class PackageInput:
    country: str
    quarter: str
    version: int
    sha256: str
    fingerprint: str  # the signer's key
    node: str
    extracted_at: str
    sources: tuple[Source, ...] | None  # None: the package does not say (older packages)
    location_names: dict[str, str] = field(default_factory=dict, compare=False)  # id → name


@dataclass
class EditionInputs:
    """Country → quarter → what its package says."""

    packages: dict[str, dict[str, PackageInput]] = field(default_factory=dict)
    tables: dict[str, dict[str, dict[str, list[Observation]]]] = field(default_factory=dict)

    def get(self, country: str, quarter: str) -> dict[str, list[Observation]]:
        return self.tables.get(country, {}).get(quarter, {})

    def listed(self) -> list[PackageInput]:
        return [
            self.packages[c][q] for c in sorted(self.packages) for q in sorted(self.packages[c])
        ]


def stated_sources(coverage: dict[str, Any]) -> tuple[Source, ...] | None:
    """The sources a package's coverage states (None: it states none)."""
    return _sources(coverage)


def received_sources(session: Session, country: str, quarter: str) -> tuple[Source, ...] | None:
    """The sources stated by the partner's current received package for ``quarter``."""
    package = current_package(session, "inbound", country, quarter, "calendar")
    return None if package is None else _sources(package.coverage or {})


def _sources(coverage: dict[str, Any]) -> tuple[Source, ...] | None:
    """The sources a coverage states, one per source system (the package lists one entry per
    system and stored provenance: :func:`alianza.seizures.overview.data_sources`)."""
    stated = coverage.get("sources")
    if not isinstance(stated, list):
        return None
    files: dict[str, list[str]] = {}
    provenance: dict[str, list[str]] = {}
    for entry in stated:
        if not isinstance(entry, dict):
            continue
        system = str(entry.get("source_system", entry.get("source", "")))
        texts = entry.get("provenance")
        texts = [texts] if isinstance(texts, str) else texts or []
        for name in entry.get("files", []):
            if str(name) not in files.setdefault(system, []):
                files[system].append(str(name))
        for text in texts:
            if str(text) not in provenance.setdefault(system, []):
                provenance[system].append(str(text))
        provenance.setdefault(system, [])
    return tuple(
        Source(system, tuple(files.get(system, [])), tuple(provenance[system]))
        for system in provenance
    )


def _names(coverage: dict[str, Any]) -> dict[str, str]:
    names = coverage.get("location_names")
    return {str(k): str(v) for k, v in names.items()} if isinstance(names, dict) else {}


def edition_inputs(
    session: Session, *, own_country: str, countries: tuple[str, ...], quarters: list[str]
) -> EditionInputs:
    """The current package of each country for each quarter: outbound for this node's own
    country, inbound for the partner's. A quarter without a package is absent, never zero."""
    inputs = EditionInputs()
    for country in countries:
        direction = "outbound" if country == own_country else "inbound"
        for quarter in quarters:
            package = current_package(session, direction, country, quarter, "calendar")
            if package is None:
                continue
            inputs.packages.setdefault(country, {})[quarter] = PackageInput(
                package.country,
                package.quarter,
                package.version,
                package.sha256,
                package.fingerprint,
                package.node,
                package.extracted_at,
                _sources(package.coverage or {}),
                _names(package.coverage or {}),
            )
            inputs.tables.setdefault(country, {})[quarter] = package_tables(session, package)
    return inputs
