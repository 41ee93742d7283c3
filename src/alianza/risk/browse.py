"""Read-only views of what the node holds, for the pages and the API: selections with their
lanes and reasons, one shipment with its outcome and rule hits, the random-slice hit rate per
period. Nothing here needs the ``risk`` extra (no model is loaded).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alianza.risk import messages as words
from alianza.risk.models import Assignment, Inspection, RuleHitRow, Selection, Shipment
from alianza.risk.overrides import lanes_of, overrides_of
from alianza.risk.selection import RANDOM, RELEASE, estimate_hit_rate

PERIODS = ("week", "month", "quarter")


def selections(session: Session, *, limit: int = 50) -> list[dict[str, Any]]:
    rows = session.scalars(select(Selection).order_by(Selection.id.desc()).limit(limit))
    return [selection_summary(s) for s in rows]


def selection_summary(row: Selection) -> dict[str, Any]:
    return {
        "id": row.id,
        "created_at": row.created_at.isoformat(),
        "actor": row.actor,
        "model": row.model_id,
        "batch": row.batch,
        "seed": row.seed,
        "random_share": row.random_share,
        "lanes": row.lanes,
        "summary": row.summary,
    }


def selection_detail(
    session: Session, selection_id: int, *, include_release: bool = False
) -> dict[str, Any] | None:
    """A selection, its assignments (lane, reason, probabilities, rule hits, outcome) and its
    overrides."""
    row = session.get(Selection, selection_id)
    if row is None:
        return None
    query = (
        select(Assignment, Shipment.reference, Shipment.port, Shipment.hs6, Shipment.origin)
        .join(Shipment, Shipment.id == Assignment.shipment_id)
        .where(Assignment.selection_id == selection_id)
        .order_by(Assignment.priority.desc(), Shipment.reference)
    )
    if not include_release:
        query = query.where(Assignment.lane != RELEASE)
    found = session.execute(query).all()
    shipment_ids = [a.shipment_id for a, *_ in found]
    hits: dict[int, list[dict[str, Any]]] = defaultdict(list)
    outcomes: dict[int, str] = {}
    for part in _chunks(shipment_ids):
        for hit in session.scalars(
            select(RuleHitRow).where(
                RuleHitRow.selection_id == selection_id, RuleHitRow.shipment_id.in_(part)
            )
        ):
            hits[hit.shipment_id].append(
                {"rule": hit.rule, "version": hit.version, "mandatory": hit.mandatory}
            )
        for sid, fraud, critical in session.execute(
            select(Inspection.shipment_id, Inspection.fraud, Inspection.critical).where(
                Inspection.shipment_id.in_(part)
            )
        ):
            outcomes[sid] = result_name(fraud, critical)
    released = session.scalar(
        select(func.count())
        .select_from(Assignment)
        .where(Assignment.selection_id == selection_id, Assignment.lane == RELEASE)
    )
    released_hits: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for hit, reference in session.execute(
        select(RuleHitRow, Shipment.reference)
        .join(Shipment, Shipment.id == RuleHitRow.shipment_id)
        .join(
            Assignment,
            (Assignment.shipment_id == RuleHitRow.shipment_id)
            & (Assignment.selection_id == RuleHitRow.selection_id),
        )
        .where(RuleHitRow.selection_id == selection_id, Assignment.lane == RELEASE)
        .order_by(Shipment.reference, RuleHitRow.rule)
    ):
        released_hits[reference].append(
            {
                "rule": hit.rule,
                "version": hit.version,
                "mandatory": hit.mandatory,
                "weight": hit.weight,
                "source": hit.source,
            }
        )
    return {
        **selection_summary(row),
        "released": int(released or 0),
        "released_hits": [
            {"reference": reference, "rules": rules} for reference, rules in released_hits.items()
        ],
        "overrides": overrides_of(session, selection_id),
        "assignments": [
            {
                "reference": reference,
                "port": port,
                "hs6": hs6,
                "origin": origin,
                "lane": a.lane,
                "reason": a.reason,
                "probability": a.probability,
                "critical_probability": a.critical_probability,
                "priority": a.priority,
                "overridden_by": a.overridden_by,
                "rules": hits.get(a.shipment_id, []),
                "outcome": outcomes.get(a.shipment_id),
            }
            for a, reference, port, hs6, origin in found
        ],
    }


def result_name(fraud: bool, critical: bool) -> str:
    return "critical" if critical else "violation" if fraud else "clear"


@dataclass(frozen=True)
class ShipmentView:
    reference: str
    fields: dict[str, Any]
    outcome: dict[str, Any] | None
    assignments: list[dict[str, Any]]


def shipment_view(session: Session, reference: str) -> ShipmentView | None:
    """One shipment: its declared fields (nominal ones included: law-enforcement sensitive,
    RISK_READ only), its outcome, and every selection that placed it, with rule hits, the lanes
    it may be moved to and its overrides."""
    row = session.scalars(select(Shipment).where(Shipment.reference == reference)).first()
    if row is None:
        return None
    fields: dict[str, Any] = {
        "declared_on": row.declared_on.isoformat(),
        "port": row.port,
        "mode": row.mode,
        "hs6": row.hs6,
        "origin": row.origin,
        "departure": row.departure,
        "importer": row.importer,
        "shipper": row.shipper,
        "declarant": row.declarant,
        "carrier": row.carrier,
        "net_mass_kg": row.net_mass_kg,
        "value": row.value,
    }
    inspection = session.scalars(select(Inspection).where(Inspection.shipment_id == row.id)).first()
    outcome = None
    if inspection is not None:
        outcome = {
            "result": result_name(inspection.fraud, inspection.critical),
            "lane": inspection.lane,
            "exam_type": inspection.exam_type,
            "inspected_on": inspection.inspected_on.isoformat(),
            "seizure_event_id": inspection.seizure_event_id,
            "recorded_by": inspection.actor,
        }
    placed = []
    for a, selection in session.execute(
        select(Assignment, Selection)
        .join(Selection, Selection.id == Assignment.selection_id)
        .where(Assignment.shipment_id == row.id)
        .order_by(Assignment.selection_id.desc())
    ):
        rules = [
            {"rule": h.rule, "version": h.version, "mandatory": h.mandatory, "weight": h.weight}
            for h in session.scalars(
                select(RuleHitRow).where(
                    RuleHitRow.selection_id == a.selection_id, RuleHitRow.shipment_id == row.id
                )
            )
        ]
        placed.append(
            {
                "selection": a.selection_id,
                "batch": selection.batch,
                "lane": a.lane,
                "reason": a.reason,
                "probability": a.probability,
                "critical_probability": a.critical_probability,
                "overridden_by": a.overridden_by,
                "rules": rules,
                "lanes": lanes_of(selection),
                "overrides": overrides_of(session, a.selection_id, reference),
            }
        )
    return ShipmentView(reference, fields, outcome, placed)


def period_key(day: date, period: str) -> str:
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def hit_rates(
    session: Session,
    *,
    period: str = "month",
    start: date | None = None,
    end: date | None = None,
    by_lane: bool = False,
) -> list[dict[str, Any]]:
    """The random-control slice's hit rate per period of declaration (Wilson 95 % interval):
    the unbiased estimate of the violation rate. A shipment drawn by several selections counts
    once; slices still waiting for outcomes are reported as drawn, not inspected. With
    ``by_lane``, one row per period and lane (the lane the control draw sent it to)."""
    if period not in PERIODS:
        raise ValueError(words.PERIOD.said(period=period, periods=", ".join(PERIODS)))
    query = (
        select(Shipment.id, Shipment.declared_on, Inspection.fraud, Assignment.lane)
        .join(Assignment, Assignment.shipment_id == Shipment.id)
        .outerjoin(Inspection, Inspection.shipment_id == Shipment.id)
        .where(Assignment.reason == RANDOM)
        .distinct()
    )
    if start is not None:
        query = query.where(Shipment.declared_on >= start)
    if end is not None:
        query = query.where(Shipment.declared_on <= end)
    drawn: dict[tuple[str, str], set[int]] = defaultdict(set)
    outcomes: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    for sid, declared_on, fraud, lane in session.execute(query):
        key = (period_key(declared_on, period), lane if by_lane else "")
        drawn[key].add(sid)
        if fraud is not None:
            outcomes[key][sid] = int(fraud)
    out = []
    for key in sorted(drawn):
        rate = estimate_hit_rate(list(outcomes[key].values()))
        shown = {k: None if v != v else v for k, v in rate.as_dict().items()}  # NaN: no outcome
        lane = {"lane": key[1]} if by_lane else {}
        out.append({"period": key[0], **lane, "drawn": len(drawn[key]), **shown})
    return out


def _chunks(values: list[int], size: int = 500) -> list[list[int]]:
    return [values[i : i + size] for i in range(0, len(values), size)]
