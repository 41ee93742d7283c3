"""ports: publications of this side's directory to the partner (published again automatically
when the directory changes)

Revision ID: ports_0006
Revises: ports_0005
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ports_0006"
down_revision: str | Sequence[str] | None = "ports_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ports_directory_publication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(length=200), nullable=False),
        sa.Column("forced", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ports_directory_publication")),
    )
    op.create_index(
        op.f("ix_ports_directory_publication_country"),
        "ports_directory_publication",
        ["country"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_ports_directory_publication_country"), table_name="ports_directory_publication"
    )
    op.drop_table("ports_directory_publication")
