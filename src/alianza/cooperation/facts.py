"""The 1999 facts of the seed report as registry records, and the seed's measure bindings.

``data/facts-1999.json`` holds what the STATUS (and BASELINE) cells of the 1999 report state,
each record citing the paragraph it comes from; ``data/bindings-1999.json`` binds the report's
counting measurements to measures. Both load in one transaction each and are idempotent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza.cooperation import registry
from alianza.cooperation.measures import bind_measure, current_bindings
from alianza.cooperation.models import Mechanism
from alianza.pme.load import DEFAULT_PLAN

DATA = Path(__file__).parent / "data"
FACTS_1999 = DATA / "facts-1999.json"
BINDINGS_1999 = DATA / "bindings-1999.json"

_DATE_FIELDS = ("formed_on", "ended_on", "held_on", "appointed_on", "due_on", "deployed_on")


@dataclass(frozen=True)
class FactsLoaded:
    source: str
    created: dict[str, int]  # record kind -> count (empty: already loaded)


def _dates(item: dict[str, Any]) -> dict[str, Any]:
    return {k: date.fromisoformat(v) if k in _DATE_FIELDS and v else v for k, v in item.items()}


def load_facts(session: Session, path: Path = FACTS_1999, *, actor: str) -> FactsLoaded:
    """Record the facts of a facts file (skipped whole if its first mechanism is held)."""
    facts = json.loads(path.read_text("utf-8"))
    first = facts["mechanisms"][0]["key"]
    if session.scalars(select(Mechanism.id).where(Mechanism.key == first)).first():
        return FactsLoaded(path.name, {})
    created: dict[str, int] = {}

    def count(kind: str) -> None:
        created[kind] = created.get(kind, 0) + 1

    for item in facts["mechanisms"]:
        registry.add_mechanism(session, actor=actor, **_dates(item))
        count("mechanisms")
    for item in facts["meetings"]:
        fields = _dates(item)
        registry.add_meeting(session, mechanism_key=fields.pop("mechanism"), actor=actor, **fields)
        count("meetings")
    for item in facts["liaison_posts"]:
        registry.add_liaison_post(session, actor=actor, **_dates(item))
        count("liaison posts")
    for item in facts["deliverables"]:
        fields = _dates(item)
        completed = fields.pop("completed_on", None)
        precision = fields.pop("precision", "exact")
        fields.pop("completion_source", None)
        registry.add_deliverable(session, actor=actor, **fields)
        if completed:
            registry.complete_deliverable(
                session,
                fields["key"],
                date.fromisoformat(completed),
                actor=actor,
                precision=precision,
            )
        count("deliverables")
    for item in facts["technology"]:
        registry.add_technology(session, actor=actor, **_dates(item))
        count("technology deployments")
    for item in facts["training"]:
        registry.add_training(session, actor=actor, **_dates(item))
        count("training events")
    return FactsLoaded(path.name, created)


def bind_seed_measures(
    session: Session, path: Path = BINDINGS_1999, *, actor: str, plan_key: str = DEFAULT_PLAN
) -> int:
    """Bind the seed's counting measurements (only those not bound yet); returns how many."""
    held = {b.measurement for b in current_bindings(session, plan_key)}
    bound = 0
    for item in json.loads(path.read_text("utf-8"))["bindings"]:
        if item["measurement"] in held:
            continue
        bind_measure(
            session,
            item["measurement"],
            item["measure"],
            actor=actor,
            params=item["params"],
            target=item["target"],
            plan_key=plan_key,
        )
        bound += 1
    return bound
