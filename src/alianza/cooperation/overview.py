"""The cooperation registry as a page shows it: every record kind and the measures."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza.cooperation.measures import compute_measures
from alianza.cooperation.models import (
    Deliverable,
    LiaisonPost,
    Mechanism,
    Meeting,
    Technology,
    Training,
)
from alianza.pme.query import PlanNotFound


def registry_overview(session: Session, as_of: date) -> dict[str, Any]:
    """The registry's records (detached, for a page) and its measures as of ``as_of``."""
    mechanisms = list(session.scalars(select(Mechanism).order_by(Mechanism.kind, Mechanism.key)))
    names = {m.id: m for m in mechanisms}
    meetings = list(session.scalars(select(Meeting).order_by(Meeting.held_on.desc()).limit(100)))
    posts = list(
        session.scalars(select(LiaisonPost).order_by(LiaisonPost.country, LiaisonPost.appointed_on))
    )
    studies = list(session.scalars(select(Deliverable).order_by(Deliverable.key)))
    technology = list(
        session.scalars(select(Technology).order_by(Technology.deployed_on, Technology.id))
    )
    training = list(session.scalars(select(Training).order_by(Training.held_on, Training.id)))
    try:
        measures = compute_measures(session, as_of)
    except PlanNotFound:
        measures = []
    for row in (*mechanisms, *meetings, *posts, *studies, *technology, *training):
        session.expunge(row)
    tops = [m for m in mechanisms if m.parent_id is None]
    children: dict[int, list[Mechanism]] = {}
    for m in mechanisms:
        if m.parent_id is not None:
            children.setdefault(m.parent_id, []).append(m)
    return {
        "as_of": as_of,
        "tops": tops,
        "children": children,
        "mechanisms": mechanisms,
        "mechanism_of": names,
        "meetings": meetings,
        "posts": posts,
        "studies": studies,
        "technology": technology,
        "training": training,
        "measures": measures,
    }
