"""exchange refusals: packages refused, with the reason

Revision ID: exchange_0002
Revises: exchange_0001
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "exchange_0002"
down_revision: str | Sequence[str] | None = "exchange_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exchange_refusal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("claimed_node", sa.String(length=200), nullable=True),
        sa.Column("claimed_country", sa.String(length=2), nullable=True),
        sa.Column("claimed_quarter", sa.String(length=7), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_refusal")),
    )
    op.create_index(op.f("ix_exchange_refusal_at"), "exchange_refusal", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_exchange_refusal_at"), table_name="exchange_refusal")
    op.drop_table("exchange_refusal")
