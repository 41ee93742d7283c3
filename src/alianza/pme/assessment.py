"""The scorecard of a plan as of a date: one result per target, read by ``pme assess``, the web
scorecard, the API and the publication.

The rule (documented for users in ``docs/pme-assessment.md``):

- **From the records**: the measures bound to the target (:mod:`alianza.cooperation.measures`)
  that can be computed. The target is met when every one of them is met, on the latest of their
  dates (with that date's precision); its schedule state follows :func:`schedule_state`.
- **From the judgement**: the latest recorded judgement of the target (or else of its action)
  dated on or before the as-of date; ``done`` is a completion on its ``completed_on``.
- **The target's state**: the one there is when only one of the two exists; their common state
  when both exist and agree; ``disputed`` when they disagree, both shown, neither preferred.
  With neither, the state of the deadline alone (nothing met).
- An action's **completion** is what people recorded, or ``no_data``; it is never computed.
- A target without a deadline whose text (English or Spanish) has words like one that the
  parser cannot read ("By FY2000") is ``unparsed_deadline``, never ``no_deadline``.
- **Roll-ups** per Alliance Point and for the plan count targets by state and actions by
  completion; the ``worst`` state is the first of :data:`SEVERITY` present.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from alianza.catalogue import declare
from alianza.cooperation.measures import CANNOT_COMPUTE, MeasureValue, coarsest, compute_measures
from alianza.node import node_country_or_none
from alianza.pme.cycle_measures import binational_once, measure_scope, partner_measure_values
from alianza.pme.deadline_store import (
    StoredDeadline,
    UnparsedDeadline,
    current_deadlines,
    source_report,
    unparsed_deadlines,
)
from alianza.pme.deadlines import Deadline, DeadlineKind
from alianza.pme.document import Report
from alianza.pme.events import recorded_events
from alianza.pme.judgements import Completion, Judgement, judgements_as_of
from alianza.pme.load import DEFAULT_PLAN
from alianza.pme.schedule import DUE_SOON_DAYS, SEVERITY, ScheduleState, schedule_state

NO_DATA = "no_data"


class Basis:
    """What a target's state rests on."""

    RECORDS = "records"
    JUDGEMENT = "judgement"
    BOTH = "records_and_judgement"  # both exist and agree
    DISPUTED = "disputed"
    DEADLINE = "deadline_only"


@dataclass(frozen=True)
class FromRecords:
    """The target as the bound measures compute it."""

    state: ScheduleState | None  # None: no bound measure could be computed
    met_on: date | None
    precision: str
    measures: tuple[MeasureValue, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state.value if self.state else CANNOT_COMPUTE,
            "met_on": self.met_on.isoformat() if self.met_on else None,
            "met_on_precision": self.precision if self.met_on else None,
            "measures": [
                {
                    "measurement": m.measurement,
                    "government": m.government,
                    "measure": m.measure,
                    "display": m.computed.display,
                    "display_es": m.computed.display_es,
                    "state": m.state,
                    "records": list(m.computed.records),
                    "record_count": m.records_behind,
                    "problem": m.problem,
                    "agreement": m.agreement,
                    "governments": list(m.governments),
                }
                for m in self.measures
            ],
        }


def from_records(
    measures: list[MeasureValue],
    deadline: Deadline,
    as_of: date,
    event_on: date | None,
    due_soon_days: int,
) -> FromRecords | None:
    """The target as its bound measures compute it (None when no measure is bound to it)."""
    if not measures:
        return None
    computable = [m for m in measures if m.state != CANNOT_COMPUTE]
    if not computable:
        return FromRecords(None, None, "exact", tuple(measures))
    dates = [m.computed.met_on for m in computable]
    met_on = max(d for d in dates if d) if all(dates) else None
    precision = coarsest([m.computed.precision for m in computable if m.computed.met_on == met_on])
    state, _due = schedule_state(
        deadline,
        as_of,
        event_on=event_on,
        completed_on=met_on,
        precision=precision if met_on else "exact",
        due_soon_days=due_soon_days,
    )
    return FromRecords(state, met_on, precision, tuple(measures))


