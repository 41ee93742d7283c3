"""performance-measures engine: target deadlines, named events, recorded judgements

Revision ID: pme_engine_0001
Revises: pme_0001
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "pme_engine_0001"
down_revision: str | Sequence[str] | None = "pme_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pme_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["pme_plan.id"],
            name=op.f("fk_pme_event_plan_id_pme_plan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pme_event")),
    )
    with op.batch_alter_table("pme_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pme_event_key"), ["key"], unique=False)

    op.create_table(
        "pme_deadline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("target_text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("window_start", sa.Date(), nullable=True),
        sa.Column("event_key", sa.String(length=200), nullable=True),
        sa.Column("event_text", sa.Text(), nullable=True),
        sa.Column("offset", sa.String(length=12), nullable=True),
        sa.Column("recurrence", sa.String(length=12), nullable=True),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("phrase", sa.Text(), nullable=True),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["pme_action.id"],
            name=op.f("fk_pme_deadline_action_id_pme_action"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pme_deadline")),
    )
    with op.batch_alter_table("pme_deadline", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pme_deadline_superseded_at"), ["superseded_at"], unique=False
        )

    op.create_table(
        "pme_judgement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("target_position", sa.Integer(), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("completion", sa.String(length=20), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("rating", sa.String(length=20), nullable=True),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["pme_action.id"],
            name=op.f("fk_pme_judgement_action_id_pme_action"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pme_judgement")),
    )


def downgrade() -> None:
    op.drop_table("pme_judgement")
    with op.batch_alter_table("pme_deadline", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pme_deadline_superseded_at"))

    op.drop_table("pme_deadline")
    with op.batch_alter_table("pme_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pme_event_key"))

    op.drop_table("pme_event")
