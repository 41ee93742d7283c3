"""cooperation: the government a deliverable belongs to (blank: a joint deliverable)

A node holds its own government's deliverables and the joint ones (issue 14); the column says
which is which. Existing rows stay joint (NULL).

Revision ID: cooperation_0003
Revises: cooperation_0002
Create Date: 2026-12-04 14:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "cooperation_0003"
down_revision: str | Sequence[str] | None = "cooperation_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("coop_deliverable") as batch:
        batch.add_column(sa.Column("country", sa.String(length=2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("coop_deliverable") as batch:
        batch.drop_column("country")
