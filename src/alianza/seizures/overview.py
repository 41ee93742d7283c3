"""What the seizure pages show, computed here so that the web layer only renders: labels of
dimension values in either language, and the figures of the border map (ports of entry and
the field offices or sectors that CBP's public files report by).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from alianza.catalogue import declare
from alianza.codes import UnknownCodeList, code_list
from alianza.codes.reference import find_area, find_port
from alianza.releasability import visible_to
from alianza.seizures.aggregate import (
    NOT_REPORTED,
    PLACE_DIMENSIONS,
    AggregateResult,
    place_label,
)
from alianza.seizures.cache import cached_aggregate, memo
from alianza.seizures.models import AggregateRow, Event, ImportBatch
from alianza.seizures.sample import GENERATED_MARK

# Dimensions whose values are codes of a code list (the others are names, years, periods).
CODE_LISTS = {
    "drug": "drug",
    "drug_group": "drug_group",
    "country": "country",
    "region": "region",
    "location_type": "location_type",
    "concealment": "concealment",
    "transport_mode": "transport_mode",
    "conveyance": "conveyance",
    "releasability": "releasability",
}
NOT_REPORTED_LABEL = declare("seizures.not-reported", "Not reported")
NOT_REPORTED_COUNT = declare("seizures.not-reported-count", "not reported")  # in a table cell


def label(dimension: str, value: str, language: str) -> str:
    """A dimension value as a person reads it (code-list label, port name), else as is."""
    if value == NOT_REPORTED:
        return NOT_REPORTED_LABEL(language)
    name = CODE_LISTS.get(dimension)
    if name is not None:
        try:
            codes = code_list(name)
        except UnknownCodeList:
            return value
        if value in codes:
            return codes[value].label(language)
    if dimension in PLACE_DIMENSIONS:
        return place_label(dimension, value, language)
    if dimension == "port":
        port = find_port(value)
        return f"{port.name} ({value})" if port else value
    return value


def choices(dimension: str, language: str) -> list[tuple[str, str]]:
    """(code, label) of a coded dimension, in label order, for a filter's options."""
    codes = code_list(CODE_LISTS[dimension]).codes
    return sorted(((c, codes[c].label(language)) for c in codes), key=lambda p: p[1].casefold())


def fiscal_years(session: Session) -> list[str]:
    """``FY2019`` … the span of fiscal years the records cover (US fiscal year: October)."""
    return memo(session, ("fiscal_years",), lambda: _fiscal_years(session))


def _fiscal_years(session: Session) -> list[str]:
    # Each bound in a query of its own (scalar subqueries): SQLite reads min() or max() from
    # the index only when it is the query's one aggregate; together they scan every event
    # (0.08 s at a million events).
    low, high, first, last = session.execute(
        select(
            *(
                select(bound(column)).scalar_subquery()
                for column in (AggregateRow.fiscal_year, Event.event_date)
                for bound in (func.min, func.max)
            )
        )
    ).one()
    years: list[int] = []
    if low is not None:
        years += [int(low), int(high)]
    if first is not None:
        years += [first.year + (first.month >= 10), last.year + (last.month >= 10)]
    if not years:
        return []
    return [f"FY{year}" for year in range(min(years), max(years) + 1)]


@dataclass(frozen=True)
class Place:
    """One figure of the map: a port of entry, or a field office / sector (its ports' mean
    position); ``longitude`` None when the place cannot be drawn (an AMO branch, say)."""

    kind: str  # port | area | unplaced
    key: str
    name: str
    longitude: float | None
    latitude: float | None
    seizures: int
    amount_kg: float | None


def map_places(
    session: Session,
    where: Mapping[str, set[str]],
    *,
    viewer_country: str | None,
) -> list[Place]:
    """Figures by port of entry (records that name a port) and by area of responsibility
    (records that name only an area: CBP's public files), biggest first."""
    frozen = tuple(sorted((k, tuple(sorted(v))) for k, v in where.items()))
    return memo(
        session,
        ("map_places", frozen, viewer_country),
        lambda: _map_places(session, where, viewer_country),
    )


def _map_places(
    session: Session, where: Mapping[str, set[str]], viewer_country: str | None
) -> list[Place]:
    result: AggregateResult = cached_aggregate(
        session, ["port", "location"], where, viewer_country=viewer_country
    )
    ports: dict[str, list[float | int | None]] = {}
    areas: dict[str, list[float | int | None]] = {}
    for (port_code, location), cell in result.cells.items():
        bucket, key = (ports, port_code) if port_code != NOT_REPORTED else (areas, location)
        held = bucket.setdefault(key, [0, None])
        held[0] = int(held[0] or 0) + cell.seizures
        if cell.amount_kg is not None:
            held[1] = float(held[1] or 0.0) + cell.amount_kg
    places: list[Place] = []
    for code, (events, kg) in ports.items():
        port = find_port(code)
        places.append(
            Place(
                "port" if port else "unplaced",
                code,
                f"{port.name} ({code})" if port else code,
                port.longitude if port else None,
                port.latitude if port else None,
                int(events or 0),
                None if kg is None else float(kg),
            )
        )
    for name, (events, kg) in areas.items():
        area = find_area(name) if name != NOT_REPORTED else None
        members = area.ports if area else ()
        lon = sum(p.longitude for p in members) / len(members) if members else None
        lat = sum(p.latitude for p in members) / len(members) if members else None
        places.append(
            Place(
                "area" if members else "unplaced",
                name,
                area.name if area else name,
                lon,
                lat,
                int(events or 0),
                None if kg is None else float(kg),
            )
        )
    return sorted(places, key=lambda p: (-p.seizures, p.name))


