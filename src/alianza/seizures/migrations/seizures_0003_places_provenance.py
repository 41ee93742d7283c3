"""seizures: places (INEGI codes) on published rows, counts that are not reported, provenance

Revision ID: seizures_0003
Revises: seizures_0002
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "seizures_0003"
down_revision: str | Sequence[str] | None = "seizures_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("seizure_aggregate") as batch:
        batch.add_column(sa.Column("state", sa.String(length=2), nullable=True))
        batch.add_column(sa.Column("municipality", sa.String(length=5), nullable=True))
        batch.alter_column("events", existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table("seizure_import_batch") as batch:
        batch.add_column(sa.Column("provenance", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("seizure_import_batch") as batch:
        batch.drop_column("provenance")
    with op.batch_alter_table("seizure_aggregate") as batch:
        batch.alter_column("events", existing_type=sa.Integer(), nullable=False)
        batch.drop_column("municipality")
        batch.drop_column("state")
