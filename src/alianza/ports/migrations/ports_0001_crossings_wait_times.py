"""ports: crossings, wait times, quarantine

Revision ID: ports_0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ports_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("ports",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ports_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("stats", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ports_import")),
    )
    with op.batch_alter_table("ports_import", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ports_import_sha256"), ["sha256"], unique=False)

    op.create_table(
        "ports_crossing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("port_code", sa.String(length=4), nullable=False),
        sa.Column("port_name", sa.String(length=100), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("measure", sa.String(length=40), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["ports_import.id"],
            name=op.f("fk_ports_crossing_import_id_ports_import"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ports_crossing")),
        sa.UniqueConstraint(
            "port_code", "month", "measure", name=op.f("uq_ports_crossing_port_code_month_measure")
        ),
    )
    op.create_table(
        "ports_quarantine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("codes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["ports_import.id"],
            name=op.f("fk_ports_quarantine_import_id_ports_import"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ports_quarantine")),
        sa.UniqueConstraint(
            "file_sha256", "source_row", name=op.f("uq_ports_quarantine_file_sha256_source_row")
        ),
    )
    op.create_table(
        "ports_wait_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("crossing", sa.String(length=6), nullable=False),
        sa.Column("port_code", sa.String(length=4), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("commercial", sa.Integer(), nullable=True),
        sa.Column("commercial_x", sa.Integer(), nullable=True),
        sa.Column("passenger", sa.Integer(), nullable=True),
        sa.Column("passenger_x", sa.Integer(), nullable=True),
        sa.Column("passenger_ready", sa.Integer(), nullable=True),
        sa.Column("pedestrian", sa.Integer(), nullable=True),
        sa.Column("pedestrian_ready", sa.Integer(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["ports_import.id"],
            name=op.f("fk_ports_wait_profile_import_id_ports_import"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ports_wait_profile")),
        sa.UniqueConstraint(
            "crossing",
            "month",
            "weekday",
            "hour",
            name=op.f("uq_ports_wait_profile_crossing_month_weekday_hour"),
        ),
    )
    op.create_table(
        "ports_wait_reading",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("feed", sa.String(length=20), nullable=False),
        sa.Column("crossing", sa.String(length=6), nullable=False),
        sa.Column("port_code", sa.String(length=4), nullable=False),
        sa.Column("crossing_name", sa.String(length=100), nullable=True),
        sa.Column("lane_type", sa.String(length=40), nullable=False),
        sa.Column("reading_date", sa.Date(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("update_time_text", sa.String(length=60), nullable=True),
        sa.Column("port_status", sa.String(length=40), nullable=True),
        sa.Column("operational_status", sa.String(length=40), nullable=True),
        sa.Column("delay_minutes", sa.Integer(), nullable=True),
        sa.Column("lanes_open", sa.Integer(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["ports_import.id"],
            name=op.f("fk_ports_wait_reading_import_id_ports_import"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ports_wait_reading")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_ports_wait_reading_fingerprint")),
    )


def downgrade() -> None:
    op.drop_table("ports_wait_reading")
    op.drop_table("ports_wait_profile")
    op.drop_table("ports_quarantine")
    op.drop_table("ports_crossing")
    with op.batch_alter_table("ports_import", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ports_import_sha256"))

    op.drop_table("ports_import")
