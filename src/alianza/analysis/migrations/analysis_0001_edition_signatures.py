"""joint analysis: each government's signature over a quarter's joint edition

Revision ID: analysis_0001
Revises:
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "analysis_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("analysis",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "analysis_edition_signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.String(length=7), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("node", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("via", sa.String(length=8), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_edition_signature")),
        sa.UniqueConstraint(
            "quarter",
            "country",
            "content_hash",
            name=op.f("uq_analysis_edition_signature_quarter_country_content_hash"),
        ),
    )
    op.create_index(
        op.f("ix_analysis_edition_signature_quarter"),
        "analysis_edition_signature",
        ["quarter"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_analysis_edition_signature_quarter"), table_name="analysis_edition_signature"
    )
    op.drop_table("analysis_edition_signature")
