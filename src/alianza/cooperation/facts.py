"""The 1999 facts of the seed report as registry records, and the seed's measure bindings.

What the STATUS (and BASELINE) cells of the 1999 report state, each record citing the
paragraph it comes from, split by whose records they are (see :mod:`.registry`):
``data/facts-1999.json`` the binational ones (mechanisms, meetings, joint deliverables), loaded
on both nodes; ``data/facts-1999-us.json`` and ``data/facts-1999-mx.json`` each government's
own (liaison posts, technology, its deliverables), loaded on that government's node only.
``data/bindings-1999.json`` binds the report's counting measurements to measures; a binding
that rests on one government's records names it (``country``) and is bound on its node only.
Each load is one transaction and idempotent (a record already held is skipped).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza.actors import Actor
from alianza.catalogue import declare
from alianza.cooperation import registry
from alianza.cooperation.measures import bind_measure, current_bindings
from alianza.cooperation.models import Deliverable, LiaisonPost, Mechanism, Meeting, Technology
from alianza.node import ForeignCountry, node_country, node_country_or_none
from alianza.pme.load import DEFAULT_PLAN

DATA = Path(__file__).parent / "data"
FACTS_1999 = DATA / "facts-1999.json"  # binational: on both nodes
NATIONAL_FACTS_1999 = {"US": DATA / "facts-1999-us.json", "MX": DATA / "facts-1999-mx.json"}
BINDINGS_1999 = DATA / "bindings-1999.json"


FOREIGN_ROW = declare(
    "facts.foreign-row",
    "{file}, {section} row {row}, field {field}: the row reports {other} (a record of {other} "
    "is loaded on the {other} node)",
)


def seed_fact_files(session: Session) -> list[Path]:
    """The 1999 facts files of this node: the binational one and its own government's."""
    return [FACTS_1999, NATIONAL_FACTS_1999[node_country(session).value]]


_DATE_FIELDS = ("formed_on", "ended_on", "held_on", "appointed_on", "due_on", "deployed_on")


@dataclass(frozen=True)
class FactsLoaded:
    source: str
    created: dict[str, int]  # record kind -> count (empty: already loaded)


def _dates(item: dict[str, Any]) -> dict[str, Any]:
    return {k: date.fromisoformat(v) if k in _DATE_FIELDS and v else v for k, v in item.items()}


def _held(session: Session, section: str, item: dict[str, Any]) -> bool:
    """Whether the record of a facts file is already held (loading twice changes nothing)."""
    if section == "mechanisms":
        query: Any = select(Mechanism.id).where(Mechanism.key == item["key"])
    elif section == "deliverables":
        query = select(Deliverable.id).where(Deliverable.key == item["key"])
    elif section == "meetings":
        query = (
            select(Meeting.id)
            .join(Mechanism, Mechanism.id == Meeting.mechanism_id)
            .where(Mechanism.key == item["mechanism"], Meeting.source == item["source"])
            .where(Meeting.held_on == date.fromisoformat(item["held_on"]))
        )
    elif section == "liaison_posts":
        query = select(LiaisonPost.id).where(
            LiaisonPost.country == item["country"],
            LiaisonPost.office == item["office"],
            LiaisonPost.city == item["city"],
            LiaisonPost.role == item["role"],
        )
    elif section == "technology":
        query = select(Technology.id).where(
            Technology.kind == item["kind"],
            Technology.country == item["country"],
            Technology.place == item["place"],
            Technology.deployed_on == date.fromisoformat(item["deployed_on"]),
        )
    else:
        return False  # training: none in the 1999 facts
    return session.scalars(query).first() is not None


def _check_owner(
    session: Session, path: Path, section: str, row: int, item: dict[str, Any]
) -> None:
    """Refuse a record of the other government, naming the file, the row and the field."""
    own = node_country_or_none(session)
    country = item.get("country")
    field = "country"
    if section == "meetings":
        countries = {p.get("country") for p in item.get("participants", []) if p.get("country")}
        country = countries.pop() if len(countries) == 1 else None
        field = "participants"
    if own is not None and country and country != own.value:
        raise ForeignCountry(
            own.value, country, FOREIGN_ROW, file=path.name, section=section, row=row, field=field
        )


def load_facts(session: Session, path: Path = FACTS_1999, *, actor: Actor) -> FactsLoaded:
    """Record the facts of a facts file; those already held are skipped. A record of the other
    government refuses the whole file (:class:`~alianza.node.ForeignCountry`, naming file,
    row and field), before anything is written."""
    facts = json.loads(path.read_text("utf-8"))
    sections = ("mechanisms", "meetings", "liaison_posts", "deliverables", "technology")
    for section in (*sections, "training"):
        for row, item in enumerate(facts.get(section, []), start=1):
            _check_owner(session, path, section, row, item)
    created: dict[str, int] = {}

    def count(kind: str) -> None:
        created[kind] = created.get(kind, 0) + 1

    def new(section: str) -> list[dict[str, Any]]:
        return [
            _dates(item) for item in facts.get(section, []) if not _held(session, section, item)
        ]

    for fields in new("mechanisms"):
        registry.add_mechanism(session, actor=actor, **fields)
        count("mechanisms")
    for fields in new("meetings"):
        registry.add_meeting(session, mechanism_key=fields.pop("mechanism"), actor=actor, **fields)
        count("meetings")
    for fields in new("liaison_posts"):
        registry.add_liaison_post(session, actor=actor, **fields)
        count("liaison posts")
    for fields in new("deliverables"):
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
    for fields in new("technology"):
        registry.add_technology(session, actor=actor, **fields)
        count("technology deployments")
    for item in facts.get("training", []):
        registry.add_training(session, actor=actor, **_dates(item))
        count("training events")
    return FactsLoaded(path.name, created)


def load_seed_facts(session: Session, *, actor: Actor) -> list[FactsLoaded]:
    """The 1999 facts of this node: the binational file and its own government's."""
    return [load_facts(session, path, actor=actor) for path in seed_fact_files(session)]


def bind_seed_measures(
    session: Session, path: Path = BINDINGS_1999, *, actor: Actor, plan_key: str = DEFAULT_PLAN
) -> int:
    """Bind the seed's counting measurements (only those not bound yet); returns how many."""
    held = {b.measurement for b in current_bindings(session, plan_key)}
    own = node_country_or_none(session)
    bound = 0
    for item in json.loads(path.read_text("utf-8"))["bindings"]:
        if item["measurement"] in held:
            continue
        if own is not None and item.get("country", own.value) != own.value:
            continue  # rests on the other government's records: bound on its node
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