@dataclass(frozen=True)
class TargetAssessment:
    address: str
    text: str
    stored: StoredDeadline | None
    state: ScheduleState
    due: date | None
    event_on: date | None
    judgement: Judgement | None  # the one the completion was read from (target or action)
    records: FromRecords | None = None  # None: no measure bound to the target
    judged: ScheduleState | None = None  # the state the judgement gives (None: no judgement)
    basis: str = Basis.DEADLINE

    @property
    def disputed(self) -> bool:
        return self.basis == Basis.DISPUTED

    def as_dict(self) -> dict[str, Any]:
        deadline = self.stored.deadline if self.stored else None
        return {
            "address": self.address,
            "text": self.text,
            "deadline": deadline.as_dict(self.event_on) if deadline else None,
            "deadline_origin": self.stored.origin if self.stored else None,
            "state": self.state.value,
            "basis": self.basis,
            "due": self.due.isoformat() if self.due else None,
            "completion": self.judgement.completion.value if self.judgement else NO_DATA,
            "from_records": self.records.as_dict() if self.records else None,
            "from_judgement": (
                {"state": self.judged.value, **self.judgement.as_dict()}
                if self.judged and self.judgement
                else None
            ),
        }


def combine(
    deadline_only: ScheduleState, records: FromRecords | None, judged: ScheduleState | None
) -> tuple[ScheduleState, str]:
    """The target's state and its basis, by the rule in the module's docstring."""
    computed = records.state if records else None
    if computed is None and judged is None:
        return deadline_only, Basis.DEADLINE
    if judged is None:
        assert computed is not None
        return computed, Basis.RECORDS
    if computed is None:
        return judged, Basis.JUDGEMENT
    if computed == judged:
        return computed, Basis.BOTH
    return ScheduleState.DISPUTED, Basis.DISPUTED


@dataclass
class Rollup:
    schedule: Counter[str] = field(default_factory=Counter)
    completion: Counter[str] = field(default_factory=Counter)

    @property
    def worst(self) -> str | None:
        return next((s.value for s in SEVERITY if self.schedule[s.value]), None)

    def add(self, other: Rollup) -> None:
        self.schedule.update(other.schedule)
        self.completion.update(other.completion)

    def as_dict(self) -> dict[str, Any]:
        return {
            "targets": {s.value: self.schedule[s.value] for s in ScheduleState},
            "actions": {c: self.completion[c] for c in [*(c.value for c in Completion), NO_DATA]},
            "worst": self.worst,
        }


@dataclass(frozen=True)
class ActionAssessment:
    number: str
    text: str
    judgement: Judgement | None
    targets: tuple[TargetAssessment, ...]

    @property
    def completion(self) -> str:
        return self.judgement.completion.value if self.judgement else NO_DATA

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "completion": self.completion,
            "judgement": self.judgement.as_dict() if self.judgement else None,
            "targets": [t.as_dict() for t in self.targets],
        }


@dataclass(frozen=True)
class PointAssessment:
    number: str
    title: str
    actions: tuple[ActionAssessment, ...]
    rollup: Rollup


@dataclass(frozen=True)
class Assessment:
    plan: str
    as_of: date
    due_soon_days: int
    points: tuple[PointAssessment, ...]
    rollup: Rollup
    unparsed: tuple[UnparsedDeadline, ...] = ()
    known_on: date | None = None  # replayed as known on this day (None: as known now)

    def targets(self) -> list[TargetAssessment]:
        return [t for p in self.points for a in p.actions for t in a.targets]

    def target(self, address: str) -> TargetAssessment:
        return next(t for t in self.targets() if t.address == address)

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "as_of": self.as_of.isoformat(),
            "known_on": self.known_on.isoformat() if self.known_on else None,
            "due_soon_days": self.due_soon_days,
            "rollup": self.rollup.as_dict(),
            "alliance_points": [
                {
                    "number": p.number,
                    "title": p.title,
                    "rollup": p.rollup.as_dict(),
                    "actions": [a.as_dict() for a in p.actions],
                }
                for p in self.points
            ],
            "unparsed_deadlines": [u.as_dict() for u in self.unparsed],
        }


