"""risk targeting: rules and watchlists in the database, quarantine, retraining schedule

Revision ID: risk_0002
Revises: risk_0001
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "risk_0002"
down_revision: str | Sequence[str] | None = "risk_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _entry_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("expires", sa.Date(), nullable=True),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("mandatory", sa.Boolean(), nullable=False),
        sa.Column("lane", sa.String(length=50), nullable=True),
    ]


def _kept_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired_by", sa.String(length=200), nullable=True),
        sa.Column("retired_reason", sa.Text(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "risk_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *_entry_columns(),
        sa.Column("conditions", sa.JSON(), nullable=False),
        *_kept_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_rule")),
        sa.UniqueConstraint("code", "version", name=op.f("uq_risk_rule_code_version")),
    )
    with op.batch_alter_table("risk_rule", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_rule_code"), ["code"], unique=False)
    op.create_table(
        "risk_watchlist_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("watchlist", sa.String(length=100), nullable=False),
        sa.Column("column", sa.String(length=50), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *_entry_columns(),
        *_kept_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_watchlist_entry")),
        sa.UniqueConstraint(
            "watchlist",
            "value",
            "version",
            name=op.f("uq_risk_watchlist_entry_watchlist_value_version"),
        ),
    )
    with op.batch_alter_table("risk_watchlist_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_risk_watchlist_entry_watchlist"), ["watchlist"], unique=False
        )
    op.create_table(
        "risk_quarantine",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("profile", sa.String(length=50), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("raw_hash", sa.String(length=64), nullable=False),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("issues", sa.JSON(), nullable=False),
        sa.Column("quarantined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_by_import_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"], ["risk_import.id"], name=op.f("fk_risk_quarantine_import_id_risk_import")
        ),
        sa.ForeignKeyConstraint(
            ["released_by_import_id"],
            ["risk_import.id"],
            name=op.f("fk_risk_quarantine_released_by_import_id_risk_import"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_quarantine")),
    )
    with op.batch_alter_table("risk_quarantine", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_quarantine_raw_hash"), ["raw_hash"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_risk_quarantine_reference"), ["reference"], unique=False
        )
    op.create_table(
        "risk_schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("every_days", sa.Integer(), nullable=False),
        sa.Column("min_new_labels", sa.Integer(), nullable=False),
        sa.Column("calibration_days", sa.Integer(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_schedule")),
    )
    op.create_table(
        "risk_model_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("labels", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.String(length=100), nullable=False),
        sa.Column("evaluation", sa.JSON(), nullable=False),
        sa.Column("drift", sa.JSON(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by", sa.String(length=200), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["model_id"], ["risk_model.id"], name=op.f("fk_risk_model_record_model_id_risk_model")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_model_record")),
        sa.UniqueConstraint("model_id", name=op.f("uq_risk_model_record_model_id")),
    )


def downgrade() -> None:
    op.drop_table("risk_model_record")
    op.drop_table("risk_schedule")
    with op.batch_alter_table("risk_quarantine", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_quarantine_reference"))
        batch_op.drop_index(batch_op.f("ix_risk_quarantine_raw_hash"))
    op.drop_table("risk_quarantine")
    with op.batch_alter_table("risk_watchlist_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_watchlist_entry_watchlist"))
    op.drop_table("risk_watchlist_entry")
    with op.batch_alter_table("risk_rule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_rule_code"))
    op.drop_table("risk_rule")
