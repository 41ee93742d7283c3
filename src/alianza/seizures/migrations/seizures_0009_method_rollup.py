"""seizures: method rollup tables (the summary without the place columns)

Issue 19.

A question by concealment (or location type, transport mode, conveyance) over a region, once
the database has decided the region on the places held (the package's concealment table,
hence the joint analysis), reads no place column, yet no grain without them kept the
concealment: it scanned the summary (0.3 rows a counted event at a million events). The
method rollup tables hold the same totals keyed by
:data:`~alianza.seizures.models.METHOD_ROLLUP_KEYS` (the summary's keys without port, area and
municipality or state); the import keeps them in the same statements as the other grains,
and such questions read them.

Revision ID: seizures_0009
Revises: seizures_0008
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "seizures_0009"
down_revision: str | Sequence[str] | None = "seizures_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYS = (
    "reporting_country",
    "reporting_agency",
    "source_system",
    "releasability",
    "location_type",
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
        sa.Column("concealment", sa.Text(), nullable=False),
        sa.Column("transport_mode", sa.String(length=30), nullable=False),
        sa.Column("conveyance", sa.String(length=30), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "seizure_method_event",
        sa.Column("id", sa.Integer(), nullable=False),
        *_keys(),
        sa.Column("drugs", sa.BigInteger(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_method_event")),
        sa.UniqueConstraint(*KEYS, "drugs", name=op.f("uq_seizure_method_event")),
    )
    op.create_table(
        "seizure_method_item",
        sa.Column("id", sa.Integer(), nullable=False),
        *_keys(),
        sa.Column("drug_code", sa.String(length=30), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("kg", sa.Float(), nullable=False),
        sa.Column("kg_items", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_method_item")),
        sa.UniqueConstraint(*KEYS, "drug_code", name=op.f("uq_seizure_method_item")),
    )
    op.create_table(
        "seizure_method_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        *_keys(),
        sa.Column("drug_code", sa.String(length=30), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("counted", sa.BigInteger(), nullable=False),
        sa.Column("counted_items", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_method_unit")),
        sa.UniqueConstraint(*KEYS, "drug_code", "unit", name=op.f("uq_seizure_method_unit")),
    )
    for name in ("event", "item", "unit"):  # the period filters (a quarter, a year)
        op.create_index(
            op.f(f"ix_seizure_method_{name}_period"),
            f"seizure_method_{name}",
            ["year", "month"],
            unique=False,
        )
    from alianza.seizures.summary import rebuild

    rebuild(op.get_bind(), grains=[3])  # the totals of the events held, at the method grain
    held = op.get_bind().execute(sa.text("SELECT count(*) FROM seizure_method_event")).scalar()
    if held and op.get_bind().dialect.name == "postgresql":  # statistics of the rows made
        op.execute("ANALYZE seizure_method_event, seizure_method_item, seizure_method_unit")


def downgrade() -> None:
    op.drop_table("seizure_method_unit")
    op.drop_table("seizure_method_item")
    op.drop_table("seizure_method_event")
