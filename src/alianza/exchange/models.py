"""Tables of the exchange package (prefix ``exchange_``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from alianza.db.base import Base


class Partner(Base):
    """A partner node whose public key this node trusts."""

    __tablename__ = "exchange_partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    public_key: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # the partner node's base URL (https://…; http:// only to loopback): the one destination of
    # packages and alerts for this partner; None before exchange_0004 or when not registered
    url: Mapped[str | None] = mapped_column(String(500))


class Package(Base):
    """A package this node built (outbound) or received from a partner (inbound)."""

    __tablename__ = "exchange_package"
    __table_args__ = (
        UniqueConstraint("direction", "sha256"),
        Index("ix_exchange_package_quarter", "direction", "country", "quarter", "period_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[str] = mapped_column(String(8))  # outbound | inbound
    node: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    fingerprint: Mapped[str] = mapped_column(String(64))
    quarter: Mapped[str] = mapped_column(String(7))
    period_kind: Mapped[str] = mapped_column(String(8))
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    extracted_at: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    coverage: Mapped[dict[str, Any]] = mapped_column(JSON)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Observation(Base):
    """One observation of a package's table."""

    __tablename__ = "exchange_observation"

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(
        ForeignKey("exchange_package.id", ondelete="CASCADE"), index=True
    )
    table: Mapped[str] = mapped_column(String(40))
    ref_area: Mapped[str] = mapped_column(String(10))
    drug: Mapped[str] = mapped_column(String(40))
    location: Mapped[str] = mapped_column(String(60))
    concealment: Mapped[str] = mapped_column(String(40))
    transport_mode: Mapped[str] = mapped_column(String(40))
    measure: Mapped[str] = mapped_column(String(20))
    # EVENT, KG or a counted unit (TABLET...); None: stored before exchange_0005 (the measure's)
    unit_measure: Mapped[str | None] = mapped_column(String(20))
    time_period: Mapped[str] = mapped_column(String(7))
    value: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(1))


class Event(Base):
    """The exchange log: built, sent, received, acknowledged."""

    __tablename__ = "exchange_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int | None] = mapped_column(ForeignKey("exchange_package.id"))
    country: Mapped[str] = mapped_column(String(2))
    quarter: Mapped[str] = mapped_column(String(7))
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    detail: Mapped[str] = mapped_column(Text, default="")
    detail_es: Mapped[str | None] = mapped_column(Text)  # None: logged before exchange_0003


class Refusal(Base):
    """A package this node refused, and why. Only facts about the refused bytes are kept (never
    their content); the claimed node and quarter are read from the descriptor if it parses and
    are NOT verified."""

    __tablename__ = "exchange_refusal"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    source: Mapped[str] = mapped_column(String(40))  # endpoint | upload | file
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    # the message's own code and Spanish text (alianza.exchange.messages); None before exchange_0003
    reason: Mapped[str | None] = mapped_column(String(40))
    message_es: Mapped[str | None] = mapped_column(Text)
    claimed_node: Mapped[str | None] = mapped_column(String(200))
    claimed_country: Mapped[str | None] = mapped_column(String(2))
    claimed_quarter: Mapped[str | None] = mapped_column(String(7))


class JunkCount(Base):
    """Junk submissions to the exchange endpoint (not a package, unsigned, unknown or bad
    signature) refused in one clock hour, by refusal code: counted, not logged one by one, so
    a flood cannot bury the real refusals."""

    __tablename__ = "exchange_junk_count"

    hour: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
