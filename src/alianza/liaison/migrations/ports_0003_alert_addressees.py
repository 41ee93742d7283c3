"""ports: the account of a directory contact, the role an alert is addressed to

Revision ID: ports_0003
Revises: ports_0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ports_0003"
down_revision: str | Sequence[str] | None = "ports_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("ports_contact", sa.Column("username", sa.String(length=100), nullable=True))
    op.add_column("ports_alert", sa.Column("addressed_role", sa.String(length=30), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ports_alert") as batch:
        batch.drop_column("addressed_role")
    with op.batch_alter_table("ports_contact") as batch:
        batch.drop_column("username")
