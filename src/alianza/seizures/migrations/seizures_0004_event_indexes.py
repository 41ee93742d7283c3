"""seizures: events indexed by their import batch; no index on superseded_at

The index on ``superseded_at`` served no query: current rows, the ones every query asks for,
all share NULL there, and SQLite (which keeps no statistics) took that index for selective,
so the duplicate search walked every earlier event for each new one (hours for a small file
against a million events). The duplicate search and the summaries start from a batch's events:
they get an index on ``batch_id`` instead.

Revision ID: seizures_0004_event_indexes
Revises: seizures_0003
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "seizures_0004_event_indexes"
down_revision: str | Sequence[str] | None = "seizures_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("seizure_event") as batch:
        batch.drop_index("ix_seizure_event_superseded_at")
        batch.create_index("ix_seizure_event_batch_id", ["batch_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("seizure_event") as batch:
        batch.drop_index("ix_seizure_event_batch_id")
        batch.create_index("ix_seizure_event_superseded_at", ["superseded_at"], unique=False)
