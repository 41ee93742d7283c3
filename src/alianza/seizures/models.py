"""Tables of the seizures package (prefix ``seizure_``).

- :class:`ImportBatch`: one import of one file (source, hash, profile, extraction date).
- :class:`Event` with its :class:`DrugItem` rows: event-level records (reference §3–4).
- :class:`AggregateRow`: totals from sources that publish only totals (CBP's public files).
- :class:`QuarantinedRow`: rejected input with its raw values and reasons, until a corrected
  file releases it.
- :class:`DuplicateLink`: the same event reported by two sources, counted once.
- :class:`SummaryEvent`, :class:`SummaryItem`, :class:`SummaryUnit`: totals of the counted
  events (current, not duplicates) kept by :mod:`alianza.seizures.summary` at import, at the
  grain every total is read at (issue 19);
- :class:`PlaceEvent`, :class:`PlaceItem`, :class:`PlaceUnit`: the same totals keyed by place
  without location type, concealment, transport mode and conveyance
  (:data:`PLACE_ROLLUP_KEYS`), read by the questions of a place (the map, totals by port);
- :class:`RollupEvent`, :class:`RollupItem`, :class:`RollupUnit`: the same totals without the
  place and concealment columns (:data:`ROLLUP_KEYS`), kept alongside, read by the questions
  that need no place or concealment (a few times fewer rows to scan);
- :class:`SummaryRebuild`: a recomputation of those tables, part of the pages' data version.

Records are versioned, never overwritten: a changed record gets a new row and the old one
``superseded_at``; current rows have ``superseded_at`` null. Multi-valued codes (concealment,
detection, participating agencies) are stored ``;``-joined in code order.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from alianza.db.base import Base

# Hex digests (record keys, fingerprints, quarantine hashes): compared byte by byte on
# PostgreSQL (collation "C"), not by the database's locale, which only slows their index
# builds and look-ups (a million-event import builds the key and fingerprint indexes in about
# half the time); SQLite compares text byte by byte already. Equality, and the order of
# lower-case hex, are the same under every collation.
HEX_KEY = String(64).with_variant(String(64, collation="C"), "postgresql")


class ImportBatch(Base):
    __tablename__ = "seizure_import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(Text)  # file name as given
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    profile: Mapped[str] = mapped_column(String(100))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    extraction_date: Mapped[date | None] = mapped_column(Date)
    actor: Mapped[str] = mapped_column(String(200))
    stats: Mapped[dict[str, Any]] = mapped_column(JSON)
    # where the data comes from, in the source's words (the profile's, or the importer's)
    provenance: Mapped[str | None] = mapped_column(Text)


class Event(Base):
    __tablename__ = "seizure_event"
    __table_args__ = (
        Index("ix_seizure_event_port_day", "port_code", "event_day"),
        # the sources of the current events, read by seeking (overview.data_sources)
        Index(
            "ix_seizure_event_current_source",
            "batch_id",
            "source_system",
            sqlite_where=text("superseded_at IS NULL"),
            postgresql_where=text("superseded_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # indexed: the duplicate search and the summary tables start from one batch's events
    batch_id: Mapped[int] = mapped_column(ForeignKey("seizure_import_batch.id"), index=True)
    source_row: Mapped[int] = mapped_column(Integer)
    source_system: Mapped[str] = mapped_column(String(100))
    source_record_id: Mapped[str] = mapped_column(String(200))
    record_key: Mapped[str] = mapped_column(HEX_KEY, index=True)  # source system + id
    content_hash: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(HEX_KEY, index=True)  # normalized, no ids
    version: Mapped[int] = mapped_column(Integer)
    reporting_country: Mapped[str] = mapped_column(String(2))
    reporting_agency: Mapped[str] = mapped_column(String(30))
    participating_agencies: Mapped[str] = mapped_column(Text)
    event_date: Mapped[date] = mapped_column(Date, index=True)
    event_day: Mapped[int] = mapped_column(Integer)  # date.toordinal(): portable ±1-day matching
    date_precision: Mapped[str] = mapped_column(String(5))
    location_type: Mapped[str] = mapped_column(String(30))
    port_code: Mapped[str | None] = mapped_column(String(10))
    area: Mapped[str | None] = mapped_column(String(100))
    admin_area: Mapped[str | None] = mapped_column(String(100))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    direction: Mapped[str] = mapped_column(String(30))
    transport_mode: Mapped[str] = mapped_column(String(30))
    conveyance: Mapped[str] = mapped_column(String(30))
    conveyance_other: Mapped[str | None] = mapped_column(Text)
    concealment: Mapped[str] = mapped_column(Text)
    concealment_other: Mapped[str | None] = mapped_column(Text)
    detection: Mapped[str] = mapped_column(Text)
    record_status: Mapped[str] = mapped_column(String(30))
    releasability: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # not indexed: current rows (what queries ask for) all share NULL here, so an index would
    # select nothing, and SQLite, which keeps no statistics, took it for selective
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DrugItem(Base):
    __tablename__ = "seizure_drug_item"
    __table_args__ = (
        # The near-match duplicate search (dedupe.near_candidates): an item's earlier
        # counterparts at its port, of its drug, on one of three days, within a band of
        # kilograms, found by seeking instead of by walking every event of the port and days.
        Index(
            "ix_seizure_drug_item_near",
            "port_code",
            "drug_code",
            "event_day",
            "net_mass_kg",
            sqlite_where=text("port_code IS NOT NULL AND net_mass_kg IS NOT NULL"),
            postgresql_where=text("port_code IS NOT NULL AND net_mass_kg IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("seizure_event.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    source_row: Mapped[int] = mapped_column(Integer)
    drug_code: Mapped[str] = mapped_column(String(30))
    drug_reported: Mapped[str] = mapped_column(Text)
    drug_other: Mapped[str | None] = mapped_column(Text)
    form: Mapped[str] = mapped_column(String(30))
    quantity_reported: Mapped[str] = mapped_column(String(40))  # decimal text, as reported
    unit: Mapped[str] = mapped_column(String(10))
    net_mass_kg: Mapped[float | None] = mapped_column(Float)
    conversion_method: Mapped[str | None] = mapped_column(String(30))
    conversion_factor: Mapped[str | None] = mapped_column(String(30))
    is_estimated: Mapped[bool] = mapped_column(Boolean)
    unit_count: Mapped[int | None] = mapped_column(Integer)
    package_count: Mapped[int | None] = mapped_column(Integer)
    # the event's port and day (Event.port_code, Event.event_day), copied at import for the
    # near-match index above; an event's port and day never change (a revision is a new event)
    port_code: Mapped[str | None] = mapped_column(String(10))
    event_day: Mapped[int | None] = mapped_column(Integer)


class AggregateRow(Base):
    __tablename__ = "seizure_aggregate"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("seizure_import_batch.id"))
    source_row: Mapped[int] = mapped_column(Integer)
    source_system: Mapped[str] = mapped_column(String(100))
    record_key: Mapped[str] = mapped_column(HEX_KEY, index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    reporting_country: Mapped[str] = mapped_column(String(2))
    reporting_agency: Mapped[str] = mapped_column(String(30))
    component: Mapped[str] = mapped_column(String(100))  # as the source names it
    region: Mapped[str | None] = mapped_column(String(30))
    land_filter: Mapped[str | None] = mapped_column(String(10))
    area: Mapped[str | None] = mapped_column(String(100))
    location_type: Mapped[str] = mapped_column(String(30))
    period_month: Mapped[date] = mapped_column(Date, index=True)  # first day, calendar
    fiscal_year: Mapped[int] = mapped_column(Integer)
    fiscal_year_to_date: Mapped[bool] = mapped_column(Boolean)
    drug_code: Mapped[str] = mapped_column(String(30))
    drug_reported: Mapped[str] = mapped_column(Text)
    events: Mapped[int | None] = mapped_column(Integer)  # null: count not reported (not 0)
    state: Mapped[str | None] = mapped_column(String(2))  # INEGI state code
    municipality: Mapped[str | None] = mapped_column(String(5))  # INEGI municipality code
    quantity_reported: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(10))
    net_mass_kg: Mapped[float | None] = mapped_column(Float)
    conversion_method: Mapped[str | None] = mapped_column(String(30))
    conversion_factor: Mapped[str | None] = mapped_column(String(30))
    flags: Mapped[str] = mapped_column(Text)  # e.g. "zero-weight-with-events"
    record_status: Mapped[str] = mapped_column(String(30))
    releasability: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)


class QuarantinedRow(Base):
    __tablename__ = "seizure_quarantine"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("seizure_import_batch.id"))
    source: Mapped[str] = mapped_column(Text)
    profile: Mapped[str] = mapped_column(String(100))
    source_row: Mapped[int] = mapped_column(Integer)
    raw_hash: Mapped[str] = mapped_column(HEX_KEY, index=True)  # profile + raw values
    raw_key: Mapped[str | None] = mapped_column(HEX_KEY, index=True)  # raw key fields
    raw: Mapped[dict[str, Any]] = mapped_column(JSON)
    issues: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    quarantined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    released_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    released_by_batch_id: Mapped[int | None] = mapped_column(ForeignKey("seizure_import_batch.id"))


class DuplicateLink(Base):
    """``event_id`` is the same seizure as ``duplicate_of_id`` (reported by another source)."""

    __tablename__ = "seizure_duplicate_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("seizure_event.id"), unique=True)
    duplicate_of_id: Mapped[int] = mapped_column(ForeignKey("seizure_event.id"), index=True)
    method: Mapped[str] = mapped_column(String(20))  # fingerprint | near-match
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    found_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ImportReport(Base):
    """The validation report of an import made through the web app or the API, kept whole
    (a batch is written only when the import changed something; the report always is)."""

    __tablename__ = "seizure_import_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("seizure_import_batch.id"))
    source: Mapped[str] = mapped_column(Text)
    profile: Mapped[str] = mapped_column(String(100))
    actor: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2), index=True)  # the importer's
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)  # ValidationReport.as_dict()


# The event columns every total is grouped by (see alianza.seizures.event_sums.EVENT_SOURCES),
# null place columns kept as "" (a key column of an upsert cannot be null), and the event's
# calendar year and month.
SUMMARY_KEYS = (
    "reporting_country",
    "reporting_agency",
    "source_system",
    "releasability",
    "location_type",
    "port_code",
    "area",
    "admin_area",
    "concealment",
    "transport_mode",
    "conveyance",
    "year",
    "month",
)


class _SummaryKeys:
    reporting_country: Mapped[str] = mapped_column(String(2))
    reporting_agency: Mapped[str] = mapped_column(String(30))
    source_system: Mapped[str] = mapped_column(String(100))
    releasability: Mapped[str] = mapped_column(String(30))
    location_type: Mapped[str] = mapped_column(String(30))
    port_code: Mapped[str] = mapped_column(String(10))  # "": none
    area: Mapped[str] = mapped_column(String(100))  # "": none
    admin_area: Mapped[str] = mapped_column(String(100))  # "": none
    concealment: Mapped[str] = mapped_column(Text)
    transport_mode: Mapped[str] = mapped_column(String(30))
    conveyance: Mapped[str] = mapped_column(String(30))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)


# The measures of the summary and rollup tables (the same at both grains)
class _EventCounts:
    id: Mapped[int] = mapped_column(primary_key=True)
    drugs: Mapped[int] = mapped_column(BigInteger)
    events: Mapped[int] = mapped_column(Integer)


class _ItemMeasures:
    id: Mapped[int] = mapped_column(primary_key=True)
    drug_code: Mapped[str] = mapped_column(String(30))
    events: Mapped[int] = mapped_column(Integer)
    items: Mapped[int] = mapped_column(Integer)
    kg: Mapped[float] = mapped_column(Float)
    kg_items: Mapped[int] = mapped_column(Integer)


class _UnitCounts:
    id: Mapped[int] = mapped_column(primary_key=True)
    drug_code: Mapped[str] = mapped_column(String(30))
    unit: Mapped[str] = mapped_column(String(10))
    counted: Mapped[int] = mapped_column(BigInteger)
    counted_items: Mapped[int] = mapped_column(Integer)


class SummaryEvent(_SummaryKeys, _EventCounts, Base):
    """How many counted events are alike in the key columns and in their set of drug codes
    (``drugs``: one bit a code, :func:`alianza.seizures.summary.drug_bits`)."""

    __tablename__ = "seizure_summary_event"
    __table_args__ = (
        UniqueConstraint(*SUMMARY_KEYS, "drugs", name="uq_seizure_summary_event"),
        Index("ix_seizure_summary_event_period", "year", "month"),
    )


class SummaryItem(_SummaryKeys, _ItemMeasures, Base):
    """The drug items of one drug code of counted events alike in the key columns: how many
    events have that drug, how many items, their kilograms (``kg``, over the ``kg_items``
    items with a mass: none, the total is "not reported")."""

    __tablename__ = "seizure_summary_item"
    __table_args__ = (
        UniqueConstraint(*SUMMARY_KEYS, "drug_code", name="uq_seizure_summary_item"),
        Index("ix_seizure_summary_item_period", "year", "month"),
    )


class SummaryUnit(_SummaryKeys, _UnitCounts, Base):
    """Counted units (tablets, plants…) of the drug items without a mass that give a count:
    their sum (``counted``) and how many such items (``counted_items``)."""

    __tablename__ = "seizure_summary_unit"
    __table_args__ = (
        UniqueConstraint(*SUMMARY_KEYS, "drug_code", "unit", name="uq_seizure_summary_unit"),
        Index("ix_seizure_summary_unit_period", "year", "month"),
    )


# The coarser grain of the rollup tables: the summary keys without the place and concealment
# columns (port, area, municipality or state, concealment), which multiply the rows most.
PLACE_KEYS = ("port_code", "area", "admin_area", "concealment")
ROLLUP_KEYS = tuple(key for key in SUMMARY_KEYS if key not in PLACE_KEYS)


class _RollupKeys:
    reporting_country: Mapped[str] = mapped_column(String(2))
    reporting_agency: Mapped[str] = mapped_column(String(30))
    source_system: Mapped[str] = mapped_column(String(100))
    releasability: Mapped[str] = mapped_column(String(30))
    location_type: Mapped[str] = mapped_column(String(30))
    transport_mode: Mapped[str] = mapped_column(String(30))
    conveyance: Mapped[str] = mapped_column(String(30))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)


class RollupEvent(_RollupKeys, _EventCounts, Base):
    """:class:`SummaryEvent` at the grain of :data:`ROLLUP_KEYS`."""

    __tablename__ = "seizure_rollup_event"
    __table_args__ = (
        UniqueConstraint(*ROLLUP_KEYS, "drugs", name="uq_seizure_rollup_event"),
        Index("ix_seizure_rollup_event_period", "year", "month"),
    )


class RollupItem(_RollupKeys, _ItemMeasures, Base):
    """:class:`SummaryItem` at the grain of :data:`ROLLUP_KEYS`."""

    __tablename__ = "seizure_rollup_item"
    __table_args__ = (
        UniqueConstraint(*ROLLUP_KEYS, "drug_code", name="uq_seizure_rollup_item"),
        Index("ix_seizure_rollup_item_period", "year", "month"),
    )


class RollupUnit(_RollupKeys, _UnitCounts, Base):
    """:class:`SummaryUnit` at the grain of :data:`ROLLUP_KEYS`."""

    __tablename__ = "seizure_rollup_unit"
    __table_args__ = (
        UniqueConstraint(*ROLLUP_KEYS, "drug_code", "unit", name="uq_seizure_rollup_unit"),
        Index("ix_seizure_rollup_unit_period", "year", "month"),
    )


# The grain of the place rollup tables: the summary keys without location type, concealment,
# transport mode and conveyance, the columns that multiply the rows of a place most and that
# the place questions (the map, totals by port, the exchange's common-border and location
# tables, hence the joint analysis) do not read.
PLACE_DROPPED = ("location_type", "concealment", "transport_mode", "conveyance")
PLACE_ROLLUP_KEYS = tuple(key for key in SUMMARY_KEYS if key not in PLACE_DROPPED)


class _PlaceKeys:
    reporting_country: Mapped[str] = mapped_column(String(2))
    reporting_agency: Mapped[str] = mapped_column(String(30))
    source_system: Mapped[str] = mapped_column(String(100))
    releasability: Mapped[str] = mapped_column(String(30))
    port_code: Mapped[str] = mapped_column(String(10))  # "": none
    area: Mapped[str] = mapped_column(String(100))  # "": none
    admin_area: Mapped[str] = mapped_column(String(100))  # "": none
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)


class PlaceEvent(_PlaceKeys, _EventCounts, Base):
    """:class:`SummaryEvent` at the grain of :data:`PLACE_ROLLUP_KEYS`."""

    __tablename__ = "seizure_place_event"
    __table_args__ = (
        UniqueConstraint(*PLACE_ROLLUP_KEYS, "drugs", name="uq_seizure_place_event"),
        Index("ix_seizure_place_event_period", "year", "month"),
    )


class PlaceItem(_PlaceKeys, _ItemMeasures, Base):
    """:class:`SummaryItem` at the grain of :data:`PLACE_ROLLUP_KEYS`."""

    __tablename__ = "seizure_place_item"
    __table_args__ = (
        UniqueConstraint(*PLACE_ROLLUP_KEYS, "drug_code", name="uq_seizure_place_item"),
        Index("ix_seizure_place_item_period", "year", "month"),
    )


class PlaceUnit(_PlaceKeys, _UnitCounts, Base):
    """:class:`SummaryUnit` at the grain of :data:`PLACE_ROLLUP_KEYS`."""

    __tablename__ = "seizure_place_unit"
    __table_args__ = (
        UniqueConstraint(*PLACE_ROLLUP_KEYS, "drug_code", "unit", name="uq_seizure_place_unit"),
        Index("ix_seizure_place_unit_period", "year", "month"),
    )


# The grain of the method rollup tables: the summary keys without the place columns (port,
# area, municipality or state), which the questions of a concealment or a transport mode
# over a whole region do not group by once their region is decided by the database (the
# package's concealment and transport tables, hence the joint analysis).
METHOD_DROPPED = ("port_code", "area", "admin_area")
METHOD_ROLLUP_KEYS = tuple(key for key in SUMMARY_KEYS if key not in METHOD_DROPPED)


class _MethodKeys:
    reporting_country: Mapped[str] = mapped_column(String(2))
    reporting_agency: Mapped[str] = mapped_column(String(30))
    source_system: Mapped[str] = mapped_column(String(100))
    releasability: Mapped[str] = mapped_column(String(30))
    location_type: Mapped[str] = mapped_column(String(30))
    concealment: Mapped[str] = mapped_column(Text)
    transport_mode: Mapped[str] = mapped_column(String(30))
    conveyance: Mapped[str] = mapped_column(String(30))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)


class MethodEvent(_MethodKeys, _EventCounts, Base):
    """:class:`SummaryEvent` at the grain of :data:`METHOD_ROLLUP_KEYS`."""

    __tablename__ = "seizure_method_event"
    __table_args__ = (
        UniqueConstraint(*METHOD_ROLLUP_KEYS, "drugs", name="uq_seizure_method_event"),
        Index("ix_seizure_method_event_period", "year", "month"),
    )


class MethodItem(_MethodKeys, _ItemMeasures, Base):
    """:class:`SummaryItem` at the grain of :data:`METHOD_ROLLUP_KEYS`."""

    __tablename__ = "seizure_method_item"
    __table_args__ = (
        UniqueConstraint(*METHOD_ROLLUP_KEYS, "drug_code", name="uq_seizure_method_item"),
        Index("ix_seizure_method_item_period", "year", "month"),
    )


class MethodUnit(_MethodKeys, _UnitCounts, Base):
    """:class:`SummaryUnit` at the grain of :data:`METHOD_ROLLUP_KEYS`."""

    __tablename__ = "seizure_method_unit"
    __table_args__ = (
        UniqueConstraint(*METHOD_ROLLUP_KEYS, "drug_code", "unit", name="uq_seizure_method_unit"),
        Index("ix_seizure_method_unit_period", "year", "month"),
    )


class SummaryRebuild(Base):
    """A recomputation of the summary tables (``alianza seizures summary-rebuild``). The totals
    the pages keep are keyed by the data version of the import batches and of these rows
    (:mod:`alianza.seizures.cache`, :mod:`alianza.analysis.cache`): a rebuild changes the
    totals without an import, so it writes one."""

    __tablename__ = "seizure_summary_rebuild"

    id: Mapped[int] = mapped_column(primary_key=True)
    rebuilt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