def assess_report(
    report: Report,
    as_of: date,
    *,
    deadlines: dict[tuple[str, int], StoredDeadline],
    events: dict[str, date],
    judgements: dict[tuple[str, int | None], Judgement],
    measures: list[MeasureValue] | None = None,
    unparsed: list[UnparsedDeadline] | None = None,
    due_soon_days: int = DUE_SOON_DAYS,
    plan: str = DEFAULT_PLAN,
) -> Assessment:
    """The scorecard from its inputs (pure; :func:`assess_plan` reads them from storage)."""
    unparsed_at = {u.address for u in unparsed or []}
    by_target: dict[str, list[MeasureValue]] = {}
    for value in measures or []:
        if value.target:
            by_target.setdefault(value.target, []).append(value)
    points = []
    total = Rollup()
    for point in report.alliance_points:
        rollup = Rollup()
        actions = []
        for action in point.actions:
            action_judgement = judgements.get((action.number, None))
            targets = []
            for position, paragraph in enumerate(action.targets, start=1):
                address = f"{action.number}/targets/{position}"
                stored = deadlines.get((action.number, position))
                deadline = stored.deadline if stored else Deadline(DeadlineKind.NONE)
                judgement = judgements.get((action.number, position), action_judgement)
                event_on = events.get(deadline.event_key) if deadline.event_key else None
                if event_on is not None and event_on > as_of:
                    event_on = None
                alone, due = schedule_state(
                    deadline, as_of, event_on=event_on, due_soon_days=due_soon_days
                )
                judged = None
                if judgement is not None:
                    done = judgement.completion is Completion.DONE
                    judged, _due = schedule_state(
                        deadline,
                        as_of,
                        event_on=event_on,
                        completed_on=judgement.completed_on if done else None,
                        due_soon_days=due_soon_days,
                    )
                records = from_records(
                    by_target.get(address, []), deadline, as_of, event_on, due_soon_days
                )
                state, basis = combine(alone, records, judged)
                if state is ScheduleState.NO_DEADLINE and address in unparsed_at:
                    state = ScheduleState.UNPARSED_DEADLINE
                targets.append(
                    TargetAssessment(
                        address,
                        paragraph.text,
                        stored,
                        state,
                        due,
                        event_on,
                        judgement,
                        records,
                        judged,
                        basis,
                    )
                )
                rollup.schedule[state.value] += 1
            assessed = ActionAssessment(
                action.number, action.plain_text, action_judgement, tuple(targets)
            )
            rollup.completion[assessed.completion] += 1
            actions.append(assessed)
        total.add(rollup)
        points.append(PointAssessment(point.number, point.title, tuple(actions), rollup))
    return Assessment(plan, as_of, due_soon_days, tuple(points), total, tuple(unparsed or ()))


DUE_SOON_DAYS_REFUSED = declare(
    "pme.assessment.due-soon-days", "the due-soon window is a number of days, 0 or more"
)


