"""joint analysis: computed results shared between workers, keyed by data version

Revision ID: analysis_0002
Revises: analysis_0001
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "analysis_0002"
down_revision: str | Sequence[str] | None = "analysis_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "analysis_kept_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("version", sa.String(length=400), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_kept_result")),
        sa.UniqueConstraint(
            "kind", "key", "version", name=op.f("uq_analysis_kept_result_kind_key_version")
        ),
    )


def downgrade() -> None:
    op.drop_table("analysis_kept_result")
