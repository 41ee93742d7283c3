"""seizures: no index on superseded_at; hex keys in collation C on PostgreSQL

The index on ``superseded_at`` served no query: current rows, the ones every query asks for,
all share NULL there, and SQLite (which keeps no statistics) took that index for selective,
so the duplicate search walked every earlier event for each new one (hours for a small file
against a million events). The duplicate search and the summaries start from a batch's events,
through the index on ``batch_id`` that seizures_0004 made.

On PostgreSQL the hex digests (record keys, fingerprints, quarantine hashes) are compared byte
by byte (collation "C") rather than by the database's locale: the same values, the same
equality, about half the time to build or search their indexes.

Revision ID: seizures_0005
Revises: seizures_0004
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "seizures_0005"
down_revision: str | Sequence[str] | None = "seizures_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


HEX_KEYS = {
    "seizure_event": ("record_key", "fingerprint"),
    "seizure_aggregate": ("record_key",),
    "seizure_quarantine": ("raw_hash", "raw_key"),
}


def _collate(collation: str | None) -> None:
    """PostgreSQL: the hex key columns under ``collation`` (None: the database's); their
    indexes are built again, the rows are not rewritten (same type)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, names in HEX_KEYS.items():
        for name in names:
            op.alter_column(
                table,
                name,
                existing_type=sa.String(length=64),
                type_=sa.String(length=64, collation=collation),
            )


def upgrade() -> None:
    with op.batch_alter_table("seizure_event") as batch:
        batch.drop_index("ix_seizure_event_superseded_at")
    _collate("C")


def downgrade() -> None:
    _collate(None)
    with op.batch_alter_table("seizure_event") as batch:
        batch.create_index("ix_seizure_event_superseded_at", ["superseded_at"], unique=False)
