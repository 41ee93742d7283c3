"""exchange observations carry their unit of measure (UNIT_MEASURE: EVENT, KG, or a counted
unit such as TABLET); rows stored before keep None, meaning their measure's own unit

Revision ID: exchange_0005
Revises: exchange_0004
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "exchange_0005"
down_revision: str | Sequence[str] | None = "exchange_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("exchange_observation") as batch:
        batch.add_column(sa.Column("unit_measure", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("exchange_observation") as batch:
        batch.drop_column("unit_measure")
