"""seizures: summary tables of the counted events (issue 19), back-filled from the events

Revision ID: seizures_0004
Revises: seizures_0003
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "seizures_0004"
down_revision: str | Sequence[str] | None = "seizures_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYS = (
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


def _keys() -> list[sa.Column[Any]]:
    return [
        sa.Column("reporting_country", sa.String(length=2), nullable=False),
        sa.Column("reporting_agency", sa.String(length=30), nullable=False),
        sa.Column("source_system", sa.String(length=100), nullable=False),
        sa.Column("releasability", sa.String(length=30), nullable=False),
        sa.Column("location_type", sa.String(length=30), nullable=False),
        sa.Column("port_code", sa.String(length=10), nullable=False),
        sa.Column("area", sa.String(length=100), nullable=False),
        sa.Column("admin_area", sa.String(length=100), nullable=False),
        sa.Column("concealment", sa.Text(), nullable=False),
        sa.Column("transport_mode", sa.String(length=30), nullable=False),
        sa.Column("conveyance", sa.String(length=30), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_index(op.f("ix_seizure_event_batch_id"), "seizure_event", ["batch_id"], unique=False)
    op.create_table(
        "seizure_summary_event",
        sa.Column("id", sa.Integer(), nullable=False),
        *_keys(),
        sa.Column("drugs", sa.BigInteger(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_summary_event")),
        sa.UniqueConstraint(*KEYS, "drugs", name=op.f("uq_seizure_summary_event")),
    )
    op.create_table(
        "seizure_summary_item",
        sa.Column("id", sa.Integer(), nullable=False),
        *_keys(),
        sa.Column("drug_code", sa.String(length=30), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("kg", sa.Float(), nullable=False),
        sa.Column("kg_items", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_summary_item")),
        sa.UniqueConstraint(*KEYS, "drug_code", name=op.f("uq_seizure_summary_item")),
    )
    op.create_table(
        "seizure_summary_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        *_keys(),
        sa.Column("drug_code", sa.String(length=30), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("counted", sa.BigInteger(), nullable=False),
        sa.Column("counted_items", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_summary_unit")),
        sa.UniqueConstraint(*KEYS, "drug_code", "unit", name=op.f("uq_seizure_summary_unit")),
    )
    for name in ("event", "item", "unit"):  # the period filters (a quarter, a year)
        op.create_index(
            op.f(f"ix_seizure_summary_{name}_period"),
            f"seizure_summary_{name}",
            ["year", "month"],
            unique=False,
        )
    from alianza.seizures.summary import rebuild  # the totals of the events held

    rebuild(op.get_bind(), grains=[0])  # the summary's grain (the rollups: seizures_0006)


def downgrade() -> None:
    op.drop_table("seizure_summary_unit")
    op.drop_table("seizure_summary_item")
    op.drop_table("seizure_summary_event")
    op.drop_index(op.f("ix_seizure_event_batch_id"), table_name="seizure_event")
