"""Tables of the ports package (prefix ``ports_``).

Crossings are keyed by (port code, month, measure): one current value each. A row that would
change a held value is quarantined with its reason, never merged silently; so is every row of a
key that a file gives twice with different values.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from alianza.db.base import Base


class PortsImport(Base):
    """One import of a file that changed something (rows loaded or quarantined)."""

    __tablename__ = "ports_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))  # bts, bwt-historical, bwt-current
    source: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    stats: Mapped[dict[str, Any]] = mapped_column(JSON)


class CrossingCount(Base):
    """Inbound crossings at one port in one month for one BTS measure."""

    __tablename__ = "ports_crossing"
    __table_args__ = (UniqueConstraint("port_code", "month", "measure"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    port_code: Mapped[str] = mapped_column(String(4))
    port_name: Mapped[str] = mapped_column(String(100))  # current BTS name
    month: Mapped[date] = mapped_column(Date)  # first day of the month
    measure: Mapped[str] = mapped_column(String(40))  # current BTS measure name
    value: Mapped[int] = mapped_column(BigInteger)
    import_id: Mapped[int] = mapped_column(ForeignKey("ports_import.id"))
    source_row: Mapped[int] = mapped_column(Integer)


class QuarantinedRow(Base):
    """A rejected input row, kept with its raw values and the codes of its problems."""

    __tablename__ = "ports_quarantine"
    __table_args__ = (UniqueConstraint("file_sha256", "source_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("ports_import.id"))
    file_sha256: Mapped[str] = mapped_column(String(64))
    source_row: Mapped[int] = mapped_column(Integer)
    raw: Mapped[dict[str, Any]] = mapped_column(JSON)
    codes: Mapped[list[str]] = mapped_column(JSON)


class WaitProfile(Base):
    """CBP historical average wait (minutes) at one crossing, by month, weekday and hour.

    Null means "no measurement / not applicable" (e.g. commercial lanes at San Ysidro), never 0.
    """

    __tablename__ = "ports_wait_profile"
    __table_args__ = (UniqueConstraint("crossing", "month", "weekday", "hour"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    crossing: Mapped[str] = mapped_column(String(6))
    port_code: Mapped[str] = mapped_column(String(4))
    month: Mapped[int] = mapped_column(Integer)
    weekday: Mapped[int] = mapped_column(Integer)  # 0-6 as CBP writes it (day 0 undocumented)
    hour: Mapped[int] = mapped_column(Integer)
    commercial: Mapped[int | None] = mapped_column(Integer)
    commercial_x: Mapped[int | None] = mapped_column(Integer)
    passenger: Mapped[int | None] = mapped_column(Integer)
    passenger_x: Mapped[int | None] = mapped_column(Integer)
    passenger_ready: Mapped[int | None] = mapped_column(Integer)
    pedestrian: Mapped[int | None] = mapped_column(Integer)
    pedestrian_ready: Mapped[int | None] = mapped_column(Integer)
    import_id: Mapped[int] = mapped_column(ForeignKey("ports_import.id"))


class WaitReading(Base):
    """One reading of CBP's current wait for one lane type of one crossing (JSON API or XML)."""

    __tablename__ = "ports_wait_reading"

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    feed: Mapped[str] = mapped_column(String(20))  # json-api, xml-feed
    crossing: Mapped[str] = mapped_column(String(6))
    port_code: Mapped[str] = mapped_column(String(4))
    crossing_name: Mapped[str | None] = mapped_column(String(100))
    lane_type: Mapped[str] = mapped_column(String(40))
    reading_date: Mapped[date] = mapped_column(Date)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    update_time_text: Mapped[str | None] = mapped_column(String(60))
    port_status: Mapped[str | None] = mapped_column(String(40))
    operational_status: Mapped[str | None] = mapped_column(String(40))  # as read
    delay_minutes: Mapped[int | None] = mapped_column(Integer)  # null: no measurement
    lanes_open: Mapped[int | None] = mapped_column(Integer)
    import_id: Mapped[int] = mapped_column(ForeignKey("ports_import.id"))
    source_row: Mapped[int] = mapped_column(Integer)
