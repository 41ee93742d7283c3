"""Publishing a reporting cycle: the frozen edition, its hash and this government's
signature (:mod:`alianza.pme.edition`), told to the partner node; reading a publication back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza.actors import Actor
from alianza.catalogue import Said, declare
from alianza.exchange.keys import NodeKeys
from alianza.pme.assessment import assess_plan
from alianza.pme.cycle_measures import cycle_measure_values
from alianza.pme.cycles import (
    STALE_DOINGS,
    STATE_NAMES,
    CycleRefused,
    CycleState,
    PartnerAct,
    _cycle,
    _doer,
    _now,
    _refuse_stale,
    _require,
    _status_content,
    _step,
    _tell_partner,
    _via,
    cycle_view,
)
from alianza.pme.edition import edition_hash, edition_workflow, sign_edition
from alianza.pme.edition_store import edition_document, save_signature
from alianza.pme.engine_models import PublicationRow
from alianza.pme.load import DEFAULT_PLAN
from alianza.pme.plan_text import freeze_plan_text

NOT_PUBLISHED = declare(
    "pme.cycle-publish.not-published", "cycle {key!r} is {state}, not published"
)


@dataclass(frozen=True)
class Publication:
    cycle: str
    content: dict[str, Any]
    sha256: str
    published_by: str
    published_at: datetime


def _publication(key: str, row: PublicationRow) -> Publication:
    return Publication(key, row.content, row.sha256, row.published_by, row.published_at)


def publish_cycle(
    session: Session,
    key: str,
    *,
    actor: Actor,
    plan_key: str = DEFAULT_PLAN,
    partner: PartnerAct | None = None,
    keys: NodeKeys | None = None,
) -> Publication:
    """Freeze the cycle's edition (status texts with their writers, the workflow with who
    approved, the plan's text in each language, the assessment as of the cycle's date from
    what both nodes hold alike: the registry's measures as both governments submitted them),
    hash
    it (:mod:`alianza.pme.edition`) and, with ``keys``, sign the hash for this government.
    The partner is told (with the signature); returns the publication."""
    doer = _doer(session, actor, partner)
    row = _cycle(session, key, plan_key)
    _require(row, CycleState.LOCKED, doing="publishing")
    _refuse_stale(session, row, plan_key, STALE_DOINGS["publish"].said())
    view = cycle_view(session, key, plan_key)
    measures, basis = cycle_measure_values(session, row)
    content = {
        "plan": plan_key,
        "cycle": {
            "key": view.key,
            "label": {"en": view.label_en, "es": view.label_es},
            "as_of": view.as_of.isoformat(),
            "due": view.due.isoformat() if view.due else None,
            "round": view.round,
        },
        "workflow": edition_workflow(view.steps),
        "status": _status_content(view.texts),
        "plan_text": freeze_plan_text(session, plan_key),
        # The agreed edition carries what both nodes hold alike: the plan, its deadlines,
        # events and recorded judgements, and the registry's measures as each government
        # submitted them with the cycle (alianza.pme.cycle_measures).
        "assessment": assess_plan(
            session, view.as_of, plan_key=plan_key, measures=measures
        ).as_dict(),
        "assessment_basis": basis,
    }
    content = json.loads(json.dumps(content, default=str))
    publication = PublicationRow(
        cycle_id=row.id,
        content=content,
        sha256=edition_hash(content),
        published_by=doer.shown,
        published_at=_now(),
    )
    session.add(publication)
    signature = sign_edition(keys, plan_key, key, publication.sha256) if keys else None
    if signature is not None:
        save_signature(session, row.id, signature)
    row.state = CycleState.PUBLISHED.value
    _step(
        session,
        row,
        "publish",
        doer=doer,
        plan_key=plan_key,
        comment=publication.sha256,
        via=_via(partner),
    )
    _tell_partner(
        session,
        "publish",
        key,
        plan_key,
        doer,
        partner,
        sha256=publication.sha256,
        signature=signature,
    )
    return _publication(key, publication)


def cycle_status(session: Session, key: str, plan_key: str = DEFAULT_PLAN) -> list[dict[str, Any]]:
    """The status a cycle holds: frozen content when published, else its current texts."""
    row = _cycle(session, key, plan_key)
    if row.state == CycleState.PUBLISHED:
        publication = session.scalars(
            select(PublicationRow).where(PublicationRow.cycle_id == row.id)
        ).one()
        return list(publication.content["status"])
    return _status_content(cycle_view(session, key, plan_key).texts)


def _not_published(key: str, state: str) -> Said:
    return NOT_PUBLISHED.said(key=key, state=STATE_NAMES[CycleState(state)].said())


def publication(session: Session, key: str, plan_key: str = DEFAULT_PLAN) -> Publication:
    row = _cycle(session, key, plan_key)
    found = session.scalars(select(PublicationRow).where(PublicationRow.cycle_id == row.id)).first()
    if found is None:
        raise CycleRefused(_not_published(key, row.state))
    return _publication(key, found)


def record_edition_signature(
    session: Session, key: str, entry: dict[str, str], plan_key: str = DEFAULT_PLAN
) -> bool:
    """Keep a government's signature over this cycle's edition hash (False if held)."""
    return save_signature(session, _cycle(session, key, plan_key).id, entry)


def edition_file(session: Session, key: str, plan_key: str = DEFAULT_PLAN) -> dict[str, Any]:
    """The published file of cycle ``key``: content, hash and the signatures held."""
    row = _cycle(session, key, plan_key)
    found = session.scalars(select(PublicationRow).where(PublicationRow.cycle_id == row.id)).first()
    if found is None:
        raise CycleRefused(_not_published(key, row.state))
    return edition_document(session, found)
