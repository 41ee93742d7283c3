"""Tables of the risk-targeting package (prefix ``risk_``).

Only SQLAlchemy here: every node migrates these tables, with or without the ``risk`` extra.
Shipments keep their source (import batch and row) and a fingerprint; inspection outcomes close
the loop and become labels; selections keep every assignment with its probability, reason and
the rule hits behind it; trained models are stored whole so any score can be reproduced.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from alianza.db.base import Base


class ShipmentImport(Base):
    __tablename__ = "risk_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    profile: Mapped[str] = mapped_column(String(50))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    report: Mapped[dict[str, Any]] = mapped_column(JSON)


class Shipment(Base):
    """One declared item; nominal fields (entities, conveyance) never leave the node."""

    __tablename__ = "risk_shipment"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(100), unique=True)  # declaration ID
    import_id: Mapped[int] = mapped_column(ForeignKey("risk_import.id"))
    source_row: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(64))
    declared_on: Mapped[date] = mapped_column(Date, index=True)
    port: Mapped[str] = mapped_column(String(50), index=True)
    mode: Mapped[str] = mapped_column(String(50))
    declarant: Mapped[str] = mapped_column(String(100))
    importer: Mapped[str] = mapped_column(String(100))
    shipper: Mapped[str] = mapped_column(String(100))
    carrier: Mapped[str] = mapped_column(String(100))
    hs6: Mapped[str] = mapped_column(String(6))
    origin: Mapped[str] = mapped_column(String(2))
    departure: Mapped[str] = mapped_column(String(2))
    net_mass_kg: Mapped[float | None] = mapped_column(Float)
    value: Mapped[float | None] = mapped_column(Float)
    codes: Mapped[dict[str, str]] = mapped_column(JSON)  # profile-specific codes
    numbers: Mapped[dict[str, float | None]] = mapped_column(JSON)  # profile-specific numbers


class Inspection(Base):
    """The outcome of examining a shipment: the label the models learn from."""

    __tablename__ = "risk_inspection"

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("risk_shipment.id"), unique=True)
    lane: Mapped[str] = mapped_column(String(50))
    exam_type: Mapped[str] = mapped_column(String(50))
    inspected_on: Mapped[date] = mapped_column(Date)
    fraud: Mapped[bool] = mapped_column(Boolean)
    critical: Mapped[bool] = mapped_column(Boolean)
    seizure_event_id: Mapped[str | None] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))


class StoredModel(Base):
    __tablename__ = "risk_model"

    id: Mapped[int] = mapped_column(primary_key=True)
    trained_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    trained_from: Mapped[date] = mapped_column(Date)
    trained_to: Mapped[date] = mapped_column(Date)
    calibrated_from: Mapped[date] = mapped_column(Date)
    calibrated_to: Mapped[date] = mapped_column(Date)
    sha256: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)  # the model file (alianza-risk-model/1 JSON)


class Selection(Base):
    __tablename__ = "risk_selection"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    model_id: Mapped[int] = mapped_column(ForeignKey("risk_model.id"))
    batch: Mapped[str] = mapped_column(Text)  # what was selected from (port, dates)
    seed: Mapped[int] = mapped_column(Integer)
    random_share: Mapped[float] = mapped_column(Float)
    lanes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    summary: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class Assignment(Base):
    __tablename__ = "risk_assignment"
    __table_args__ = (UniqueConstraint("selection_id", "shipment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    selection_id: Mapped[int] = mapped_column(ForeignKey("risk_selection.id", ondelete="CASCADE"))
    shipment_id: Mapped[int] = mapped_column(ForeignKey("risk_shipment.id"))
    lane: Mapped[str] = mapped_column(String(50))
    reason: Mapped[str] = mapped_column(String(50))
    probability: Mapped[float] = mapped_column(Float)
    critical_probability: Mapped[float] = mapped_column(Float)
    priority: Mapped[float] = mapped_column(Float)
    overridden_by: Mapped[str | None] = mapped_column(String(200))


class RuleHitRow(Base):
    __tablename__ = "risk_rule_hit"

    id: Mapped[int] = mapped_column(primary_key=True)
    selection_id: Mapped[int] = mapped_column(ForeignKey("risk_selection.id", ondelete="CASCADE"))
    shipment_id: Mapped[int] = mapped_column(ForeignKey("risk_shipment.id"))
    rule: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(200))
    weight: Mapped[float] = mapped_column(Float)
    mandatory: Mapped[bool] = mapped_column(Boolean)
    lane: Mapped[str | None] = mapped_column(String(50))


class RuleVersion(Base):
    """One version of a targeting rule, kept for ever: a hit names the version that fired.

    ``conditions`` holds the rule's conjunction as data (kind, column, values, other,
    threshold); retiring a version stops it from hitting in later selections, never deletes it.
    """

    __tablename__ = "risk_rule"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(200), index=True)
    version: Mapped[int] = mapped_column(Integer)
    owner: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[date] = mapped_column(Date)
    expires: Mapped[date | None] = mapped_column(Date)
    weight: Mapped[float] = mapped_column(Float)
    mandatory: Mapped[bool] = mapped_column(Boolean)
    lane: Mapped[str | None] = mapped_column(String(50))
    conditions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    retired_by: Mapped[str | None] = mapped_column(String(200))
    retired_reason: Mapped[str | None] = mapped_column(Text)


class WatchlistEntry(Base):
    """An entity (importer, shipper, declarant, carrier, ...) on a named watchlist."""

    __tablename__ = "risk_watchlist_entry"
    __table_args__ = (UniqueConstraint("watchlist", "value", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    watchlist: Mapped[str] = mapped_column(String(100), index=True)
    column: Mapped[str] = mapped_column(String(50))
    value: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    owner: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[date] = mapped_column(Date)
    expires: Mapped[date | None] = mapped_column(Date)
    weight: Mapped[float] = mapped_column(Float)
    mandatory: Mapped[bool] = mapped_column(Boolean)
    lane: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    retired_by: Mapped[str | None] = mapped_column(String(200))
    retired_reason: Mapped[str | None] = mapped_column(Text)


class QuarantinedShipment(Base):
    """A declaration row an import refused, kept with its raw values and the reasons, until a
    later import of the same reference (same profile) loads it."""

    __tablename__ = "risk_quarantine"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("risk_import.id"))
    source: Mapped[str] = mapped_column(Text)
    profile: Mapped[str] = mapped_column(String(50))
    source_row: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(200), index=True)
    raw_hash: Mapped[str] = mapped_column(String(64), index=True)  # profile + raw values
    raw: Mapped[dict[str, Any]] = mapped_column(JSON)
    issues: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    quarantined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    released_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    released_by_import_id: Mapped[int | None] = mapped_column(ForeignKey("risk_import.id"))


class RetrainSchedule(Base):
    """When ``alianza risk retrain --due`` retrains (one row; the newest is in force)."""

    __tablename__ = "risk_schedule"

    id: Mapped[int] = mapped_column(primary_key=True)
    every_days: Mapped[int] = mapped_column(Integer)  # the period
    min_new_labels: Mapped[int] = mapped_column(Integer)  # new outcomes that make it due early
    calibration_days: Mapped[int] = mapped_column(Integer)
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))


class ModelRecord(Base):
    """What a stored model was trained on and how it measured; withdrawn on rollback."""

    __tablename__ = "risk_model_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("risk_model.id"), unique=True)
    labels: Mapped[int] = mapped_column(Integer)  # outcomes held when it was trained
    trigger: Mapped[str] = mapped_column(String(100))  # manual | no-model | period | new-labels
    evaluation: Mapped[dict[str, Any]] = mapped_column(JSON)
    drift: Mapped[dict[str, Any]] = mapped_column(JSON)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by: Mapped[str | None] = mapped_column(String(200))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
