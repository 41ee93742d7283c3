"""The same seizure reported by two sources: found, linked, counted once.

Two rules, across different source systems only (one source's own records are told apart by
their ids):

- **fingerprint**: equal fingerprints of normalized fields (date, country, location, drugs and
  kilograms to 3 decimals; see :mod:`alianza.seizures.fingerprint`);
- **near match**: same port, event dates at most one day apart, a drug in common, and that
  drug's kilograms within the tolerance (``max(abs_kg, rel × larger)``).

The later record (higher id) is linked to the earlier one and left out of counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Select, and_, case, select, union_all
from sqlalchemy.orm import Session, aliased

from alianza.seizures.models import DrugItem, DuplicateLink, Event

ABS_TOLERANCE_KG = 0.1
REL_TOLERANCE = 0.02
SLACK = 1e-6  # kg: the database's prefilter is this much wider than the exact test


@dataclass(frozen=True)
class DedupeResult:
    by_fingerprint: int
    by_near_match: int

    @property
    def total(self) -> int:
        return self.by_fingerprint + self.by_near_match


def _other_sources_exist(session: Session, batch_id: int) -> bool:
    systems = select(Event.source_system).where(Event.batch_id == batch_id).distinct()
    in_batch = list(session.scalars(systems))
    if len(in_batch) > 1:
        return True
    others = select(Event.id).where(
        Event.superseded_at.is_(None), Event.source_system.not_in(in_batch)
    )
    return session.scalars(others.limit(1)).first() is not None


def fingerprint_pairs(batch_id: int) -> Select[tuple[int, int]]:
    """The batch's current events and the earlier current events of other sources with the
    same fingerprint. The batch's events are found by the batch index, each one's earlier
    events by the fingerprint index (what SQLite's plan must be: ``tests/seizures``)."""
    new, old = aliased(Event), aliased(Event)
    current = and_(new.superseded_at.is_(None), old.superseded_at.is_(None))
    other = and_(new.source_system != old.source_system, old.id < new.id)
    return (
        select(new.id, old.id)
        .join(old, and_(old.fingerprint == new.fingerprint, other))
        .where(new.batch_id == batch_id, current)
        .order_by(new.id, old.id)
    )


def near_candidates(
    batch_id: int, *, abs_kg: float = ABS_TOLERANCE_KG, rel: float = REL_TOLERANCE
) -> Select[tuple[int, int, str, float | None, float | None]]:
    """The batch's current events with a port, each with the earlier current events of other
    sources whose items are of a drug in common, at that port, within a day and within the
    tolerance of kilograms: new event (batch index), its items (event index), then the
    earlier items by seeking the near-match index (port, drug, day, a band of kilograms:
    ``ix_seizure_drug_item_near``), then their events by key; one query a day of the three,
    so that the day is an equality on both engines. Ordered by pair, drug and kilograms (the
    first near item of a pair names the link's detail, the same on every run).

    The band holds every ``old`` with ``|new - old| <= max(abs_kg, rel * max(new, old))``:
    below, ``old >= new - max(abs_kg, rel * new)``; above, ``old <= max(new + abs_kg,
    new / (1 - rel))``; widened by ``SLACK`` so that no pair the exact test of
    :func:`find_duplicates` accepts is left out by rounding (PostgreSQL computes in
    ``numeric``). The cost is the batch's items times the seeks and the pairs found, whatever
    the number of events per port and day: walking every earlier event of the port within a
    day, as before migration ``seizures_0008``, read about 1,200 events a new one at ten
    million events and did not finish a 2 % second source in an hour."""
    new, old = aliased(Event), aliased(Event)
    new_item, old_item = aliased(DrugItem), aliased(DrugItem)
    new_kg, old_kg = new_item.net_mass_kg, old_item.net_mass_kg
    below = case((new_kg * rel > abs_kg, new_kg * rel), else_=abs_kg)
    above = case((new_kg * rel > abs_kg * (1 - rel), new_kg / (1 - rel)), else_=new_kg + abs_kg)

    def on_day(apart: int) -> Select[tuple[int, int, str, float | None, float | None]]:
        # one query a day, so that the day is an equality both engines seek on (PostgreSQL
        # reads ``day IN (d - 1, d, d + 1)`` of a column as OR and then seeks port and drug
        # only; a join to the three offsets made it sort every item)
        return (
            select(
                new.id.label("new_id"),
                old.id.label("old_id"),
                new_item.drug_code.label("drug"),
                new_kg.label("new_kg"),
                old_kg.label("old_kg"),
            )
            .select_from(new)
            .join(new_item, new_item.event_id == new.id)
            .join(
                old_item,
                and_(
                    old_item.port_code == new_item.port_code,
                    old_item.drug_code == new_item.drug_code,
                    old_item.event_day == new_item.event_day + apart,
                    old_kg.between(new_kg - below - SLACK, above + SLACK),
                    old_item.event_id < new.id,
                ),
            )
            .join(
                old,
                and_(
                    old.id == old_item.event_id,
                    old.source_system != new.source_system,
                    old.superseded_at.is_(None),
                ),
            )
            .where(
                new.batch_id == batch_id,
                new.superseded_at.is_(None),
                new_item.port_code.is_not(None),
                new_kg.is_not(None),
            )
        )

    found = union_all(on_day(-1), on_day(0), on_day(1)).subquery("near")
    pair = (found.c.new_id, found.c.old_id, found.c.drug, found.c.new_kg, found.c.old_kg)
    return select(*pair).order_by(*pair)


def find_duplicates(
    session: Session,
    batch_id: int,
    *,
    abs_kg: float = ABS_TOLERANCE_KG,
    rel: float = REL_TOLERANCE,
) -> DedupeResult:
    """Link the batch's new events to earlier events of other sources that are the same."""
    if not _other_sources_exist(session, batch_id):
        return DedupeResult(0, 0)
    linked = set(session.scalars(select(DuplicateLink.event_id)))
    now = datetime.now(UTC)
    pairs = session.execute(fingerprint_pairs(batch_id)).all()
    by_fingerprint = 0
    for event_id, original in pairs:
        if event_id in linked or original in linked:
            continue
        session.add(
            DuplicateLink(
                event_id=event_id,
                duplicate_of_id=original,
                method="fingerprint",
                detail={},
                found_at=now,
            )
        )
        linked.add(event_id)
        by_fingerprint += 1

    candidates = session.execute(near_candidates(batch_id, abs_kg=abs_kg, rel=rel)).all()
    by_near = 0
    for event_id, original, drug, new_kg, old_kg in candidates:
        if event_id in linked or original in linked or new_kg is None or old_kg is None:
            continue
        if abs(new_kg - old_kg) <= max(abs_kg, rel * max(new_kg, old_kg)):
            session.add(
                DuplicateLink(
                    event_id=event_id,
                    duplicate_of_id=original,
                    method="near-match",
                    detail={"drug": drug, "kg": [old_kg, new_kg]},
                    found_at=now,
                )
            )
            linked.add(event_id)
            by_near += 1
    session.flush()
    return DedupeResult(by_fingerprint, by_near)
