"""Tables of the performance-measures package (prefix ``pme_``).

Cells are versioned, never overwritten: each column of an action (its text, baseline,
targets, measurements, status) in each language is a chain of :class:`CellVersion` rows; the
current one has ``superseded_at`` null. Status cells are further keyed by their as-of date, so
every reporting date keeps its own snapshot.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from alianza.db.base import Base


class Plan(Base):
    __tablename__ = "pme_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    alliance_points: Mapped[list[AlliancePointRow]] = relationship(
        back_populates="plan", order_by="AlliancePointRow.position"
    )


class AlliancePointRow(Base):
    __tablename__ = "pme_alliance_point"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("pme_plan.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    title_en: Mapped[str | None] = mapped_column(Text)
    title_es: Mapped[str | None] = mapped_column(Text)

    plan: Mapped[Plan] = relationship(back_populates="alliance_points")
    actions: Mapped[list[ActionRow]] = relationship(
        back_populates="alliance_point", order_by="ActionRow.position"
    )


class ActionRow(Base):
    __tablename__ = "pme_action"
    __table_args__ = (UniqueConstraint("alliance_point_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_point_id: Mapped[int] = mapped_column(
        ForeignKey("pme_alliance_point.id", ondelete="CASCADE")
    )
    number: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("pme_action.id"))
    position: Mapped[int] = mapped_column(Integer)

    alliance_point: Mapped[AlliancePointRow] = relationship(back_populates="actions")
    parent: Mapped[ActionRow | None] = relationship(remote_side=[id])


class ReportImport(Base):
    """One import of a report file that changed something."""

    __tablename__ = "pme_report_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("pme_plan.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    language: Mapped[str] = mapped_column(String(2))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    summary: Mapped[dict[str, object]] = mapped_column(JSON)


class CellVersion(Base):
    __tablename__ = "pme_cell_version"
    __table_args__ = (UniqueConstraint("action_id", "column", "language", "as_of", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("pme_action.id", ondelete="CASCADE"))
    column: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(2))
    # Baseline: its as-of date; status: the reporting date (part of the key); else null.
    as_of: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("pme_report_import.id"))
    source_line: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)

    paragraphs: Mapped[list[ParagraphRow]] = relationship(
        order_by="ParagraphRow.position", cascade="all, delete-orphan"
    )


class ParagraphRow(Base):
    __tablename__ = "pme_paragraph"
    __table_args__ = (UniqueConstraint("cell_version_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cell_version_id: Mapped[int] = mapped_column(
        ForeignKey("pme_cell_version.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(Integer)  # 1-based, as in "10.2/status/5"
    markup: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
