"""The registry's measures as both governments agree them: each submits its outcomes with the
cycle.

The measures bound to the plan's measurements (:mod:`alianza.cooperation.measures`) are
computed from the cooperation registry, and each node holds only its own government's national
records (and its copy of the binational ones): the US node measures the US side, the MX node
the Mexican side. So that both nodes assemble the same scorecard, a government's ``submit``
step carries what its node computes, as of the cycle's date (:func:`measure_snapshot`): for
each bound measurement with a target, the outcome only — the measure, the value as the
plan publishes it (English and Spanish), the target's state, the date it was met and that
date's precision, and the *count* of records behind it. Never a record, its id or any field of
it: like the aggregates of :mod:`alianza.releasability`, an outcome is a count and a date,
and a national record stays on its node.

The submitting node records its own outcomes, the receiving node the partner's from its
verified message (partner data, :func:`apply_partner_measures`); a resubmission replaces them
(a new row; the latest of each government counts). The published edition's scorecard rests on
both governments' submitted outcomes (:func:`cycle_measure_values`), and ``pme assess`` as of
a cycle's date reads the partner's outcomes submitted for that date beside its own live
computation (:func:`partner_measure_values`), so that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza.catalogue import declare, message_of
from alianza.cooperation.measures import (
    PORT_REQUESTS_MEASURE,
    Computed,
    MeasureValue,
    compute_measures,
)
from alianza.cooperation.registry import RECORD_KINDS, owner_of
from alianza.exchange.keys import NodeIdentity
from alianza.node import node_country_or_none
from alianza.pme.deadline_store import plan_row
from alianza.pme.engine_models import CycleMeasuresRow, CycleRow
from alianza.pme.known import known_bound, written_by
from alianza.pme.load import DEFAULT_PLAN
from alianza.pme.query import Address, BadAddress

PRECISIONS = ("exact", "month", "year", "approximate")
SCOPES = ("binational", "national")
_TEXT_FIELDS = ("measurement", "measure", "target", "state", "display", "display_es",
                "target_value", "target_value_es")  # fmt: skip

# The partner's outcome that is refused (``why``: which field, as the message names it).
INVALID_OUTCOME = declare(
    "pme.cycle-measures.invalid-outcome",
    "the {country} node submitted a measure outcome that is not valid ({where}: {why})",
)
NOT_OBJECT = declare("pme.cycle-measures.not-object", "not an object")
FIELDS = declare("pme.cycle-measures.fields", "fields {fields}")
SCOPE_ONE_OF = declare("pme.cycle-measures.scope-one-of", "scope is one of {scopes}")
NOT_TEXT = declare("pme.cycle-measures.not-text", "{name} is not text")
NOT_PARAGRAPH = declare("pme.cycle-measures.not-paragraph", "{name} is not a {column} paragraph")
NOT_WHOLE = declare("pme.cycle-measures.not-whole", "value and record_count are whole numbers")
PRECISION = declare("pme.cycle-measures.precision", "met_on_precision or approximate_dates")
NOT_DATE = declare("pme.cycle-measures.not-date", "met_on {met_on!r} is not a date")


def _outcome(value: MeasureValue, scope: str) -> dict[str, Any]:
    c = value.computed
    return {
        "measurement": value.measurement,
        "measure": value.measure,
        "target": value.target,
        "state": value.state,
        "value": c.value,
        "display": c.display,
        "display_es": c.display_es,
        "target_value": c.target,
        "target_value_es": c.target_es,
        "met_on": c.met_on.isoformat() if c.met_on else None,
        "met_on_precision": c.precision,
        "approximate_dates": c.approximate,
        "record_count": len(c.records),
        "problem": value.problem,
        "scope": scope,
    }


def order_key(measurement: str) -> tuple[list[int], int]:
    """The plan's order of measurement addresses (10.4/measurements/1 before 10.4.1/...)."""
    action, _column, position = measurement.split("/")
    return [int(p) for p in action.split(".") if p.isdigit()], int(position)


def _order(item: dict[str, Any]) -> tuple[list[int], int]:
    return order_key(str(item["measurement"]))


# Measures that read one government's national records only (each node measures its side).
NATIONAL_MEASURES = ("liaison-posts", "technology", "trained")
_MODELS = {kind: model for model, kind in RECORD_KINDS.items()}


def measure_scope(session: Session, value: MeasureValue) -> str:
    """``national`` when the measure reads one government's records (a national kind, port
    requests of one direction, or any national record behind it: a meeting of one
    government's officials, a deliverable of one government); ``binational`` otherwise (the
    mechanisms, their binational meetings, joint deliverables and the exchange log both nodes
    hold alike)."""
    if value.measure in NATIONAL_MEASURES:
        return "national"
    if value.measure == PORT_REQUESTS_MEASURE and "direction" in value.params:
        return "national"
    for record in value.computed.records:
        kind, _, number = record.partition(":")
        model = _MODELS.get(kind)
        row = session.get(model, int(number)) if model is not None else None
        if row is not None and owner_of(row) != "binational":
            return "national"
    return "binational"


