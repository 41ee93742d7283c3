"""risk targeting: shipments, inspections, models, selections, assignments, rule hits

Revision ID: risk_0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "risk_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("risk",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "risk_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("profile", sa.String(length=50), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_import")),
    )
    op.create_table(
        "risk_model",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("trained_from", sa.Date(), nullable=False),
        sa.Column("trained_to", sa.Date(), nullable=False),
        sa.Column("calibrated_from", sa.Date(), nullable=False),
        sa.Column("calibrated_to", sa.Date(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_model")),
    )
    op.create_table(
        "risk_selection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("batch", sa.Text(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("random_share", sa.Float(), nullable=False),
        sa.Column("lanes", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["model_id"], ["risk_model.id"], name=op.f("fk_risk_selection_model_id_risk_model")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_selection")),
    )
    op.create_table(
        "risk_shipment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("declared_on", sa.Date(), nullable=False),
        sa.Column("port", sa.String(length=50), nullable=False),
        sa.Column("mode", sa.String(length=50), nullable=False),
        sa.Column("declarant", sa.String(length=100), nullable=False),
        sa.Column("importer", sa.String(length=100), nullable=False),
        sa.Column("shipper", sa.String(length=100), nullable=False),
        sa.Column("carrier", sa.String(length=100), nullable=False),
        sa.Column("hs6", sa.String(length=6), nullable=False),
        sa.Column("origin", sa.String(length=2), nullable=False),
        sa.Column("departure", sa.String(length=2), nullable=False),
        sa.Column("net_mass_kg", sa.Float(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("codes", sa.JSON(), nullable=False),
        sa.Column("numbers", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"], ["risk_import.id"], name=op.f("fk_risk_shipment_import_id_risk_import")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_shipment")),
        sa.UniqueConstraint("reference", name=op.f("uq_risk_shipment_reference")),
    )
    with op.batch_alter_table("risk_shipment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_risk_shipment_declared_on"), ["declared_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_risk_shipment_port"), ["port"], unique=False)

    op.create_table(
        "risk_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("selection_id", sa.Integer(), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=False),
        sa.Column("lane", sa.String(length=50), nullable=False),
        sa.Column("reason", sa.String(length=50), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("critical_probability", sa.Float(), nullable=False),
        sa.Column("priority", sa.Float(), nullable=False),
        sa.Column("overridden_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["selection_id"],
            ["risk_selection.id"],
            name=op.f("fk_risk_assignment_selection_id_risk_selection"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["risk_shipment.id"],
            name=op.f("fk_risk_assignment_shipment_id_risk_shipment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_assignment")),
        sa.UniqueConstraint(
            "selection_id", "shipment_id", name=op.f("uq_risk_assignment_selection_id_shipment_id")
        ),
    )
    op.create_table(
        "risk_inspection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=False),
        sa.Column("lane", sa.String(length=50), nullable=False),
        sa.Column("exam_type", sa.String(length=50), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("fraud", sa.Boolean(), nullable=False),
        sa.Column("critical", sa.Boolean(), nullable=False),
        sa.Column("seizure_event_id", sa.String(length=100), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["risk_shipment.id"],
            name=op.f("fk_risk_inspection_shipment_id_risk_shipment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_inspection")),
        sa.UniqueConstraint("shipment_id", name=op.f("uq_risk_inspection_shipment_id")),
    )
    op.create_table(
        "risk_rule_hit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("selection_id", sa.Integer(), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("mandatory", sa.Boolean(), nullable=False),
        sa.Column("lane", sa.String(length=50), nullable=True),
        sa.ForeignKeyConstraint(
            ["selection_id"],
            ["risk_selection.id"],
            name=op.f("fk_risk_rule_hit_selection_id_risk_selection"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["risk_shipment.id"],
            name=op.f("fk_risk_rule_hit_shipment_id_risk_shipment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_rule_hit")),
    )


def downgrade() -> None:
    op.drop_table("risk_rule_hit")
    op.drop_table("risk_inspection")
    op.drop_table("risk_assignment")
    with op.batch_alter_table("risk_shipment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_shipment_port"))
        batch_op.drop_index(batch_op.f("ix_risk_shipment_declared_on"))

    op.drop_table("risk_shipment")
    op.drop_table("risk_selection")
    op.drop_table("risk_model")
    op.drop_table("risk_import")
