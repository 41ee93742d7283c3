"""seizures: validation reports of imports made through the web app and the API

Revision ID: seizures_0002
Revises: seizures_0001
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "seizures_0002"
down_revision: str | Sequence[str] | None = "seizures_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seizure_import_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("profile", sa.String(length=100), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["seizure_import_batch.id"],
            name=op.f("fk_seizure_import_report_batch_id_seizure_import_batch"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_import_report")),
    )
    op.create_index(
        op.f("ix_seizure_import_report_country"),
        "seizure_import_report",
        ["country"],
        unique=False,
    )
    op.create_index(
        op.f("ix_seizure_import_report_created_at"),
        "seizure_import_report",
        ["created_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_seizure_import_report_created_at"), table_name="seizure_import_report")
    op.drop_index(op.f("ix_seizure_import_report_country"), table_name="seizure_import_report")
    op.drop_table("seizure_import_report")