@dataclass(frozen=True)
class DataSource:
    """Where the current records of one source system come from, as stored with its imports."""

    source_system: str
    provenance: str | None  # in the source's words; None: imported without one
    files: tuple[str, ...]  # file names (no folders) with the first 12 digits of their SHA-256
    profiles: tuple[str, ...]
    imported: str  # the last import's date (ISO)

    @property
    def generated(self) -> bool:
        return (self.provenance or "").startswith(GENERATED_MARK)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source_system": self.source_system,
            "provenance": self.provenance,
            "files": list(self.files),
            "profiles": list(self.profiles),
            "imported": self.imported,
            "generated": self.generated,
        }


def data_sources(session: Session, systems: Collection[str] | None = None) -> list[DataSource]:
    """The sources of the current records (of ``systems`` only, when given), each with its
    provenance, files and profiles, for pages and packages to show beside the figures; by
    source system, then in import order. Kept until the records change (every import that
    changes them writes a batch: :mod:`alianza.seizures.cache`), not read again on each view."""
    wanted = None if systems is None else tuple(sorted(systems))
    return list(
        memo(session, ("data_sources", wanted), lambda: tuple(_data_sources(session, wanted)))
    )


def _data_sources(session: Session, systems: Collection[str] | None) -> list[DataSource]:
    found: dict[tuple[str, str | None], dict[str, Any]] = {}
    query = (
        select(AggregateRow.source_system, ImportBatch)
        .join(ImportBatch, ImportBatch.id == AggregateRow.batch_id)
        .where(AggregateRow.superseded_at.is_(None))
        .group_by(AggregateRow.source_system, ImportBatch.id)
        .order_by(ImportBatch.id)
    )
    if systems is not None:
        query = query.where(AggregateRow.source_system.in_(sorted(systems)))
    pairs = list(session.execute(query).tuples())
    events = [(b, s) for b, s in _current_sources(session) if systems is None or s in systems]
    if events:
        batches = session.scalars(
            select(ImportBatch).where(ImportBatch.id.in_(sorted({b for b, _ in events})))
        )
        by_id = {batch.id: batch for batch in batches}
        pairs += [(system, by_id[b]) for b, system in events]
    for system, batch in pairs:
        entry = found.setdefault(
            (system, batch.provenance), {"files": [], "profiles": [], "imported": ""}
        )
        name = f"{PurePath(batch.source).name} ({batch.sha256[:12]})"
        if name not in entry["files"]:
            entry["files"].append(name)
        if batch.profile not in entry["profiles"]:
            entry["profiles"].append(batch.profile)
        entry["imported"] = max(entry["imported"], batch.imported_at.date().isoformat())
    return [
        DataSource(system, text, tuple(e["files"]), tuple(e["profiles"]), e["imported"])
        for (system, text), e in sorted(found.items(), key=lambda kv: kv[0][0])  # stable
    ]


def _current_sources(session: Session) -> list[tuple[int, str]]:
    """The (import batch, source system) pairs of the current events, in that order: read from
    the partial index ``ix_seizure_event_current_source`` one pair at a time, each the first
    entry after the last pair found (the next system of the same batch, else the first of a
    later batch; two seeks, since SQLite seeks a row value ``>`` by its first column only):
    a few index seeks a pair instead of a pass over every event."""
    found: list[tuple[int, str]] = []
    current = Event.superseded_at.is_(None)
    while True:
        pair = None
        if found:
            batch, system = found[-1]
            pair = session.execute(
                select(Event.batch_id, Event.source_system)
                .where(current, Event.batch_id == batch, Event.source_system > system)
                .order_by(Event.source_system)
                .limit(1)
            ).first()
        if pair is None:
            later = [Event.batch_id > found[-1][0]] if found else []
            pair = session.execute(
                select(Event.batch_id, Event.source_system)
                .where(current, *later)
                .order_by(Event.batch_id, Event.source_system)
                .limit(1)
            ).first()
        if pair is None:
            return found
        found.append((int(pair[0]), str(pair[1])))


def provenance_by_source(session: Session) -> dict[str, list[str]]:
    """Source system → the provenance texts stored with the imports its current records
    came from (each once). A source imported without any provenance is absent."""
    found: dict[str, list[str]] = {}
    for source in data_sources(session):
        if source.provenance is not None:
            found.setdefault(source.source_system, []).append(source.provenance)
    return found


def seizure_event(
    session: Session, event_id: str, *, viewer_country: str | None = None
) -> Event | None:
    """The event with this source record id (or numeric id), if a user of ``viewer_country``
    may see it (alianza.releasability; None: the node itself)."""
    match = [Event.source_record_id == event_id]
    if event_id.isdigit():
        match.append(Event.id == int(event_id))
    event = session.scalars(select(Event).where(or_(*match)).limit(1)).first()
    if event is None or not visible_to(
        viewer_country, event.reporting_country, event.releasability
    ):
        return None
    return event
