"""seizures: each item's port and day, and the near-match index on them

Issue 19.

The near-match duplicate search (``alianza.seizures.dedupe.near_candidates``) walked every
earlier event of a new event's port within a day and then its items: at ten million events
(11 ports, about 410 events a port and day) some 1,200 events for each new one, and a 2 %
second source did not finish in an hour. Each item now carries its event's port and day (an
event's port and day never change: a revision is a new event), and the partial index
``ix_seizure_drug_item_near`` on (port, drug, day, kilograms) finds the near items by seeking.

Existing items get their event's port and day here (one ``UPDATE … FROM``).

Revision ID: seizures_0008
Revises: seizures_0007
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "seizures_0008"
down_revision: str | Sequence[str] | None = "seizures_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHERE = "port_code IS NOT NULL AND net_mass_kg IS NOT NULL"


def upgrade() -> None:
    op.add_column("seizure_drug_item", sa.Column("port_code", sa.String(10), nullable=True))
    op.add_column("seizure_drug_item", sa.Column("event_day", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE seizure_drug_item SET port_code = e.port_code, event_day = e.event_day "
        "FROM seizure_event AS e WHERE e.id = seizure_drug_item.event_id"
    )
    op.create_index(
        "ix_seizure_drug_item_near",
        "seizure_drug_item",
        ["port_code", "drug_code", "event_day", "net_mass_kg"],
        sqlite_where=sa.text(WHERE),
        postgresql_where=sa.text(WHERE),
    )


def downgrade() -> None:
    op.drop_index("ix_seizure_drug_item_near", table_name="seizure_drug_item")
    with op.batch_alter_table("seizure_drug_item") as batch:
        batch.drop_column("event_day")
        batch.drop_column("port_code")
