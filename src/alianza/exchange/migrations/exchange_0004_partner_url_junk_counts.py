"""exchange partner endpoints and junk counts: a trusted partner's registered URL (the only place
packages, alerts and cycle messages are sent), and an hourly counter of junk submissions to the
exchange endpoint (not a package, unknown or bad signature) instead of a row each

Revision ID: exchange_0004
Revises: exchange_0003
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "exchange_0004"
down_revision: str | Sequence[str] | None = "exchange_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("exchange_partner") as batch:
        batch.add_column(sa.Column("url", sa.String(length=500), nullable=True))
    op.create_table(
        "exchange_junk_count",
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("hour", "code", name=op.f("pk_exchange_junk_count")),
    )


def downgrade() -> None:
    op.drop_table("exchange_junk_count")
    with op.batch_alter_table("exchange_partner") as batch:
        batch.drop_column("url")
