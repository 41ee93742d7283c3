"""Measures computed from registry records, bound to measurement paragraphs.

A binding ties a measurement paragraph (``10.4.1/measurements/1``) to a measure definition
(:data:`MEASURES`, with parameters) and to the target paragraph it is compared with
(``10.4.1/targets/1``). Computing a binding as of a date gives the value, what the target asks
for, the date the target was met (if it was, from the records), the target's schedule state
(the PME engine's rules, with that date as the completion) and the ids of the records behind
the value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from statistics import median
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza import audit
from alianza.accounts.permissions import Permission
from alianza.actors import Actor, acting
from alianza.audit import AuditEntry
from alianza.catalogue import declare, message_of
from alianza.cooperation import measure_texts as said
from alianza.cooperation.measure_params import BadParameter, checked_params
from alianza.cooperation.models import (
    Deliverable,
    LiaisonPost,
    MeasureBinding,
    Mechanism,
    Meeting,
    Technology,
    Training,
)
from alianza.cooperation.registry import COUNTRIES, record_id
from alianza.node import node_country_or_none, other_country
from alianza.pme.dates import MONTH_ABBREVIATIONS
from alianza.pme.deadline_store import StoredDeadline, current_deadlines, source_report
from alianza.pme.deadlines import Deadline, DeadlineKind
from alianza.pme.document import Column, Report
from alianza.pme.events import event_dates
from alianza.pme.known import in_force_at, known_bound, written_by
from alianza.pme.load import DEFAULT_PLAN
from alianza.pme.query import Address, BadAddress, paragraph_at
from alianza.pme.schedule import schedule_state

CANNOT_COMPUTE = "cannot_compute"
# Coarsest last: the precision of a date resting on several records is the coarsest of theirs.
_COARSENESS = ("exact", "month", "year", "approximate")


def coarsest(precisions: list[str]) -> str:
    return max(precisions, key=_COARSENESS.index, default="exact")


class BindingRefused(ValueError):
    """A binding that cannot be recorded (unknown measure, address not a measurement...)."""


NOT_THAT_PARAGRAPH = declare(
    "measure.binding.not-that-paragraph", "{address} is not a {column} paragraph"
)
UNKNOWN_MEASURE = declare(
    "measure.binding.unknown-measure", "unknown measure {measure!r} (one of: {known})"
)


@dataclass(frozen=True)
class Computed:
    """What a measure definition gives as of a date."""

    value: int
    display: str  # "8 of 9", "2 posts (US 0, MX 2)", "done"
    target: str  # what the target asks for, in the same terms: "9 of 9"
    met_on: date | None  # when the records first satisfy the target (None: not yet)
    records: tuple[str, ...]
    approximate: bool  # the date of a record the value (or met_on) rests on is not exact
    display_es: str = ""  # the same two texts in Spanish (pages and documents in Spanish)
    target_es: str = ""
    precision: str = "exact"  # of met_on (alianza.pme.schedule.possible_days)

    def in_language(self, language: str) -> tuple[str, str]:
        """(display, target) in ``language`` ("en" or "es"; English where no Spanish)."""
        if language == "es" and self.display_es:
            return self.display_es, self.target_es or self.target
        return self.display, self.target


@dataclass(frozen=True)
class MeasureValue:
    measurement: str
    measurement_text: str
    measure: str
    params: dict[str, Any]
    target: str | None
    target_text: str | None
    computed: Computed
    due: date | None
    state: str  # the PME schedule state, "no_target" or "cannot_compute"
    problem: str | None = None  # why it cannot be computed
    # whose records it was computed from (a node's own side; None: not said), and how many
    # records are behind it where only the count is held (a government's submitted outcome,
    # alianza.pme.cycle_measures: its records stay on its node)
    government: str | None = None
    record_count: int | None = None
    # ``binational`` (computed from records both nodes hold: mechanisms, their meetings, joint
    # deliverables) or ``national`` (one government's side); None: not said. Where both
    # governments' outcomes of a binational measure are read together
    # (alianza.pme.cycle_measures.binational_once): ``same`` (shown once, ``government``
    # "binational") or ``differs`` (each shown, marked), and the ``governments`` behind it.
    scope: str | None = None
    agreement: str | None = None
    governments: tuple[str, ...] = ()

    @property
    def records_behind(self) -> int:
        return len(self.computed.records) if self.record_count is None else self.record_count

    def as_dict(self) -> dict[str, Any]:
        c = self.computed
        return {
            "measurement": self.measurement,
            "measurement_text": self.measurement_text,
            "measure": self.measure,
            "params": self.params,
            "value": c.value,
            "display": c.display,
            "display_es": c.display_es,
            "target": self.target,
            "target_text": self.target_text,
            "target_value": c.target,
            "target_value_es": c.target_es,
            "due": self.due.isoformat() if self.due else None,
            "met_on": c.met_on.isoformat() if c.met_on else None,
            "state": self.state,
            "met_on_precision": c.precision if c.met_on else None,
            "approximate_dates": c.approximate,
            "records": list(c.records),
            "problem": self.problem,
        }


@dataclass
class _Records:
    """The registry as held (small tables: read once per computation)."""

    mechanisms: list[Mechanism] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    posts: list[LiaisonPost] = field(default_factory=list)
    deliverables: list[Deliverable] = field(default_factory=list)
    technology: list[Technology] = field(default_factory=list)
    training: list[Training] = field(default_factory=list)
    country: str | None = None  # the node's: its national records are its own only

    @classmethod
    def read(cls, session: Session, bound: datetime | None = None) -> _Records:
        """The records, or as they were before ``bound``: rows written later left out, and
        completions and end dates changed later put back to what they were (the audit's
        ``previous``). Such copies are never added to the session."""
        rolled_back = _changed_since(session, bound) if bound is not None else {}

        def rows(model: Any) -> list[Any]:
            query = select(model).order_by(model.id)
            if bound is not None:
                query = query.where(written_by(model.recorded_at, bound))
            found = list(session.scalars(query))
            return [_as_before(row, rolled_back.get(record_id(row))) for row in found]

        return cls(
            rows(Mechanism),
            rows(Meeting),
            rows(LiaisonPost),
            rows(Deliverable),
            rows(Technology),
            rows(Training),
            own.value if (own := node_country_or_none(session)) else None,
        )


def _changed_since(session: Session, bound: datetime) -> dict[str, dict[str, Any]]:
    """Record id → the values a completion or an end date had before ``bound``, for the
    records whose completion or end was written at or after it."""
    entries = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.at >= bound,
            AuditEntry.action.in_(
                [
                    "cooperation.deliverable.complete",
                    "cooperation.liaison-post.end",
                    "cooperation.mechanism.end",
                ]
            ),
        )
        .order_by(AuditEntry.id)
    )
    before: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if entry.subject in before:
            continue  # the first change after the bound holds the value before it
        previous = entry.details.get("previous")
        day = date.fromisoformat(str(previous)) if previous else None
        if entry.action.endswith(".complete"):
            # a completion's precision before the change is not in the audit: the earlier date
            # is read as "on or before" it, never as exact
            before[entry.subject] = {"completed_on": day, "precision": "approximate"}
        else:
            before[entry.subject] = {"ended_on": day}
    return before


def _as_before(row: Any, values: dict[str, Any] | None) -> Any:
    """``row``, or a detached copy of it holding ``values``."""
    if not values:
        return row
    copy = type(row)(**{c.key: getattr(row, c.key) for c in row.__table__.columns})
    for name, value in values.items():
        setattr(copy, name, value)
    return copy


def _active(formed: date | None, ended: date | None, as_of: date) -> bool:
    return (formed is None or formed <= as_of) and (ended is None or ended > as_of)


def _meetings(records: _Records, as_of: date, params: dict[str, Any]) -> Computed:
    keys = {m.id: m.key for m in records.mechanisms}
    kinds = {m.id: m.kind for m in records.mechanisms}
    since = date.fromisoformat(params["since"]) if params.get("since") else None
    wanted = int(params.get("at_least", 1))
    rows = sorted(
        (
            m
            for m in records.meetings
            if m.held_on <= as_of
            and (since is None or m.held_on >= since)
            and ("mechanism" not in params or keys[m.mechanism_id] == params["mechanism"])
            and ("kind" not in params or kinds[m.mechanism_id] == params["kind"])
            and ("topic" not in params or params["topic"] in m.topics)
        ),
        key=lambda m: (m.held_on, m.id),
    )
    met = rows[wanted - 1] if len(rows) >= wanted else None
    display, display_es = said.MEETINGS.both(n=len(rows))
    target, target_es = said.AT_LEAST.both(wanted=wanted)
    return Computed(
        len(rows),
        display,
        target,
        met.held_on if met else None,
        tuple(record_id(m) for m in rows),
        any(m.precision != "exact" for m in rows),
        display_es=display_es,
        target_es=target_es,
        precision=met.precision if met else "exact",
    )


def _subgroups(records: _Records, as_of: date, params: dict[str, Any]) -> Computed:
    topic = params.get("topic", "border-public-safety")
    blms = [
        m for m in records.mechanisms if m.kind == "blm" and _active(m.formed_on, m.ended_on, as_of)
    ]
    first_formed: dict[int, Mechanism] = {}
    for sub in records.mechanisms:
        if sub.kind != "subgroup" or sub.topic != topic or sub.parent_id is None:
            continue
        if not _active(sub.formed_on, sub.ended_on, as_of) or sub.formed_on is None:
            continue
        held = first_formed.get(sub.parent_id)
        if held is None or (sub.formed_on, sub.id) < (held.formed_on or date.min, held.id):
            first_formed[sub.parent_id] = sub
    with_one = [first_formed[b.id] for b in blms if b.id in first_formed]
    complete = bool(blms) and len(with_one) == len(blms)
    met_on = max(s.formed_on for s in with_one if s.formed_on) if complete else None
    behind = [*blms, *with_one]
    at_met = [s.formed_precision for s in with_one if met_on is not None and s.formed_on == met_on]
    display, display_es = said.SUBGROUPS.both(
        with_one=len(with_one), blms=len(blms), topic=said.code(topic)
    )
    target, target_es = said.ALL_OF.both(total=len(blms))
    return Computed(
        len(with_one),
        display,
        target,
        met_on,
        tuple(record_id(r) for r in behind),
        any(
            s.formed_precision != "exact"
            for s in with_one
            if met_on is None or s.formed_on == met_on
        ),
        display_es=display_es,
        target_es=target_es,
        precision=coarsest(at_met),
    )


def _posts_first_met(
    posts: list[LiaisonPost], as_of: date, countries: tuple[str, ...] = COUNTRIES
) -> date | None:
    """The first day on or before ``as_of`` on which each of ``countries`` held an active post.

    The target was met that day: a post ending later, and another taking its place, leaves the
    day unchanged (the value shows the posts held as of the date).
    """
    for day in sorted({p.appointed_on for p in posts if p.appointed_on <= as_of}):
        if all(
            any(p.country == c and _active(p.appointed_on, p.ended_on, day) for p in posts)
            for c in countries
        ):
            return day
    return None


def _liaison_posts(records: _Records, as_of: date, params: dict[str, Any]) -> Computed:
    role = params.get("role", "customs-liaison")
    of_role = [p for p in records.posts if p.role == role]
    # A node holds its own government's posts only: it measures its own side of the target
    # (each government reports its side on its node); the partner's posts are on its node.
    countries = (records.country,) if records.country else COUNTRIES
    of_role = [p for p in of_role if p.country in countries]
    posts = [p for p in of_role if _active(p.appointed_on, p.ended_on, as_of)]
    by_country = {c: [p for p in posts if p.country == c] for c in countries}
    counts: str = ", ".join(f"{c} {len(v)}" for c, v in by_country.items())
    met_on = _posts_first_met(of_role, as_of, countries)
    at_met = [p.precision for p in of_role if met_on is not None and p.appointed_on == met_on]
    target, target_es = said.EACH_COUNTRY.both()
    if records.country:
        partner = next(c for c in COUNTRIES if c != records.country)
        counts = said.POSTS_ELSEWHERE.said(counts=counts, partner=partner)
        target, target_es = said.OWN_SIDE.both(country=records.country)
    display, display_es = said.POSTS.both(n=len(posts), role=said.code(role), counts=counts)
    return Computed(
        len(posts),
        display,
        target,
        met_on,
        tuple(record_id(p) for p in posts),
        any(p.precision != "exact" for p in posts if met_on is None or p.appointed_on == met_on),
        display_es=display_es,
        target_es=target_es,
        precision=coarsest(at_met),
    )


def _deliverable(records: _Records, as_of: date, params: dict[str, Any]) -> Computed:
    key = params["key"]
    rows = [d for d in records.deliverables if d.key == key]
    target, target_es = said.COMPLETED.both()
    if not rows:
        display, display_es = said.DELIVERABLE_MISSING.both(key=key)
        return Computed(
            0, display, target, None, (), False, display_es=display_es, target_es=target_es
        )
    row = rows[0]
    done = row.completed_on is not None and row.completed_on <= as_of
    approximate = done and row.precision != "exact"
    if done:
        completed = said.COMPLETED_ON.get(row.precision, said.COMPLETED_ON["exact"])
        display = completed("en", day=_day(row.completed_on, "en"))
        display_es = completed("es", day=_day(row.completed_on, "es"))
    else:
        display, display_es = said.NOT_COMPLETED.both()
    return Computed(
        1 if done else 0,
        display,
        target,
        row.completed_on if done else None,
        (record_id(row),),
        approximate,
        display_es=display_es,
        target_es=target_es,
        precision=row.precision if done else "exact",
    )


def _trained(records: _Records, as_of: date, params: dict[str, Any]) -> Computed:
    rows = sorted(
        (
            t
            for t in records.training
            if t.held_on <= as_of
            and ("country" not in params or t.country == params["country"])
            and ("subject" not in params or t.subject == params["subject"])
        ),
        key=lambda t: (t.held_on, t.id),
    )
    wanted = int(params.get("at_least", 1))
    total, met = 0, None
    for row in rows:
        total += row.people
        if met is None and total >= wanted:
            met = row
    display, display_es = said.TRAINED.both(total=total)
    target, target_es = said.AT_LEAST.both(wanted=wanted)
    return Computed(
        total,
        display,
        target,
        met.held_on if met else None,
        tuple(record_id(t) for t in rows),
        any(t.precision != "exact" for t in rows),
        display_es=display_es,
        target_es=target_es,
        precision=met.precision if met else "exact",
    )


def _technology(records: _Records, as_of: date, params: dict[str, Any]) -> Computed:
    kinds = params.get("kinds")
    rows = sorted(
        (
            t
            for t in records.technology
            if t.deployed_on <= as_of
            and (kinds is None or t.kind in kinds)
            and ("country" not in params or t.country == params["country"])
        ),
        key=lambda t: (t.deployed_on, t.id),
    )
    wanted = int(params.get("at_least", 1))
    met = rows[wanted - 1] if len(rows) >= wanted else None
    display, display_es = said.DEPLOYMENTS.both(n=len(rows))
    target, target_es = said.AT_LEAST.both(wanted=wanted)
    return Computed(
        len(rows),
        display,
        target,
        met.deployed_on if met else None,
        tuple(record_id(t) for t in rows),
        any(t.precision != "exact" for t in rows),
        display_es=display_es,
        target_es=target_es,
        precision=met.precision if met else "exact",
    )


MeasureFunction = Callable[[_Records, date, dict[str, Any]], Computed]

MEASURES: dict[str, MeasureFunction] = {
    "meetings": _meetings,
    "subgroups": _subgroups,
    "liaison-posts": _liaison_posts,
    "deliverable": _deliverable,
    "trained": _trained,
    "technology": _technology,
}
# Computed from the exchange log rather than the registry (see _exchange_quarters).
EXCHANGE_MEASURE = "exchange-quarters"
# Computed from the port alerts' request clocks (10.6; see _port_requests).
PORT_REQUESTS_MEASURE = "port-requests"
MEASURE_NAMES = (*MEASURES, EXCHANGE_MEASURE, PORT_REQUESTS_MEASURE)


def _exchange_quarters(session: Session, as_of: date, params: dict[str, Any]) -> Computed:
    from alianza.exchange.service import exchange_status

    wanted = int(params.get("at_least", 1))
    states = [s for s in exchange_status(session, today=as_of) if s.due <= as_of]
    if "direction" in params:
        states = [s for s in states if s.direction == params["direction"]]
    on_time = [s for s in states if s.state == "on-time"]
    met_on = on_time[wanted - 1].due if len(on_time) >= wanted else None
    display, display_es = said.EXCHANGED.both(on_time=len(on_time), n=len(states))
    target, target_es = said.ON_TIME.both(wanted=wanted)
    return Computed(
        len(on_time),
        display,
        target,
        met_on,
        tuple(f"exchange:{s.direction}:{s.country}:{s.quarter}:{s.state}" for s in states),
        False,
        display_es=display_es,
        target_es=target_es,
    )


def _minutes(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds / 60:.0f} min"


def _port_requests(session: Session, as_of: date, params: dict[str, Any]) -> Computed:
    """Requests between paired ports answered by their due time, of those decided by the date
    (answered, or past due): ``direction`` inbound (those this node's side was asked to
    answer), outbound (those it asked), else both; the target is ``percent`` (default 90)
    answered in time; met on the first day the running share reached it."""
    from alianza.liaison.measures import decided_requests

    wanted = int(params.get("percent", 90))
    if wanted > 100:
        raise ValueError(said.PERCENT_RANGE.said(wanted=wanted))
    own = node_country_or_none(session)
    to_country = None
    if own is not None and "direction" in params:
        to_country = own.value if params["direction"] == "inbound" else other_country(own).value
    since = date.fromisoformat(params["since"]) if "since" in params else None
    decided = decided_requests(session, as_of, to_country=to_country, since=since)
    in_time = 0
    met_on = None
    for count, request in enumerate(decided, start=1):
        in_time += request.in_time
        if met_on is None and in_time * 100 >= wanted * count:
            met_on = request.decided_on
    took = [r.ack_seconds for r in decided if r.ack_seconds is not None]
    middle = median(took) if took else None
    share = f"{in_time * 100 / len(decided):.0f} %" if decided else "–"
    display, display_es = said.ANSWERED.both(
        in_time=in_time, n=len(decided), share=share, median=_minutes(middle)
    )
    target, target_es = said.IN_TIME.both(wanted=wanted)
    return Computed(
        in_time,
        display,
        target,
        met_on,
        tuple(f"ports_alert:{r.alert_id}:{'in-time' if r.in_time else 'late'}" for r in decided),
        False,
        display_es=display_es,
        target_es=target_es,
    )


def _paragraph_text(session: Session, plan_key: str, address: str, column: Column) -> str:
    parsed = Address.parse(address)
    if parsed.column is not column:
        raise BindingRefused(NOT_THAT_PARAGRAPH.said(address=address, column=column.value))
    try:
        return paragraph_at(source_report(session, plan_key), parsed).text
    except BadAddress as error:
        raise BindingRefused(message_of(error)) from None


def bind_measure(
    session: Session,
    measurement: str,
    measure: str,
    *,
    actor: Actor,
    params: dict[str, Any] | None = None,
    target: str | None = None,
    plan_key: str = DEFAULT_PLAN,
) -> MeasureBinding:
    """Bind a measurement paragraph to a measure (replacing its binding, kept superseded). A
    user needs coop.manage."""
    by = acting(session, actor, Permission.COOP_MANAGE)
    if measure not in MEASURE_NAMES:
        raise BindingRefused(UNKNOWN_MEASURE.said(measure=measure, known=", ".join(MEASURE_NAMES)))
    measurement = str(Address.parse(measurement))
    _paragraph_text(session, plan_key, measurement, Column.MEASUREMENTS)
    if target is not None:
        target = str(Address.parse(target))
        _paragraph_text(session, plan_key, target, Column.TARGETS)
    try:
        params = checked_params(measure, params or {})
    except BadParameter as error:
        raise BindingRefused(message_of(error)) from None
    now = datetime.now(UTC)
    current = _current(session, plan_key).get(measurement)
    if current is not None:
        current.superseded_at = now
    row = MeasureBinding(
        plan_key=plan_key,
        measurement=measurement,
        target=target,
        measure=measure,
        params=params,
        recorded_by=by,
        recorded_at=now,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=by,
        action="cooperation.binding.record",
        subject=f"plan:{plan_key}/{measurement}",
        details={"measure": measure, "params": params, "target": target},
    )
    return row


def _current(
    session: Session, plan_key: str, bound: datetime | None = None
) -> dict[str, MeasureBinding]:
    in_force = (
        MeasureBinding.superseded_at.is_(None)
        if bound is None
        else in_force_at(MeasureBinding.recorded_at, MeasureBinding.superseded_at, bound)
    )
    rows = session.scalars(
        select(MeasureBinding).where(MeasureBinding.plan_key == plan_key, in_force)
    )
    return {row.measurement: row for row in rows}


def _order(address: str) -> tuple[list[int], int]:
    action, _column, position = address.split("/")
    return [int(part) for part in action.split(".") if part], int(position)


def current_bindings(
    session: Session, plan_key: str = DEFAULT_PLAN, *, known_on: date | None = None
) -> list[MeasureBinding]:
    """The bindings in force (as they were on ``known_on``, when given)."""
    bindings = _current(session, plan_key, known_bound(known_on)).values()
    return sorted(bindings, key=lambda b: _order(b.measurement))


def _cannot_compute(reason: str) -> Computed:
    """``reason`` said in each language where it is a catalogue message."""
    display, display_es = said.CANNOT_COMPUTE.both(reason=reason)
    return Computed(0, display, "", None, (), False, display_es=display_es)


def compute_measures(
    session: Session, as_of: date, *, plan_key: str = DEFAULT_PLAN, known_on: date | None = None
) -> list[MeasureValue]:
    """Every bound measurement's value as of a date, compared with its target.

    A binding that cannot be computed (a parameter no longer valid, a paragraph gone) gives a
    value of state ``cannot_compute`` with the reason; the others are computed all the same.
    """
    records = _Records.read(session, known_bound(known_on))
    report = source_report(session, plan_key)
    deadlines = current_deadlines(session, plan_key, known_on=known_on)
    events = event_dates(session, plan_key, known_on=known_on)
    values = []
    for binding in current_bindings(session, plan_key, known_on=known_on):
        try:
            values.append(_value(session, binding, as_of, records, report, deadlines, events))
        except (LookupError, TypeError, ValueError) as error:  # BadParameter, BadAddress...
            reason = message_of(error) or type(error).__name__
            values.append(
                MeasureValue(
                    binding.measurement,
                    "",
                    binding.measure,
                    binding.params,
                    binding.target,
                    None,
                    _cannot_compute(reason),
                    None,
                    CANNOT_COMPUTE,
                    reason,
                )
            )
    return values


def _value(
    session: Session,
    binding: MeasureBinding,
    as_of: date,
    records: _Records,
    report: Report,
    deadlines: dict[tuple[str, int], StoredDeadline],
    events: dict[str, date],
) -> MeasureValue:
    params = checked_params(binding.measure, binding.params)
    if binding.measure == EXCHANGE_MEASURE:
        computed = _exchange_quarters(session, as_of, params)
    elif binding.measure == PORT_REQUESTS_MEASURE:
        computed = _port_requests(session, as_of, params)
    else:
        computed = MEASURES[binding.measure](records, as_of, params)
    measurement_text = paragraph_at(report, Address.parse(binding.measurement)).text
    target_text = due = None
    state = "no_target"
    if binding.target is not None:
        address = Address.parse(binding.target)
        target_text = paragraph_at(report, address).text
        stored = deadlines.get((address.action, address.position))
        deadline = stored.deadline if stored else Deadline(DeadlineKind.NONE)
        event_on = events.get(deadline.event_key) if deadline.event_key else None
        schedule, due = schedule_state(
            deadline,
            as_of,
            event_on=event_on,
            completed_on=computed.met_on,
            precision=computed.precision,
        )
        state = schedule.value
    return MeasureValue(
        binding.measurement,
        measurement_text,
        binding.measure,
        binding.params,
        binding.target,
        target_text,
        computed,
        due,
        state,
    )


def measures_text(values: list[MeasureValue], as_of: date) -> str:
    lines = [f"Measures computed from records as of {as_of}", ""]
    for v in values:
        c = v.computed
        lines.append(f"{v.measurement}  {v.measurement_text}")
        if v.problem:
            lines.append(f"  cannot compute: {v.problem}")
            continue
        lines.append(f"  value:   {c.display}" + (" (approximate dates)" if c.approximate else ""))
        if v.target:
            due = f", due {v.due}" if v.due else ""
            on = "on or before" if c.approximate else "on"
            met = f", met {on} {c.met_on}" if c.met_on else ""
            lines.append(f"  target:  {v.target} asks {c.target}{due}{met} -> {v.state}")
        lines.append(f"  records: {', '.join(c.records) or '(none)'}")
    return "\n".join(lines) + "\n"


def _day(day: date | None, language: str) -> str:
    """A day as the pages write it: 31 Aug 1999, 31 ago 1999."""
    if day is None:
        return "—"
    return f"{day.day} {MONTH_ABBREVIATIONS[day.month - 1](language)} {day.year}"
