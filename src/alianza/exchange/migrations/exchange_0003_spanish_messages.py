"""exchange messages in Spanish: a refusal's message code and Spanish text, an event's Spanish
detail (rows written before stay without them and are shown in English)

Revision ID: exchange_0003
Revises: exchange_0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "exchange_0003"
down_revision: str | Sequence[str] | None = "exchange_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("exchange_refusal") as batch:
        batch.add_column(sa.Column("reason", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("message_es", sa.Text(), nullable=True))
    with op.batch_alter_table("exchange_event") as batch:
        batch.add_column(sa.Column("detail_es", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("exchange_event") as batch:
        batch.drop_column("detail_es")
    with op.batch_alter_table("exchange_refusal") as batch:
        batch.drop_column("message_es")
        batch.drop_column("reason")
