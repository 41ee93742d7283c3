"""performance-measures engine: governments' approvals of translated plan text

Revision ID: pme_engine_0003
Revises: pme_engine_0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "pme_engine_0003"
down_revision: str | Sequence[str] | None = "pme_engine_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pme_translation_approval",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cell_version_id", sa.Integer(), nullable=False),
        sa.Column("government", sa.String(length=5), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cell_version_id"],
            ["pme_cell_version.id"],
            name=op.f("fk_pme_translation_approval_cell_version_id_pme_cell_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pme_translation_approval")),
        sa.UniqueConstraint(
            "cell_version_id",
            "government",
            name=op.f("uq_pme_translation_approval_cell_version_id_government"),
        ),
    )


def downgrade() -> None:
    op.drop_table("pme_translation_approval")