def assess_plan(
    session: Session,
    as_of: date,
    *,
    plan_key: str = DEFAULT_PLAN,
    due_soon_days: int = DUE_SOON_DAYS,
    known_on: date | None = None,
    measures: list[MeasureValue] | None = None,
) -> Assessment:
    """The scorecard of the plan held in the database as of ``as_of``; with ``known_on``, as
    it could have been computed on that day (records, bindings, deadline corrections, events,
    judgements and the partner's submitted measures written later left out; the plan text is
    the current one).

    The registry's measures are this node's own, computed from its records, and the partner
    government's outcomes submitted with a reporting cycle dated ``as_of``
    (:func:`alianza.pme.cycle_measures.partner_measure_values`); ``measures`` given instead
    (a published edition: both governments' submitted outcomes) are used as they are."""
    if due_soon_days < 0:
        raise ValueError(DUE_SOON_DAYS_REFUSED.said())
    if measures is None:
        measures = registry_measures(session, as_of, plan_key=plan_key, known_on=known_on)
    assessment = assess_report(
        source_report(session, plan_key),
        as_of,
        deadlines=current_deadlines(session, plan_key, known_on=known_on),
        events={
            k: e.occurred_on
            for k, e in recorded_events(session, plan_key, known_on=known_on).items()
        },
        judgements=judgements_as_of(session, as_of, plan_key, known_on=known_on),
        measures=sorted(binational_once(measures), key=_measure_order),
        unparsed=unparsed_deadlines(session, plan_key),
        due_soon_days=due_soon_days,
        plan=plan_key,
    )
    return replace(assessment, known_on=known_on) if known_on else assessment


def registry_measures(
    session: Session, as_of: date, *, plan_key: str = DEFAULT_PLAN, known_on: date | None = None
) -> list[MeasureValue]:
    """This node's measures as of ``as_of`` (marked with its government) and the partner
    government's, as it submitted them with a cycle of that date."""
    own = node_country_or_none(session)
    local = [
        replace(value, government=own.value, scope=measure_scope(session, value)) if own else value
        for value in compute_measures(session, as_of, plan_key=plan_key, known_on=known_on)
    ]
    return local + partner_measure_values(session, as_of, plan_key, known_on)


def _measure_order(value: MeasureValue) -> tuple[list[int], int, str]:
    action, _column, position = value.measurement.split("/")
    numbers = [int(p) for p in action.split(".") if p.isdigit()]
    return numbers, int(position), value.government or ""


# The readable assessment's words (states, completions and ratings stay as their codes).
HEADER = declare(
    "pme.assessment.header",
    "Assessment of plan {plan} as of {as_of} (due soon = within {days} days)",
)
KNOWN_ON = declare("pme.assessment.known-on", ", as known on {known_on}")
POINT = declare("pme.assessment.point", "Alliance Point {number}: {title}")
COMPLETION = declare("pme.assessment.completion", "completion: {recorded}")
JUDGED = declare("pme.assessment.judged", " ({by}, as of {as_of}: {justification})")
NOTHING_RECORDED = declare("pme.assessment.no-data", "no data recorded")
DUE = declare("pme.assessment.due", "due {due}")
WAITS_ON = declare("pme.assessment.waits-on", "waits on: {event}")
POINT_ROLLUP = declare("pme.assessment.point-rollup", "  roll-up: {rollup}")
PLAN_ROLLUP = declare("pme.assessment.plan-rollup", "Plan roll-up: {rollup}")
UNPARSED = declare("pme.assessment.unparsed", "unparsed deadline ({language}) {address}: {phrase}")
FROM_RECORDS = declare("pme.assessment.from-records", "      from records:   {state}{met}")
MET = declare("pme.assessment.met", ", met {met_on}")
NONE_BEHIND = declare("pme.assessment.none-behind", "(none)")
RECORDS_ON = declare(
    "pme.assessment.records-on",
    ("{n} record(s) on {where}", "{n} record(s) on {where}"),
)
EACH_NODE = declare("pme.assessment.each-node", "each node")
THE_NODE = declare("pme.assessment.the-node", "the {government} node")
AND = declare("pme.assessment.and", " and ")
BOTH_SUBMITTED = declare(
    "pme.assessment.both-submitted", " ({governments}: both submitted this outcome)"
)
DIFFERS = declare("pme.assessment.differs", " ({government}; DIFFERS from {others}'s outcome)")
FROM_JUDGEMENT = declare(
    "pme.assessment.from-judgement",
    "      from judgement: {judged} ({completion} by {by}, as of {as_of}: {justification})",
)
DISPUTED = declare(
    "pme.assessment.disputed", "      DISPUTED: the records and the judgement disagree"
)
ROLLUP = declare("pme.assessment.rollup", "targets: {targets}; actions: {actions}; worst: {worst}")
NONE_COUNTED = declare("pme.assessment.none", "none")


