"""seizures: import batches, events and drug items, aggregate rows, quarantine, duplicate links

Revision ID: seizures_0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "seizures_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("seizures",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seizure_import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("profile", sa.String(length=100), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("extraction_date", sa.Date(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("stats", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_import_batch")),
    )
    op.create_index(
        op.f("ix_seizure_import_batch_sha256"), "seizure_import_batch", ["sha256"], unique=False
    )
    op.create_table(
        "seizure_aggregate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.Column("source_system", sa.String(length=100), nullable=False),
        sa.Column("record_key", sa.String(length=64), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reporting_country", sa.String(length=2), nullable=False),
        sa.Column("reporting_agency", sa.String(length=30), nullable=False),
        sa.Column("component", sa.String(length=100), nullable=False),
        sa.Column("region", sa.String(length=30), nullable=True),
        sa.Column("land_filter", sa.String(length=10), nullable=True),
        sa.Column("area", sa.String(length=100), nullable=True),
        sa.Column("location_type", sa.String(length=30), nullable=False),
        sa.Column("period_month", sa.Date(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("fiscal_year_to_date", sa.Boolean(), nullable=False),
        sa.Column("drug_code", sa.String(length=30), nullable=False),
        sa.Column("drug_reported", sa.Text(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("quantity_reported", sa.String(length=40), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("net_mass_kg", sa.Float(), nullable=True),
        sa.Column("conversion_method", sa.String(length=30), nullable=True),
        sa.Column("conversion_factor", sa.String(length=30), nullable=True),
        sa.Column("flags", sa.Text(), nullable=False),
        sa.Column("record_status", sa.String(length=30), nullable=False),
        sa.Column("releasability", sa.String(length=30), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["seizure_import_batch.id"],
            name=op.f("fk_seizure_aggregate_batch_id_seizure_import_batch"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_aggregate")),
    )
    op.create_index(
        op.f("ix_seizure_aggregate_period_month"),
        "seizure_aggregate",
        ["period_month"],
        unique=False,
    )
    op.create_index(
        op.f("ix_seizure_aggregate_record_key"), "seizure_aggregate", ["record_key"], unique=False
    )
    op.create_index(
        op.f("ix_seizure_aggregate_superseded_at"),
        "seizure_aggregate",
        ["superseded_at"],
        unique=False,
    )
    op.create_table(
        "seizure_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.Column("source_system", sa.String(length=100), nullable=False),
        sa.Column("source_record_id", sa.String(length=200), nullable=False),
        sa.Column("record_key", sa.String(length=64), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reporting_country", sa.String(length=2), nullable=False),
        sa.Column("reporting_agency", sa.String(length=30), nullable=False),
        sa.Column("participating_agencies", sa.Text(), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("event_day", sa.Integer(), nullable=False),
        sa.Column("date_precision", sa.String(length=5), nullable=False),
        sa.Column("location_type", sa.String(length=30), nullable=False),
        sa.Column("port_code", sa.String(length=10), nullable=True),
        sa.Column("area", sa.String(length=100), nullable=True),
        sa.Column("admin_area", sa.String(length=100), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("direction", sa.String(length=30), nullable=False),
        sa.Column("transport_mode", sa.String(length=30), nullable=False),
        sa.Column("conveyance", sa.String(length=30), nullable=False),
        sa.Column("conveyance_other", sa.Text(), nullable=True),
        sa.Column("concealment", sa.Text(), nullable=False),
        sa.Column("concealment_other", sa.Text(), nullable=True),
        sa.Column("detection", sa.Text(), nullable=False),
        sa.Column("record_status", sa.String(length=30), nullable=False),
        sa.Column("releasability", sa.String(length=30), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["seizure_import_batch.id"],
            name=op.f("fk_seizure_event_batch_id_seizure_import_batch"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_event")),
    )
    op.create_index(
        op.f("ix_seizure_event_event_date"), "seizure_event", ["event_date"], unique=False
    )
    op.create_index(
        op.f("ix_seizure_event_fingerprint"), "seizure_event", ["fingerprint"], unique=False
    )
    op.create_index(
        "ix_seizure_event_port_day", "seizure_event", ["port_code", "event_day"], unique=False
    )
    op.create_index(
        op.f("ix_seizure_event_record_key"), "seizure_event", ["record_key"], unique=False
    )
    op.create_index(
        op.f("ix_seizure_event_superseded_at"), "seizure_event", ["superseded_at"], unique=False
    )
    op.create_table(
        "seizure_quarantine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("profile", sa.String(length=100), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.Column("raw_hash", sa.String(length=64), nullable=False),
        sa.Column("raw_key", sa.String(length=64), nullable=True),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("issues", sa.JSON(), nullable=False),
        sa.Column("quarantined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_by_batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["seizure_import_batch.id"],
            name=op.f("fk_seizure_quarantine_batch_id_seizure_import_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["released_by_batch_id"],
            ["seizure_import_batch.id"],
            name=op.f("fk_seizure_quarantine_released_by_batch_id_seizure_import_batch"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_quarantine")),
    )
    op.create_index(
        op.f("ix_seizure_quarantine_raw_hash"), "seizure_quarantine", ["raw_hash"], unique=False
    )
    op.create_index(
        op.f("ix_seizure_quarantine_raw_key"), "seizure_quarantine", ["raw_key"], unique=False
    )
    op.create_index(
        op.f("ix_seizure_quarantine_released_at"),
        "seizure_quarantine",
        ["released_at"],
        unique=False,
    )
    op.create_table(
        "seizure_drug_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.Column("drug_code", sa.String(length=30), nullable=False),
        sa.Column("drug_reported", sa.Text(), nullable=False),
        sa.Column("drug_other", sa.Text(), nullable=True),
        sa.Column("form", sa.String(length=30), nullable=False),
        sa.Column("quantity_reported", sa.String(length=40), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("net_mass_kg", sa.Float(), nullable=True),
        sa.Column("conversion_method", sa.String(length=30), nullable=True),
        sa.Column("conversion_factor", sa.String(length=30), nullable=True),
        sa.Column("is_estimated", sa.Boolean(), nullable=False),
        sa.Column("unit_count", sa.Integer(), nullable=True),
        sa.Column("package_count", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["seizure_event.id"],
            name=op.f("fk_seizure_drug_item_event_id_seizure_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_drug_item")),
    )
    op.create_index(
        op.f("ix_seizure_drug_item_event_id"), "seizure_drug_item", ["event_id"], unique=False
    )
    op.create_table(
        "seizure_duplicate_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("duplicate_of_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["duplicate_of_id"],
            ["seizure_event.id"],
            name=op.f("fk_seizure_duplicate_link_duplicate_of_id_seizure_event"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["seizure_event.id"],
            name=op.f("fk_seizure_duplicate_link_event_id_seizure_event"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_duplicate_link")),
        sa.UniqueConstraint("event_id", name=op.f("uq_seizure_duplicate_link_event_id")),
    )
    op.create_index(
        op.f("ix_seizure_duplicate_link_duplicate_of_id"),
        "seizure_duplicate_link",
        ["duplicate_of_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_seizure_duplicate_link_duplicate_of_id"), table_name="seizure_duplicate_link"
    )
    op.drop_table("seizure_duplicate_link")
    op.drop_index(op.f("ix_seizure_drug_item_event_id"), table_name="seizure_drug_item")
    op.drop_table("seizure_drug_item")
    op.drop_index(op.f("ix_seizure_quarantine_released_at"), table_name="seizure_quarantine")
    op.drop_index(op.f("ix_seizure_quarantine_raw_key"), table_name="seizure_quarantine")
    op.drop_index(op.f("ix_seizure_quarantine_raw_hash"), table_name="seizure_quarantine")
    op.drop_table("seizure_quarantine")
    op.drop_index(op.f("ix_seizure_event_superseded_at"), table_name="seizure_event")
    op.drop_index(op.f("ix_seizure_event_record_key"), table_name="seizure_event")
    op.drop_index("ix_seizure_event_port_day", table_name="seizure_event")
    op.drop_index(op.f("ix_seizure_event_fingerprint"), table_name="seizure_event")
    op.drop_index(op.f("ix_seizure_event_event_date"), table_name="seizure_event")
    op.drop_table("seizure_event")
    op.drop_index(op.f("ix_seizure_aggregate_superseded_at"), table_name="seizure_aggregate")
    op.drop_index(op.f("ix_seizure_aggregate_record_key"), table_name="seizure_aggregate")
    op.drop_index(op.f("ix_seizure_aggregate_period_month"), table_name="seizure_aggregate")
    op.drop_table("seizure_aggregate")
    op.drop_index(op.f("ix_seizure_import_batch_sha256"), table_name="seizure_import_batch")
    op.drop_table("seizure_import_batch")
