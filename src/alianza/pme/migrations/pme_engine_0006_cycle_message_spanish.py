"""performance-measures engine: the Spanish of why a cycle message was refused or not applied
(rows logged before stay without it and are shown in English)

Revision ID: pme_engine_0006
Revises: pme_engine_0005
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "pme_engine_0006"
down_revision: str | Sequence[str] | None = "pme_engine_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pme_cycle_message_log") as batch:
        batch.add_column(sa.Column("detail_es", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pme_cycle_message_log") as batch:
        batch.drop_column("detail_es")
