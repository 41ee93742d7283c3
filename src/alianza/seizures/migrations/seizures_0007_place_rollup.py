"""seizures: place rollup tables (the summary without location type, concealment, transport
and conveyance), the summary rebuilds' log

Issue 19.

The questions of a place (the map by port and area, totals by port, the exchange's
common-border and location tables, hence the joint analysis) read the place columns but
none of location type, concealment, transport mode or conveyance, so they scanned the whole
summary (0.3 rows a counted event at a million events). The place rollup tables hold the same
totals keyed by :data:`~alianza.seizures.models.PLACE_ROLLUP_KEYS` only; the import keeps them
in the same statements as the summary and the rollup, and such questions read them.

``seizure_summary_rebuild``: a row for each ``alianza seizures summary-rebuild``; the pages'
kept totals are keyed by the data version of the import batches and of this table, so a
rebuild (which changes the totals without an import) is not hidden behind totals kept before.

Revision ID: seizures_0007
Revises: seizures_0006
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "seizures_0007"
down_revision: str | Sequence[str] | None = "seizures_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYS = (
    "reporting_country",
    "reporting_agency",
    "source_system",
    "releasability",
    "port_code",
    "area",
    "admin_area",
    "year",
    "month",
)


def _keys() -> list[sa.Column[Any]]:
    return [
        sa.Column("reporting_country", sa.String(length=2), nullable=False),
        sa.Column("reporting_agency", sa.String(length=30), nullable=False),
        sa.Column("source_system", sa.String(length=100), nullable=False),
        sa.Column("releasability", sa.String(length=30), nullable=False),
        sa.Column("port_code", sa.String(length=10), nullable=False),
        sa.Column("area", sa.String(length=100), nullable=False),
        sa.Column("admin_area", sa.String(length=100), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "seizure_summary_rebuild",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rebuilt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_summary_rebuild")),
    )
    op.create_table(
        "seizure_place_event",
        sa.Column("id", sa.Integer(), nullable=False),
        *_keys(),
        sa.Column("drugs", sa.BigInteger(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_place_event")),
        sa.UniqueConstraint(*KEYS, "drugs", name=op.f("uq_seizure_place_event")),
    )
    op.create_table(
        "seizure_place_item",
        sa.Column("id", sa.Integer(), nullable=False),
        *_keys(),
        sa.Column("drug_code", sa.String(length=30), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("kg", sa.Float(), nullable=False),
        sa.Column("kg_items", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_place_item")),
        sa.UniqueConstraint(*KEYS, "drug_code", name=op.f("uq_seizure_place_item")),
    )
    op.create_table(
        "seizure_place_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        *_keys(),
        sa.Column("drug_code", sa.String(length=30), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("counted", sa.BigInteger(), nullable=False),
        sa.Column("counted_items", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_place_unit")),
        sa.UniqueConstraint(*KEYS, "drug_code", "unit", name=op.f("uq_seizure_place_unit")),
    )
    for name in ("event", "item", "unit"):  # the period filters (a quarter, a year)
        op.create_index(
            op.f(f"ix_seizure_place_{name}_period"),
            f"seizure_place_{name}",
            ["year", "month"],
            unique=False,
        )
    from alianza.seizures.summary import rebuild

    rebuild(op.get_bind(), grains=[2])  # the totals of the events held, at the place grain
    held = op.get_bind().execute(sa.text("SELECT count(*) FROM seizure_place_event")).scalar()
    if held and op.get_bind().dialect.name == "postgresql":  # statistics of the rows made
        op.execute("ANALYZE seizure_place_event, seizure_place_item, seizure_place_unit")


def downgrade() -> None:
    op.drop_table("seizure_place_unit")
    op.drop_table("seizure_place_item")
    op.drop_table("seizure_place_event")
    op.drop_table("seizure_summary_rebuild")