def measure_snapshot(
    session: Session, as_of: date, plan_key: str = DEFAULT_PLAN
) -> list[dict[str, Any]]:
    """The outcomes of this node's bound measures with a target, as of ``as_of``: what its
    government submits (no record ids, no record fields)."""
    values = compute_measures(session, as_of, plan_key=plan_key)
    return sorted((_outcome(v, measure_scope(session, v)) for v in values if v.target), key=_order)


def record_own_measures(
    session: Session, row: CycleRow, plan_key: str, country: str, account: str
) -> list[dict[str, Any]]:
    """Compute and keep this government's outcomes for the cycle's date (at its submission);
    returns them, as the ``submit`` message carries them."""
    outcomes = measure_snapshot(session, row.as_of, plan_key)
    _keep(session, row, country, outcomes, account, None)
    return outcomes


def _keep(
    session: Session,
    row: CycleRow,
    country: str,
    outcomes: list[dict[str, Any]],
    account: str,
    received_from: str | None,
) -> None:
    session.add(
        CycleMeasuresRow(
            cycle_id=row.id,
            round=row.round,
            country=country,
            as_of=row.as_of,
            measures=outcomes,
            submitted_by=account,
            received_from=received_from,
            recorded_at=datetime.now(UTC),
        )
    )
    session.flush()


def _checked(item: Any, country: str) -> dict[str, Any]:
    """One outcome of the partner's message, checked field by field (``ValueError``)."""
    from alianza.pme.cycles import CycleRefused

    def refuse(why: str) -> CycleRefused:
        where = item.get("measurement") if isinstance(item, dict) else None
        return CycleRefused(INVALID_OUTCOME.said(country=country, where=where or "?", why=why))

    if not isinstance(item, dict):
        raise refuse(NOT_OBJECT.said())
    item = {"scope": "national", **item}  # a node that does not say: each government's own
    if set(item) != set(_outcome_fields()):
        raise refuse(FIELDS.said(fields=sorted(set(item) ^ set(_outcome_fields()))))
    if item["scope"] not in SCOPES:
        raise refuse(SCOPE_ONE_OF.said(scopes=", ".join(SCOPES)))
    for name in _TEXT_FIELDS:
        if not isinstance(item[name], str):
            raise refuse(NOT_TEXT.said(name=name))
    for name, column in (("measurement", "measurements"), ("target", "targets")):
        try:
            if Address.parse(item[name]).column.value != column:
                raise refuse(NOT_PARAGRAPH.said(name=name, column=column))
        except BadAddress as error:
            raise refuse(message_of(error)) from None
    counts = ("value", "record_count")
    if any(
        isinstance(item[n], bool) or not isinstance(item[n], int) or item[n] < 0 for n in counts
    ):
        raise refuse(NOT_WHOLE.said())
    if item["met_on_precision"] not in PRECISIONS or not isinstance(
        item["approximate_dates"], bool
    ):
        raise refuse(PRECISION.said())
    if item["met_on"] is not None:
        try:
            date.fromisoformat(str(item["met_on"]))
        except ValueError:
            raise refuse(NOT_DATE.said(met_on=item["met_on"])) from None
    if item["problem"] is not None and not isinstance(item["problem"], str):
        raise refuse(NOT_TEXT.said(name="problem"))
    return dict(item)


def _outcome_fields() -> tuple[str, ...]:
    return ("measurement", "measure", "target", "state", "value", "display", "display_es",
            "target_value", "target_value_es", "met_on", "met_on_precision",
            "approximate_dates", "record_count", "problem", "scope")  # fmt: skip


def apply_partner_measures(
    session: Session, row: CycleRow, outcomes: list[Any], partner: NodeIdentity, account: str
) -> None:
    """Keep the partner government's submitted outcomes (partner data), checked first
    (nothing kept when one is not valid: ``CycleRefused``)."""
    checked = sorted((_checked(item, partner.country) for item in outcomes), key=_order)
    _keep(session, row, partner.country, checked, account, partner.name)


def submitted_outcomes(session: Session, row: CycleRow) -> dict[str, CycleMeasuresRow]:
    """Government → its latest submitted outcomes for the cycle."""
    found: dict[str, CycleMeasuresRow] = {}
    rows = session.scalars(
        select(CycleMeasuresRow)
        .where(CycleMeasuresRow.cycle_id == row.id)
        .order_by(CycleMeasuresRow.id)
    )
    for kept in rows:
        found[kept.country] = kept
    return found


def measure_values(kept: CycleMeasuresRow) -> list[MeasureValue]:
    """A government's submitted outcomes as measure values of the scorecard."""
    values = []
    for item in kept.measures:
        computed = Computed(
            int(item["value"]),
            str(item["display"]),
            str(item["target_value"]),
            date.fromisoformat(item["met_on"]) if item["met_on"] else None,
            (),
            bool(item["approximate_dates"]),
            display_es=str(item["display_es"]),
            target_es=str(item["target_value_es"]),
            precision=str(item["met_on_precision"]),
        )
        values.append(
            MeasureValue(
                str(item["measurement"]),
                "",
                str(item["measure"]),
                {},
                str(item["target"]),
                None,
                computed,
                None,
                str(item["state"]),
                item["problem"],
                government=kept.country,
                record_count=int(item["record_count"]),
                scope=str(item.get("scope", "national")),
            )
        )
    return values


