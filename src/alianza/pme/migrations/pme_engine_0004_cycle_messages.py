"""performance-measures engine: reporting cycles across two nodes: who acted (account and
government) on steps and texts, edition signatures, the cycle-message outbox and arrival log

Revision ID: pme_engine_0004
Revises: pme_engine_0003
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "pme_engine_0004"
down_revision: str | Sequence[str] | None = "pme_engine_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pme_status_text") as batch:
        batch.add_column(sa.Column("writer_account", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("writer_country", sa.String(length=2), nullable=True))
    with op.batch_alter_table("pme_cycle_step") as batch:
        batch.add_column(sa.Column("account", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("country", sa.String(length=2), nullable=True))
    op.create_table(
        "pme_edition_signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("node", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["pme_cycle.id"],
            name=op.f("fk_pme_edition_signature_cycle_id_pme_cycle"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pme_edition_signature")),
        sa.UniqueConstraint(
            "cycle_id",
            "country",
            "sha256",
            name=op.f("uq_pme_edition_signature_cycle_id_country_sha256"),
        ),
    )
    op.create_table(
        "pme_cycle_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("destination", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pme_cycle_outbox")),
        sa.UniqueConstraint("message_id", name=op.f("uq_pme_cycle_outbox_message_id")),
    )
    op.create_index(op.f("ix_pme_cycle_outbox_delivered_at"), "pme_cycle_outbox", ["delivered_at"])
    op.create_table(
        "pme_cycle_message_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=True),
        sa.Column("sender", sa.String(length=2), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pme_cycle_message_log")),
    )
    op.create_index(
        op.f("ix_pme_cycle_message_log_message_id"), "pme_cycle_message_log", ["message_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_pme_cycle_message_log_message_id"), "pme_cycle_message_log")
    op.drop_table("pme_cycle_message_log")
    op.drop_index(op.f("ix_pme_cycle_outbox_delivered_at"), "pme_cycle_outbox")
    op.drop_table("pme_cycle_outbox")
    op.drop_table("pme_edition_signature")
    with op.batch_alter_table("pme_cycle_step") as batch:
        batch.drop_column("country")
        batch.drop_column("account")
    with op.batch_alter_table("pme_status_text") as batch:
        batch.drop_column("writer_country")
        batch.drop_column("writer_account")
