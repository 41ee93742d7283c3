"""Tables of the cooperation registry (``coop_``).

Every record carries the date it happened, how precise that date is (``exact``, ``month``,
``year`` or ``approximate``: the latest date the source allows) and its ``source`` (a report
paragraph address such as ``10.2/status/5``, a file, a person).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from alianza.db.base import Base


class Mechanism(Base):
    """A binational mechanism: HLCG, a Border Liaison Mechanism, a working group, a subgroup."""

    __tablename__ = "coop_mechanism"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(30))  # see registry.MECHANISM_KINDS
    name: Mapped[str] = mapped_column(Text)
    name_es: Mapped[str | None] = mapped_column(Text)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("coop_mechanism.id"))
    topic: Mapped[str | None] = mapped_column(String(60))  # subgroups: border-public-safety...
    us_city: Mapped[str | None] = mapped_column(String(100))  # BLMs: the sister-city pair
    mx_city: Mapped[str | None] = mapped_column(String(100))
    cadence: Mapped[str | None] = mapped_column(String(20))  # quarterly, annual (as stated)
    formed_on: Mapped[date | None] = mapped_column(Date)
    formed_precision: Mapped[str] = mapped_column(String(12))
    ended_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Meeting(Base):
    """A meeting or consultation of a mechanism; participants by country and level."""

    __tablename__ = "coop_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    mechanism_id: Mapped[int] = mapped_column(ForeignKey("coop_mechanism.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    precision: Mapped[str] = mapped_column(String(12))
    place: Mapped[str | None] = mapped_column(String(200))
    # [{"country": "US", "level": "federal", "agency": "USCS", "people": 3}]
    participants: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    topics: Mapped[list[str]] = mapped_column(JSON)
    minutes: Mapped[str | None] = mapped_column(Text)  # evidence file (path or URI)
    source: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LiaisonPost(Base):
    """A liaison post (a consulate or office of one country) and its officer."""

    __tablename__ = "coop_liaison_post"

    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(String(2))  # the country that posts the officer
    office: Mapped[str] = mapped_column(String(200))  # consulate, attaché office...
    city: Mapped[str] = mapped_column(String(100))
    agency: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(60))  # customs-liaison...
    officer: Mapped[str | None] = mapped_column(String(200))  # nominal: stays on its node
    appointed_on: Mapped[date] = mapped_column(Date)
    precision: Mapped[str] = mapped_column(String(12))
    ended_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Deliverable(Base):
    """A joint study or deliverable; completing it may record a PME event."""

    __tablename__ = "coop_deliverable"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(Text)
    title_es: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    # The one government it belongs to (held on that node only); None: joint, on both nodes.
    country: Mapped[str | None] = mapped_column(String(2))
    due_on: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    precision: Mapped[str] = mapped_column(String(12))  # of completed_on
    document: Mapped[str | None] = mapped_column(Text)
    event: Mapped[str | None] = mapped_column(String(200))  # PME event its completion records
    source: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Technology(Base):
    """Technology deployed at a port or place (x-ray, ion scanner, plate readers, DCL...)."""

    __tablename__ = "coop_technology"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    country: Mapped[str] = mapped_column(String(2))
    port_code: Mapped[str | None] = mapped_column(String(4))  # codes.reference land ports
    place: Mapped[str] = mapped_column(String(200))
    deployed_on: Mapped[date] = mapped_column(Date)
    precision: Mapped[str] = mapped_column(String(12))
    source: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Training(Base):
    """A training event: people of one country and agency trained on a subject."""

    __tablename__ = "coop_training"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2))  # of the people trained
    agency: Mapped[str] = mapped_column(String(100))
    trainer: Mapped[str | None] = mapped_column(String(100))
    people: Mapped[int] = mapped_column(Integer)
    held_on: Mapped[date] = mapped_column(Date)
    precision: Mapped[str] = mapped_column(String(12))
    source: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MeasureBinding(Base):
    """A measurement paragraph bound to a measure definition and the target it is compared with."""

    __tablename__ = "coop_measure_binding"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_key: Mapped[str] = mapped_column(String(100))
    measurement: Mapped[str] = mapped_column(String(60))  # 10.4.1/measurements/1
    target: Mapped[str | None] = mapped_column(String(60))  # 10.4.1/targets/1
    measure: Mapped[str] = mapped_column(String(40))  # see measures.MEASURES
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Incident(Base):
    """A border violence or crime incident (10.1), as reported by its source."""

    __tablename__ = "coop_incident"

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    country: Mapped[str] = mapped_column(String(2))
    place: Mapped[str] = mapped_column(String(200))  # as reported
    region: Mapped[str] = mapped_column(String(40))  # border region (CBP field office area)
    incident_type: Mapped[str] = mapped_column(String(30))
    drug_related: Mapped[str] = mapped_column(String(7))  # yes | no | unknown
    source: Mapped[str] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(String(200))  # the source's own id
    import_file: Mapped[str] = mapped_column(Text)
    import_row: Mapped[int] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class IncidentQuarantine(Base):
    """A rejected incident row: its raw values and why it was rejected."""

    __tablename__ = "coop_incident_quarantine"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_file: Mapped[str] = mapped_column(Text)
    import_row: Mapped[int] = mapped_column(Integer)
    raw: Mapped[dict[str, Any]] = mapped_column(JSON)
    issues: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
