"""Tables of the joint analysis (prefix ``analysis_``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from alianza.db.base import Base
from alianza.db.kept import KeptResult  # the table analysis_0002 made, now shared

__all__ = ["EditionSignatureRow", "KeptResult"]


class EditionSignatureRow(Base):
    """A government's signature over the content hash of a quarter's joint edition: this
    node's own, or the partner's as it arrived (a cycle message or a file), verified."""

    __tablename__ = "analysis_edition_signature"
    __table_args__ = (UniqueConstraint("quarter", "country", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quarter: Mapped[str] = mapped_column(String(7), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    country: Mapped[str] = mapped_column(String(2))
    node: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)  # the signature as signed
    via: Mapped[str] = mapped_column(String(8))  # own | message | file
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
