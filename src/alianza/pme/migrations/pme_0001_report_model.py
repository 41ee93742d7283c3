"""performance measures: plans, Alliance Points, actions, versioned cells

Revision ID: pme_0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "pme_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("pme",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pme_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pme_plan")),
        sa.UniqueConstraint("key", name=op.f("uq_pme_plan_key")),
    )
    op.create_table(
        "pme_alliance_point",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=True),
        sa.Column("title_es", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["pme_plan.id"],
            name=op.f("fk_pme_alliance_point_plan_id_pme_plan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pme_alliance_point")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_pme_alliance_point_plan_id_number")),
    )
    op.create_table(
        "pme_report_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["pme_plan.id"],
            name=op.f("fk_pme_report_import_plan_id_pme_plan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pme_report_import")),
    )
    with op.batch_alter_table("pme_report_import", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pme_report_import_sha256"), ["sha256"], unique=False)

    op.create_table(
        "pme_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alliance_point_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alliance_point_id"],
            ["pme_alliance_point.id"],
            name=op.f("fk_pme_action_alliance_point_id_pme_alliance_point"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["pme_action.id"], name=op.f("fk_pme_action_parent_id_pme_action")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pme_action")),
        sa.UniqueConstraint(
            "alliance_point_id", "number", name=op.f("uq_pme_action_alliance_point_id_number")
        ),
    )
    op.create_table(
        "pme_cell_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("source_line", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["pme_action.id"],
            name=op.f("fk_pme_cell_version_action_id_pme_action"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["pme_report_import.id"],
            name=op.f("fk_pme_cell_version_import_id_pme_report_import"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pme_cell_version")),
        sa.UniqueConstraint(
            "action_id",
            "column",
            "language",
            "as_of",
            "version",
            name=op.f("uq_pme_cell_version_action_id_column_language_as_of_version"),
        ),
    )
    with op.batch_alter_table("pme_cell_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pme_cell_version_superseded_at"), ["superseded_at"], unique=False
        )

    op.create_table(
        "pme_paragraph",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cell_version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("markup", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cell_version_id"],
            ["pme_cell_version.id"],
            name=op.f("fk_pme_paragraph_cell_version_id_pme_cell_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pme_paragraph")),
        sa.UniqueConstraint(
            "cell_version_id", "position", name=op.f("uq_pme_paragraph_cell_version_id_position")
        ),
    )


def downgrade() -> None:
    op.drop_table("pme_paragraph")
    with op.batch_alter_table("pme_cell_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pme_cell_version_superseded_at"))

    op.drop_table("pme_cell_version")
    op.drop_table("pme_action")
    with op.batch_alter_table("pme_report_import", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pme_report_import_sha256"))

    op.drop_table("pme_report_import")
    op.drop_table("pme_alliance_point")
    op.drop_table("pme_plan")
