"""Registry records changed after a government submitted its measures with a cycle.

A government's ``submit`` carries the outcomes its node computed from its records as of the
cycle's date (:mod:`alianza.pme.cycle_measures`), and the agreed edition rests on them. A
registry record written or changed later (``alianza coop complete``, a meeting added or
edited) can change what the node computes *now* for that same date, and live ``pme assess
--as-of`` the cycle's date then differs from the agreed edition. :func:`changed_since_submission`
lists, for each cycle this node's government submitted, every measure whose outcome now differs
from the one submitted (the state, value, date met and records counted, then and now), so that
the cycle page, ``pme todo`` and ``pme assess`` say so and the coordinator can resubmit.

Only this node's own outcomes are compared: the partner government's records are on its node,
which flags its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza.catalogue import declare
from alianza.node import node_country_or_none
from alianza.pme.assessment import Assessment
from alianza.pme.cycle_measures import measure_snapshot, order_key, submitted_outcomes
from alianza.pme.deadline_store import plan_row
from alianza.pme.engine_models import CycleRow
from alianza.pme.load import DEFAULT_PLAN

# What the agreed edition shows of an outcome: a change to any of these is flagged.
COMPARED = ("state", "value", "display", "met_on", "met_on_precision", "record_count", "problem")
# What the coordinator can do, by the cycle's state.
_AGAIN = declare("pme.measure-change.next.submit-again", "submit the cycle again")
_RETURN_FIRST = declare(
    "pme.measure-change.next.return-first", "return the cycle, then submit it again"
)
_NEXT = {
    "returned": _AGAIN,
    "open": _AGAIN,
    "in_review": _RETURN_FIRST,
    "approved": _RETURN_FIRST,
    "locked": declare(
        "pme.measure-change.next.locked",
        "the cycle is locked: its edition keeps the outcomes submitted",
    ),
    "published": declare(
        "pme.measure-change.next.published",
        "the edition is published with the outcomes submitted; the next cycle carries the change",
    ),
}
CHANGED = declare(
    "pme.measure-change.message",
    "{target} ({measurement}, {measure}): submitted by {submitted_by} on {when} as {then}; "
    "computed now for {as_of}: {now}. The records changed after the submission: {next_step}",
)
NO_MEASURE = declare("pme.measure-change.no-measure", "no measure bound")
OUTCOME = declare("pme.measure-change.outcome", "{state} ({display}{met}, {count} record(s))")
MET_ON = declare("pme.measure-change.met-on", ", met on {date}")
CHANGES_HEADING = declare(
    "pme.measure-change.heading",
    "Changed since submission: {count} measure(s) now differ from the outcomes this "
    "government submitted",
)


@dataclass(frozen=True)
class MeasureChange:
    """One measure of a target whose outcome, computed now for the cycle's date, differs from
    the one this node's government submitted (``then``; ``None``: bound after the submission;
    ``now`` ``None``: no longer bound)."""

    cycle: str
    cycle_state: str
    as_of: date
    government: str
    measurement: str
    target: str
    measure: str
    then: dict[str, Any] | None
    now: dict[str, Any] | None
    submitted_by: str
    submitted_at: datetime

    @property
    def changed(self) -> list[str]:
        """The fields that differ (all of them when one side is missing)."""
        if self.then is None or self.now is None:
            return list(COMPARED)
        return [f for f in COMPARED if self.then.get(f) != self.now.get(f)]

    def next_step(self, language: str = "en") -> str:
        return _NEXT.get(self.cycle_state, _NEXT["published"])(language)

    def message(self, language: str = "en") -> str:
        """One sentence: the target, the measure, then and now, and what to do."""
        return CHANGED(
            language,
            target=self.target,
            measurement=self.measurement,
            measure=self.measure,
            submitted_by=self.submitted_by,
            when=self.submitted_at.date().isoformat(),
            then=_summary(self.then, language),
            as_of=self.as_of.isoformat(),
            now=_summary(self.now, language),
            next_step=self.next_step(language),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "cycle": self.cycle,
            "cycle_state": self.cycle_state,
            "as_of": self.as_of.isoformat(),
            "government": self.government,
            "target": self.target,
            "measurement": self.measurement,
            "measure": self.measure,
            "changed": self.changed,
            "then": _shown(self.then),
            "now": _shown(self.now),
            "submitted_by": self.submitted_by,
            "submitted_at": self.submitted_at.isoformat(),
            "message": {"en": self.message("en"), "es": self.message("es")},
        }


def _shown(outcome: dict[str, Any] | None) -> dict[str, Any] | None:
    if outcome is None:
        return None
    return {f: outcome.get(f) for f in (*COMPARED, "display_es")}


def _summary(outcome: dict[str, Any] | None, language: str) -> str:
    if outcome is None:
        return NO_MEASURE(language)
    display = outcome["display_es"] if language == "es" and outcome["display_es"] else None
    met = outcome["met_on"]
    return OUTCOME(
        language,
        state=outcome["state"],
        display=display or outcome["display"],
        met=MET_ON(language, date=met) if met else "",
        count=outcome["record_count"],
    )


def changed_since_submission(
    session: Session,
    plan_key: str = DEFAULT_PLAN,
    *,
    as_of: date | None = None,
    cycle: str | None = None,
) -> list[MeasureChange]:
    """Every measure whose outcome, computed now, differs from what this node's government
    last submitted, over the cycles it submitted (only those dated ``as_of``, or the cycle
    ``cycle``, when given). Empty on a node without a country."""
    own = node_country_or_none(session)
    if own is None:
        return []
    query = select(CycleRow).where(CycleRow.plan_id == plan_row(session, plan_key).id)
    if as_of is not None:
        query = query.where(CycleRow.as_of == as_of)
    if cycle is not None:
        query = query.where(CycleRow.key == cycle)
    computed: dict[date, dict[str, dict[str, Any]]] = {}
    changes = []
    for row in session.scalars(query.order_by(CycleRow.as_of, CycleRow.key)):
        kept = submitted_outcomes(session, row).get(own.value)
        if kept is None:
            continue
        if row.as_of not in computed:
            snapshot = measure_snapshot(session, row.as_of, plan_key)
            computed[row.as_of] = {o["measurement"]: o for o in snapshot}
        now = computed[row.as_of]
        then = {str(o["measurement"]): o for o in kept.measures}
        for measurement in sorted(set(then) | set(now), key=order_key):
            before, after = then.get(measurement), now.get(measurement)
            if before and after and all(before.get(f) == after.get(f) for f in COMPARED):
                continue
            either = after or before
            assert either is not None
            changes.append(
                MeasureChange(
                    cycle=row.key,
                    cycle_state=row.state,
                    as_of=row.as_of,
                    government=own.value,
                    measurement=measurement,
                    target=str(either["target"]),
                    measure=str(either["measure"]),
                    then=before,
                    now=after,
                    submitted_by=kept.submitted_by,
                    submitted_at=kept.recorded_at,
                )
            )
    return changes


def changes_behind(session: Session, assessment: Assessment) -> list[MeasureChange]:
    """The changes a scorecard should say beside it (``pme assess``, the API): those of the
    cycles dated as it is; none when it is replayed as known on a day (that is what was
    known then)."""
    if assessment.known_on is not None:
        return []
    return changed_since_submission(session, assessment.plan, as_of=assessment.as_of)


def changes_text(changes: list[MeasureChange], language: str | None = None) -> str:
    """The changes as ``pme assess`` prints them after the scorecard: in ``language``, or
    English then Spanish when none is given."""
    if not changes:
        return ""
    languages = ("en", "es") if language is None else (language,)
    lines = [""] + [CHANGES_HEADING(one, count=len(changes)) for one in languages]
    for change in changes:
        lines += [f"  [{change.cycle}] {change.message(one)}" for one in languages]
    return "\n".join(lines) + "\n"
