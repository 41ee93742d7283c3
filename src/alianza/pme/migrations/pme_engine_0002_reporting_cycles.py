"""performance-measures engine: reporting cycles, bilingual status texts, workflow, publications

Revision ID: pme_engine_0002
Revises: pme_engine_0001
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "pme_engine_0002"
down_revision: str | Sequence[str] | None = "pme_engine_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pme_cycle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("label_en", sa.Text(), nullable=False),
        sa.Column("label_es", sa.Text(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["pme_plan.id"],
            name=op.f("fk_pme_cycle_plan_id_pme_plan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pme_cycle")),
        sa.UniqueConstraint("plan_id", "key", name=op.f("uq_pme_cycle_plan_id_key")),
    )
    op.create_table(
        "pme_cycle_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=10), nullable=False),
        sa.Column("government", sa.String(length=5), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["pme_cycle.id"],
            name=op.f("fk_pme_cycle_step_cycle_id_pme_cycle"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pme_cycle_step")),
    )
    op.create_table(
        "pme_publication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("published_by", sa.String(length=200), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["pme_cycle.id"],
            name=op.f("fk_pme_publication_cycle_id_pme_cycle"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pme_publication")),
        sa.UniqueConstraint("cycle_id", name=op.f("uq_pme_publication_cycle_id")),
    )
    op.create_table(
        "pme_status_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("government", sa.String(length=5), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("written_by", sa.String(length=200), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["pme_action.id"],
            name=op.f("fk_pme_status_text_action_id_pme_action"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["pme_cycle.id"],
            name=op.f("fk_pme_status_text_cycle_id_pme_cycle"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pme_status_text")),
    )
    with op.batch_alter_table("pme_status_text", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pme_status_text_superseded_at"), ["superseded_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pme_status_text", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pme_status_text_superseded_at"))

    op.drop_table("pme_status_text")
    op.drop_table("pme_publication")
    op.drop_table("pme_cycle_step")
    op.drop_table("pme_cycle")