def cycle_measure_values(session: Session, row: CycleRow) -> tuple[list[MeasureValue], str]:
    """The outcomes both governments submitted with the cycle (the latest of each), and the
    sentence saying so (the edition's ``assessment_basis``)."""
    kept = submitted_outcomes(session, row)
    values = [v for country in sorted(kept) for v in measure_values(kept[country])]
    if kept:
        sides = " and ".join(
            f"{country} (submitted by {kept[country].submitted_by}, round {kept[country].round})"
            for country in sorted(kept)
        )
        measures = (
            f"and the registry's measures as each government computed them from its own "
            f"records as of {row.as_of.isoformat()} and submitted them with the cycle: {sides}; "
            "a target bound to measures of both governments is met when every one is met; "
            "a binational measure (computed from records both nodes hold) is shown once when "
            "both governments submitted the same outcome, and both outcomes are shown, marked "
            "as differing, when they do not"
        )
    else:
        measures = "and no registry measures (no government submitted any with the cycle)"
    return values, f"deadlines, events and recorded judgements, {measures}"


def partner_measure_values(
    session: Session, as_of: date, plan_key: str = DEFAULT_PLAN, known_on: date | None = None
) -> list[MeasureValue]:
    """The partner government's outcomes submitted for a cycle dated ``as_of`` (the latest
    received; those received after ``known_on`` left out); none on a node without a
    country."""
    own = node_country_or_none(session)
    if own is None:
        return []
    query = (
        select(CycleMeasuresRow)
        .join(CycleRow, CycleRow.id == CycleMeasuresRow.cycle_id)
        .where(
            CycleRow.plan_id == plan_row(session, plan_key).id,
            CycleMeasuresRow.as_of == as_of,
            CycleMeasuresRow.country != own.value,
        )
        .order_by(CycleMeasuresRow.id.desc())
    )
    bound = known_bound(known_on)
    if bound is not None:
        query = query.where(written_by(CycleMeasuresRow.recorded_at, bound))
    latest = session.scalars(query.limit(1)).first()
    return measure_values(latest) if latest is not None else []


# What two outcomes of one binational measure must share to be the same outcome.
def _outcome_of(value: MeasureValue) -> tuple[Any, ...]:
    c = value.computed
    return (value.measure, value.target, value.state, value.problem, c.value, c.display,
            c.display_es, c.target, c.target_es, c.met_on, c.precision, c.approximate,
            value.records_behind)  # fmt: skip


def binational_once(values: list[MeasureValue]) -> list[MeasureValue]:
    """Both governments' outcomes of each binational measure read together: one value
    (``government`` "binational", agreement ``same``) where they are the same, both values
    marked ``differs`` where they are not (the target is then met only when both are).
    National measures, and a binational one only one government gave, are left as they are."""
    sides: dict[str, list[MeasureValue]] = {}
    for value in values:
        if value.scope == "binational" and value.government in ("US", "MX"):
            sides.setdefault(value.measurement, []).append(value)
    merged: list[MeasureValue] = []
    for value in values:
        pair = sides.get(value.measurement, [])
        if len({v.government for v in pair}) != 2 or not any(value is v for v in pair):
            merged.append(value)
            continue
        governments = tuple(sorted(str(v.government) for v in pair))
        if _outcome_of(pair[0]) != _outcome_of(pair[1]):
            merged.append(replace(value, agreement="differs", governments=governments))
        elif value is pair[0]:
            merged.append(
                replace(value, government="binational", agreement="same", governments=governments)
            )
    return merged


@dataclass(frozen=True)
class Submission:
    """Who submitted a government's outcomes with a cycle, when, in which round, and the
    partner node they came from (None: this node's own)."""

    government: str
    by: str
    at: datetime
    round: int
    received_from: str | None


def submitted_measures(
    session: Session, key: str, plan_key: str = DEFAULT_PLAN
) -> tuple[list[MeasureValue], dict[str, Submission]]:
    """The outcomes both governments submitted with cycle ``key`` (the latest of each), as the
    edition reads them (a binational measure once where both agree: :func:`binational_once`),
    in the plan's order, and who submitted each government's."""
    from alianza.pme.cycles import _cycle

    kept = submitted_outcomes(session, _cycle(session, key, plan_key))
    values = binational_once([v for country in sorted(kept) for v in measure_values(kept[country])])
    values.sort(key=lambda v: (order_key(v.measurement), v.government or ""))
    return values, {
        country: Submission(country, k.submitted_by, k.recorded_at, k.round, k.received_from)
        for country, k in kept.items()
    }