def assessment_text(assessment: Assessment, language: str = "en") -> str:
    """A readable assessment: one line per target, roll-ups per Alliance Point and plan; its
    words in ``language`` (the plan's own text as written, states as their codes)."""
    header = HEADER(
        language,
        plan=repr(assessment.plan),
        as_of=assessment.as_of,
        days=assessment.due_soon_days,
    )
    if assessment.known_on:
        header += KNOWN_ON(language, known_on=assessment.known_on)
    lines = [header]
    for point in assessment.points:
        lines.append("\n" + POINT(language, number=point.number, title=point.title))
        for action in point.actions:
            judgement = action.judgement
            recorded = (
                f"{judgement.completion.value}"
                + (f", {judgement.rating.value}" if judgement.rating else "")
                + JUDGED(
                    language,
                    by=judgement.recorded_by,
                    as_of=judgement.as_of,
                    justification=judgement.justification,
                )
                if judgement
                else NOTHING_RECORDED(language)
            )
            lines.append(f"  {action.number:<8} " + COMPLETION(language, recorded=recorded))
            for target in action.targets:
                due = DUE(language, due=target.due) if target.due else ""
                if target.due is None and target.stored and target.stored.deadline.event:
                    due = WAITS_ON(language, event=target.stored.deadline.event)
                lines.append(f"    {target.address:<18} {target.state.value:<18} {due}".rstrip())
                lines += _basis_lines(target, language)
        lines.append(POINT_ROLLUP(language, rollup=_rollup_text(point.rollup, language)))
    lines.append("\n" + PLAN_ROLLUP(language, rollup=_rollup_text(assessment.rollup, language)))
    for u in assessment.unparsed:
        lines.append(
            UNPARSED(language, language=u.language, address=u.address, phrase=repr(u.phrase))
        )
    return "\n".join(lines) + "\n"


def _basis_lines(target: TargetAssessment, language: str = "en") -> list[str]:
    lines = []
    if target.records is not None:
        state = target.records.state.value if target.records.state else CANNOT_COMPUTE
        met = MET(language, met_on=target.records.met_on) if target.records.met_on else ""
        if target.records.met_on and target.records.precision != "exact":
            met += f" ({target.records.precision})"
        lines.append(FROM_RECORDS(language, state=state, met=met))
        for m in target.records.measures:
            behind = ", ".join(m.computed.records) or NONE_BEHIND(language)
            if m.record_count is not None:  # a government's submitted outcome: a count only
                where = (
                    EACH_NODE(language)
                    if m.agreement == "same"
                    else THE_NODE(language, government=m.government)
                )
                behind = RECORDS_ON(language, n=m.record_count, where=where)
            side = f" ({m.government})" if m.government else ""
            if m.agreement == "same":
                side = BOTH_SUBMITTED(language, governments=AND(language).join(m.governments))
            elif m.agreement == "differs":
                others = AND(language).join(g for g in m.governments if g != m.government)
                side = DIFFERS(language, government=m.government, others=others)
            lines.append(f"        {m.measurement}{side}: {m.computed.display} [{behind}]")
    if target.judged is not None and target.judgement is not None:
        j = target.judgement
        lines.append(
            FROM_JUDGEMENT(
                language,
                judged=target.judged.value,
                completion=j.completion.value,
                by=j.recorded_by,
                as_of=j.as_of,
                justification=j.justification,
            )
        )
    if target.disputed:
        lines.append(DISPUTED(language))
    return lines


def _rollup_text(rollup: Rollup, language: str = "en") -> str:
    targets = ", ".join(f"{n} {s}" for s, n in sorted(rollup.schedule.items()) if n)
    actions = ", ".join(f"{n} {c}" for c, n in sorted(rollup.completion.items()) if n)
    none = NONE_COUNTED(language)
    return ROLLUP(language, targets=targets or none, actions=actions or none, worst=rollup.worst)
