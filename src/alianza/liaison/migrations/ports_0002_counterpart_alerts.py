"""ports: counterpart directory, alerts, outbox, drills

Revision ID: ports_0002
Revises: ports_0001
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ports_0002"
down_revision: str | Sequence[str] | None = "ports_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ports_inbox",
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_ports_inbox")),
    )
    op.create_table(
        "ports_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("destination", sa.String(length=2), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ports_outbox")),
        sa.UniqueConstraint("message_id", name=op.f("uq_ports_outbox_message_id")),
    )
    with op.batch_alter_table("ports_outbox", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ports_outbox_next_attempt_at"), ["next_attempt_at"], unique=False
        )

    op.create_table(
        "ports_pair",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("us_port_code", sa.String(length=4), nullable=False),
        sa.Column("mx_port_name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ports_pair")),
        sa.UniqueConstraint("us_port_code", name=op.f("uq_ports_pair_us_port_code")),
    )
    op.create_table(
        "ports_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("shift_start", sa.Time(), nullable=False),
        sa.Column("shift_end", sa.Time(), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["ports_pair.id"],
            name=op.f("fk_ports_contact_pair_id_ports_pair"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ports_contact")),
        sa.UniqueConstraint(
            "pair_id", "country", "position", name=op.f("uq_ports_contact_pair_id_country_position")
        ),
    )
    op.create_table(
        "ports_drill",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("seconds_to_answer", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["pair_id"], ["ports_pair.id"], name=op.f("fk_ports_drill_pair_id_ports_pair")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ports_drill")),
    )
    op.create_table(
        "ports_alert",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("from_country", sa.String(length=2), nullable=False),
        sa.Column("to_country", sa.String(length=2), nullable=False),
        sa.Column("template", sa.String(length=40), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("free_text", sa.Text(), nullable=False),
        sa.Column("nominal", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=200), nullable=True),
        sa.Column("escalation_level", sa.Integer(), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["ports_contact.id"],
            name=op.f("fk_ports_alert_contact_id_ports_contact"),
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"], ["ports_pair.id"], name=op.f("fk_ports_alert_pair_id_ports_pair")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ports_alert")),
    )
    op.create_table(
        "ports_alert_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["ports_alert.id"],
            name=op.f("fk_ports_alert_event_alert_id_ports_alert"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["ports_contact.id"],
            name=op.f("fk_ports_alert_event_contact_id_ports_contact"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ports_alert_event")),
    )


def downgrade() -> None:
    op.drop_table("ports_alert_event")
    op.drop_table("ports_alert")
    op.drop_table("ports_drill")
    op.drop_table("ports_contact")
    op.drop_table("ports_pair")
    with op.batch_alter_table("ports_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ports_outbox_next_attempt_at"))

    op.drop_table("ports_outbox")
    op.drop_table("ports_inbox")
