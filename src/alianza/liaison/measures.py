"""PME measures of counterpart communication (10.6), per port pair and calendar quarter.

- time to acknowledge: from delivery at the counterpart to its acknowledgement (both times
  on the acknowledging node's clock); median and 90th percentile (nearest rank);
- share of delivered alerts acknowledged within 5 minutes (an unacknowledged alert counts as
  not within);
- requests (alerts with a due time by priority): how many, the share answered (acknowledged)
  by their due time, and the breaches (reasons for delays are kept with each alert);
- drills held and passed (by the quarter they were held in).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza.liaison.alerts import as_utc
from alianza.liaison.models import Alert, Drill, PortPair

WITHIN = timedelta(minutes=5)


def quarter_of(moment: datetime) -> str:
    moment = as_utc(moment)
    return f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"


def nearest_rank(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


@dataclass
class PairQuarter:
    pair: str  # US port code
    quarter: str
    delivered: int = 0
    acknowledged: int = 0
    ack_seconds: list[float] = field(default_factory=list)
    within_5_min: int = 0
    drills_held: int = 0
    drills_passed: int = 0
    requests: int = 0  # alerts with a due time (request clocks)
    requests_in_time: int = 0  # acknowledged by their due time
    breaches: int = 0

    @property
    def median_seconds(self) -> float | None:
        return median(self.ack_seconds) if self.ack_seconds else None

    @property
    def p90_seconds(self) -> float | None:
        return nearest_rank(self.ack_seconds, 0.9) if self.ack_seconds else None

    @property
    def share_within_5_min(self) -> float | None:
        return self.within_5_min / self.delivered if self.delivered else None

    def as_dict(self) -> dict[str, object]:
        return {
            "pair": self.pair,
            "quarter": self.quarter,
            "alerts_delivered": self.delivered,
            "alerts_acknowledged": self.acknowledged,
            "ack_median_seconds": self.median_seconds,
            "ack_p90_seconds": self.p90_seconds,
            "share_acknowledged_within_5_min": self.share_within_5_min,
            "requests": self.requests,
            "requests_answered_in_time": self.requests_in_time,
            "share_requests_answered_in_time": (
                self.requests_in_time / self.requests if self.requests else None
            ),
            "request_breaches": self.breaches,
            "drills_held": self.drills_held,
            "drills_passed": self.drills_passed,
        }


def communication_measures(session: Session) -> list[PairQuarter]:
    pairs = {p.id: p.us_port_code for p in session.scalars(select(PortPair))}
    table: dict[tuple[str, str], PairQuarter] = {}

    def cell(pair_id: int, moment: datetime) -> PairQuarter:
        key = (pairs[pair_id], quarter_of(moment))
        if key not in table:
            table[key] = PairQuarter(*key)
        return table[key]

    for alert in session.scalars(select(Alert).where(Alert.delivered_at.is_not(None))):
        assert alert.delivered_at is not None
        entry = cell(alert.pair_id, alert.delivered_at)
        entry.delivered += 1
        if alert.acknowledged_at is not None:
            took = as_utc(alert.acknowledged_at) - as_utc(alert.delivered_at)
            entry.acknowledged += 1
            entry.ack_seconds.append(took.total_seconds())
            entry.within_5_min += took <= WITHIN
        if alert.due_at is not None:
            entry.requests += 1
            answered = alert.acknowledged_at
            entry.requests_in_time += answered is not None and as_utc(answered) <= as_utc(
                alert.due_at
            )
            entry.breaches += alert.breached_at is not None
    for drill in session.scalars(select(Drill).where(Drill.held_at.is_not(None))):
        assert drill.held_at is not None
        entry = cell(drill.pair_id, drill.held_at)
        entry.drills_held += 1
        entry.drills_passed += bool(drill.passed)
    return [table[k] for k in sorted(table)]


@dataclass(frozen=True)
class RequestClock:
    """One request whose clock is decided: answered in time, or past its due time."""

    alert_id: str
    decided_on: date  # the day it was answered in time, else the day it fell due (UTC)
    in_time: bool
    ack_seconds: float | None  # delivery to acknowledgement, when acknowledged


def decided_requests(
    session: Session, as_of: date, *, to_country: str | None = None, since: date | None = None
) -> list[RequestClock]:
    """The requests (alerts with a due time) whose clock is decided by the end of ``as_of``,
    in the order they were decided; ``to_country``: those that side received (was asked to
    answer); ``since``: those sent on or after that day. Feeds the performance-measures
    scorecard (the ``port-requests`` measure, :mod:`alianza.cooperation.measures`)."""
    query = select(Alert).where(Alert.due_at.is_not(None))
    if to_country is not None:
        query = query.where(Alert.to_country == to_country)
    found = []
    for alert in session.scalars(query.order_by(Alert.created_at)):
        assert alert.due_at is not None
        if since is not None and as_utc(alert.created_at).date() < since:
            continue
        due = as_utc(alert.due_at)
        answered = as_utc(alert.acknowledged_at) if alert.acknowledged_at else None
        took = (
            (answered - as_utc(alert.delivered_at)).total_seconds()
            if answered is not None and alert.delivered_at is not None
            else None
        )
        if answered is not None and answered <= due and answered.date() <= as_of:
            found.append(RequestClock(alert.id, answered.date(), True, took))
        elif due.date() <= as_of and (answered is None or answered > due):
            late_took = took if answered is not None and answered.date() <= as_of else None
            found.append(RequestClock(alert.id, due.date(), False, late_took))
    return sorted(found, key=lambda r: (r.decided_on, r.alert_id))
