"""seizures: rollup tables (the summary without place and concealment), the current sources index

Issue 19.

The summary tables keep every distinction a total makes (13 event columns and the month), so a
question that reads no place or concealment still scans all their rows (0.3 a counted event at
a million events). The rollup tables hold the same totals keyed by
:data:`~alianza.seizures.models.ROLLUP_KEYS` only; the import keeps them in the same
statements as the summary, and such questions read them.

``ix_seizure_event_current_source``: the import batches and source systems of the current
events (a partial index, ``superseded_at IS NULL``, on both backends), which
:func:`alianza.seizures.overview.data_sources` reads by seeking from one pair to the next
instead of grouping every event (7 s of a quarter's exchange tables at a million events on
SQLite).

Revision ID: seizures_0006
Revises: seizures_0005
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "seizures_0006"
down_revision: str | Sequence[str] | None = "seizures_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYS = (
    "reporting_country",
    "reporting_agency",
    "source_system",
    "releasability",
    "location_type",
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
        sa.Column("transport_mode", sa.String(length=30), nullable=False),
        sa.Column("conveyance", sa.String(length=30), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
    ]


CURRENT = "superseded_at IS NULL"


def upgrade() -> None:
    op.create_index(
        op.f("ix_seizure_event_current_source"),
        "seizure_event",
        ["batch_id", "source_system"],
        unique=False,
        sqlite_where=sa.text(CURRENT),
        postgresql_where=sa.text(CURRENT),
    )
    op.create_table(
        "seizure_rollup_event",
        sa.Column("id", sa.Integer(), nullable=False),
        *_keys(),
        sa.Column("drugs", sa.BigInteger(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_rollup_event")),
        sa.UniqueConstraint(*KEYS, "drugs", name=op.f("uq_seizure_rollup_event")),
    )
    op.create_table(
        "seizure_rollup_item",
        sa.Column("id", sa.Integer(), nullable=False),
        *_keys(),
        sa.Column("drug_code", sa.String(length=30), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("kg", sa.Float(), nullable=False),
        sa.Column("kg_items", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_rollup_item")),
        sa.UniqueConstraint(*KEYS, "drug_code", name=op.f("uq_seizure_rollup_item")),
    )
    op.create_table(
        "seizure_rollup_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        *_keys(),
        sa.Column("drug_code", sa.String(length=30), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("counted", sa.BigInteger(), nullable=False),
        sa.Column("counted_items", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_rollup_unit")),
        sa.UniqueConstraint(*KEYS, "drug_code", "unit", name=op.f("uq_seizure_rollup_unit")),
    )
    for name in ("event", "item", "unit"):  # the period filters (a quarter, a year)
        op.create_index(
            op.f(f"ix_seizure_rollup_{name}_period"),
            f"seizure_rollup_{name}",
            ["year", "month"],
            unique=False,
        )
    from alianza.seizures.summary import rebuild

    rebuild(op.get_bind(), grains=[1])  # the totals of the events held, at the rollup grain
    held = op.get_bind().execute(sa.text("SELECT count(*) FROM seizure_rollup_event")).scalar()
    if held and op.get_bind().dialect.name == "postgresql":  # statistics of the rows made
        op.execute("ANALYZE seizure_rollup_event, seizure_rollup_item, seizure_rollup_unit")


def downgrade() -> None:
    op.drop_table("seizure_rollup_unit")
    op.drop_table("seizure_rollup_item")
    op.drop_table("seizure_rollup_event")
    op.drop_index(op.f("ix_seizure_event_current_source"), table_name="seizure_event")
