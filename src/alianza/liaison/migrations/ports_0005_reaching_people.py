"""ports: notifications through typed channels, ended directory entries, the partner's
directory, severity, priority, expiry and request clocks of alerts

Revision ID: ports_0005
Revises: ports_0004
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ports_0005"
down_revision: str | Sequence[str] | None = "ports_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ports_contact") as batch:
        batch.add_column(sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("ended_by", sa.String(length=200), nullable=True))
    with op.batch_alter_table("ports_alert") as batch:
        batch.add_column(
            sa.Column("severity", sa.String(length=10), nullable=False, server_default="warning")
        )
        batch.add_column(
            sa.Column("priority", sa.String(length=10), nullable=False, server_default="routine")
        )
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("breached_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("delay_reason", sa.Text(), nullable=True))
    op.create_table(
        "ports_notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.String(length=36), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["ports_alert.id"],
            name=op.f("fk_ports_notification_alert_id_ports_alert"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["ports_contact.id"],
            name=op.f("fk_ports_notification_contact_id_ports_contact"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ports_notification")),
    )
    op.create_index(
        op.f("ix_ports_notification_status"), "ports_notification", ["status"], unique=False
    )
    op.create_table(
        "ports_partner_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("shift_start", sa.Time(), nullable=False),
        sa.Column("shift_end", sa.Time(), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["ports_pair.id"],
            name=op.f("fk_ports_partner_entry_pair_id_ports_pair"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ports_partner_entry")),
    )


def downgrade() -> None:
    op.drop_table("ports_partner_entry")
    op.drop_index(op.f("ix_ports_notification_status"), table_name="ports_notification")
    op.drop_table("ports_notification")
    with op.batch_alter_table("ports_alert") as batch:
        for name in ("delay_reason", "breached_at", "due_at", "expires_at", "priority", "severity"):
            batch.drop_column(name)
    with op.batch_alter_table("ports_contact") as batch:
        batch.drop_column("ended_by")
        batch.drop_column("ended_at")
