"""Lane overrides: an officer moves one shipment of a recorded selection to another lane, with a
reason. The assignment keeps who moved it; the audit log keeps from, to, why and when, and is
where the pages and the API read the overrides back. The CLI, the pages and the API all call
:func:`override`. Nothing here needs the ``risk`` extra.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza import audit, refusals
from alianza.accounts.permissions import Permission
from alianza.actors import Actor, acting
from alianza.db import Database
from alianza.risk import messages as words
from alianza.risk.models import Assignment, Selection, Shipment
from alianza.risk.selection import RELEASE

ACTION = "risk.selection.override"


class OverrideRefused(ValueError):
    """The override cannot be made as asked; ``kind`` says why: ``no-reason``,
    ``unknown-lane`` (not one of the selection's lanes, nor release) or ``same-lane``."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def lanes_of(selection: Selection) -> list[str]:
    """The lanes a shipment of ``selection`` may be moved to: its own lanes, and release."""
    return [str(lane["name"]) for lane in selection.lanes] + [RELEASE]


def override(
    database: Database, selection_id: int, reference: str, lane: str, *, actor: Actor, reason: str
) -> dict[str, Any]:
    """Move shipment ``reference`` of selection ``selection_id`` to ``lane``; audited.

    Raises LookupError when the selection or the shipment in it is not held, and
    OverrideRefused when the reason is blank, the lane is not one of the selection's lanes (or
    release), or the shipment is already in that lane. A user needs risk.manage.
    """
    reason = reason.strip()
    if not reason:
        raise OverrideRefused("no-reason", words.OVERRIDE_REASON.said())
    with database.transaction() as session:
        by = acting(session, actor, Permission.RISK_MANAGE)
        selection = session.get(Selection, selection_id)
        if selection is None:
            raise LookupError(refusals.not_found("selection", selection_id))
        allowed = lanes_of(selection)
        if lane not in allowed:
            raise OverrideRefused(
                "unknown-lane",
                words.OVERRIDE_LANE.said(
                    lane=lane, selection=selection_id, lanes=", ".join(allowed)
                ),
            )
        found = session.execute(
            select(Assignment)
            .join(Shipment, Shipment.id == Assignment.shipment_id)
            .where(Assignment.selection_id == selection_id, Shipment.reference == reference)
        ).scalar_one_or_none()
        if found is None:
            raise LookupError(
                words.NOT_IN_SELECTION.said(reference=reference, selection=selection_id)
            )
        before = found.lane
        if before == lane:
            raise OverrideRefused(
                "same-lane", words.OVERRIDE_SAME_LANE.said(reference=reference, lane=lane)
            )
        found.lane = lane
        found.overridden_by = by
        details = {"reference": reference, "from": before, "to": lane, "reason": reason}
        subject = f"risk_selection:{selection_id}"
        entry = audit.record(session, actor=by, action=ACTION, subject=subject, details=details)
        return {
            "selection": selection_id,
            **details,
            "by": by,
            "at": entry.at.isoformat(),
        }


def overrides_of(
    session: Session, selection_id: int, reference: str | None = None
) -> list[dict[str, Any]]:
    """The overrides of a selection (of one shipment), oldest first, from the audit log."""
    entries = session.scalars(
        select(audit.AuditEntry)
        .where(
            audit.AuditEntry.action == ACTION,
            audit.AuditEntry.subject == f"risk_selection:{selection_id}",
        )
        .order_by(audit.AuditEntry.id)
    )
    return [
        {
            "selection": selection_id,
            "reference": e.details["reference"],
            "from": e.details["from"],
            "to": e.details["to"],
            "reason": e.details["reason"],
            "by": e.actor,
            "at": e.at.isoformat(),
        }
        for e in entries
        if reference is None or e.details["reference"] == reference
    ]
