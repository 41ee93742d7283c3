"""Lane assignment within capacity, ASYCUDA-style precedence, and the control-slice estimate.

For one batch (a port, a shift): lanes are listed from the most to the least intrusive, each
with a capacity; whatever is not assigned is released. Precedence:

1. mandatory rule hits go to their rule's lane (highest priority first); a mandatory hit is
   never dropped: when its lane is full it is still assigned and counted as *over capacity*;
2. a random control slice: in each lane, ``random_share`` of the capacity left is filled by
   shipments drawn uniformly at random from those not yet assigned. The count is rounded at
   random (randomised rounding): ``floor(x)`` plus one with probability ``x - floor(x)``, so the
   expected control share equals ``random_share`` in every lane, however small (a lane of 9
   slots at 10 % draws one control shipment nine times in ten, never silently none);
3. optionally, the critical head's own budget: a number of slots per lane for the highest
   critical probabilities;
4. the rest of each lane, most intrusive first, takes the highest priorities (model probability
   plus the weights of non-mandatory rule hits), under the stated *fill policy*: ``fill_floor``
   ``None`` fills every slot left whatever the score ("fill"); a number fills only with
   priorities at or above it and leaves the other slots unused ("spare", counted per lane).

Outcomes of the random slice estimate the batch's violation rate without the selection bias of
targeted inspections (:func:`estimate_hit_rate`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from alianza.catalogue import Said, declare
from alianza.risk import messages as words
from alianza.risk.rules import Hit

RELEASE = "release"
MANDATORY = "mandatory"
RANDOM = "random-control"
SCORE = "score"
CRITICAL = "critical-score"

# The spare-capacity policy in words (the selection summary; the audit log keeps the English).
FILL_POLICY = declare(
    "risk.policy-fill",
    "fill: slots left after rules and the control slice take the highest scores",
)
SPARE_POLICY = declare(
    "risk.policy-spare",
    "spare: slots left take only priorities >= {floor}; others stay unused",
)


@dataclass(frozen=True)
class Lane:
    name: str
    capacity: int

    def __post_init__(self) -> None:
        if self.capacity < 0:
            raise ValueError(words.LANE_NEGATIVE.said(lane=self.name))
        if self.name == RELEASE:
            raise ValueError(words.LANE_RELEASE.said(release=RELEASE))


@dataclass(frozen=True)
class Assignment:
    row: int
    lane: str
    reason: str  # mandatory / random-control / score / release
    priority: float
    rules: tuple[str, ...]  # codes of the rules that hit the row

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "lane": self.lane,
            "reason": self.reason,
            "priority": self.priority,
            "rules": list(self.rules),
        }


@dataclass(frozen=True)
class Selection:
    assignments: tuple[Assignment, ...]  # one per row, in row order
    lanes: tuple[Lane, ...]
    seed: int
    fill_floor: float | None = None

    def policy(self) -> Said:
        """The spare-capacity policy, as stated in the summary and the audit log (its English;
        the summary says it in the user's language)."""
        if self.fill_floor is None:
            return FILL_POLICY.said()
        return SPARE_POLICY.said(floor=f"{self.fill_floor:g}")

    def used(self, lane: str) -> int:
        return sum(1 for a in self.assignments if a.lane == lane)

    def over_capacity(self, lane: str) -> int:
        capacity = next(x.capacity for x in self.lanes if x.name == lane)
        return max(0, self.used(lane) - capacity)

    def rows(self, reason: str) -> list[int]:
        return [a.row for a in self.assignments if a.reason == reason]

    def rows_in(self, lane: str) -> list[int]:
        return [a.row for a in self.assignments if a.lane == lane]

    def summary(self) -> list[dict[str, Any]]:
        out = []
        for lane in self.lanes:
            members = [a for a in self.assignments if a.lane == lane.name]
            out.append(
                {
                    "lane": lane.name,
                    "capacity": lane.capacity,
                    "used": len(members),
                    "over_capacity": self.over_capacity(lane.name),
                    "mandatory": sum(a.reason == MANDATORY for a in members),
                    "random_control": sum(a.reason == RANDOM for a in members),
                    "critical_score": sum(a.reason == CRITICAL for a in members),
                    "score": sum(a.reason == SCORE for a in members),
                    "spare": max(0, lane.capacity - len(members)),
                }
            )
        out.append({"lane": RELEASE, "used": self.used(RELEASE)})
        return out


def select(
    probability: npt.ArrayLike,
    lanes: Sequence[Lane],
    hits: Sequence[Hit] = (),
    *,
    random_share: float = 0.1,
    seed: int = 0,
    critical: npt.ArrayLike | None = None,
    critical_budget: dict[str, int] | None = None,
    fill_floor: float | None = None,
) -> Selection:
    """Assign every row of a batch to a lane (or release). ``probability`` is one per row.

    ``critical`` (the critical head's probabilities) with ``critical_budget`` (lane -> slots)
    gives the rare class its own budget: after the random slice, those slots of each lane take
    the highest critical probabilities, before the general ranking fills the rest.
    """
    if not 0 <= random_share <= 1:
        raise ValueError(words.RANDOM_SHARE.said())
    names = [lane.name for lane in lanes]
    if len(set(names)) != len(names):
        raise ValueError(words.LANE_NOT_UNIQUE.said())
    p = np.asarray(probability, dtype=np.float64)
    n = len(p)
    priority = p.copy()
    rules: list[list[str]] = [[] for _ in range(n)]
    mandatory_lane: dict[int, tuple[int, str]] = {}  # row -> (lane index, rule)
    for hit in hits:
        if not 0 <= hit.row < n:
            raise IndexError(words.HIT_OUTSIDE.said(row=hit.row, size=n))
        rules[hit.row].append(hit.rule)
        if hit.mandatory:
            if hit.lane not in names:
                raise ValueError(words.HIT_UNKNOWN_LANE.said(rule=hit.rule, lane=hit.lane))
            index = names.index(hit.lane)
            # the most intrusive lane wins when several mandatory rules hit one row
            if hit.row not in mandatory_lane or index < mandatory_lane[hit.row][0]:
                mandatory_lane[hit.row] = (index, hit.rule)
        else:
            priority[hit.row] += hit.weight
    lane_of: dict[int, tuple[str, str]] = {}
    left = {lane.name: lane.capacity for lane in lanes}
    # 1. mandatory hits, by priority (stable on row order)
    for row in sorted(mandatory_lane, key=lambda r: (-priority[r], r)):
        required = names[mandatory_lane[row][0]]
        lane_of[row] = (required, MANDATORY)
        left[required] -= 1
    # 2. random control slice, lane by lane
    rng = np.random.default_rng(seed)
    for lane in lanes:
        expected = max(left[lane.name], 0) * random_share
        want = math.floor(expected)
        if rng.random() < expected - want:  # randomised rounding: E[want] == expected
            want += 1
        pool = np.array([r for r in range(n) if r not in lane_of], dtype=np.int64)
        if want and len(pool):
            for row in rng.choice(pool, size=min(want, len(pool)), replace=False):
                lane_of[int(row)] = (lane.name, RANDOM)
                left[lane.name] -= 1
    # 3. the critical head's own budget
    if critical_budget:
        if critical is None:
            raise ValueError(words.CRITICAL_NEEDS_HEAD.said())
        c = np.asarray(critical, dtype=np.float64)
        if len(c) != n:
            raise ValueError(words.CRITICAL_PER_ROW.said())
        unknown = set(critical_budget) - set(names)
        if unknown:
            raise ValueError(words.CRITICAL_UNKNOWN_LANES.said(lanes=", ".join(sorted(unknown))))
        ranked = [int(r) for r in np.argsort(-c, kind="stable")]
        for lane in lanes:
            slots = min(critical_budget.get(lane.name, 0), max(left[lane.name], 0))
            for row in ranked:
                if slots == 0:
                    break
                if row not in lane_of:
                    lane_of[row] = (lane.name, CRITICAL)
                    left[lane.name] -= 1
                    slots -= 1
    # 4. top priorities, most intrusive lane first
    order = [
        int(r)
        for r in np.argsort(-priority, kind="stable")
        if int(r) not in lane_of and (fill_floor is None or priority[r] >= fill_floor)
    ]
    position = 0
    for lane in lanes:
        while left[lane.name] > 0 and position < len(order):
            lane_of[order[position]] = (lane.name, SCORE)
            left[lane.name] -= 1
            position += 1
    assignments = tuple(
        Assignment(
            row,
            *lane_of.get(row, (RELEASE, RELEASE)),
            priority=float(priority[row]),
            rules=tuple(rules[row]),
        )
        for row in range(n)
    )
    return Selection(assignments, tuple(lanes), seed, fill_floor)


@dataclass(frozen=True)
class HitRate:
    inspected: int
    hits: int
    rate: float
    low: float  # Wilson 95 % interval
    high: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "inspected": self.inspected,
            "hits": self.hits,
            "rate": self.rate,
            "low": self.low,
            "high": self.high,
        }


def estimate_hit_rate(outcomes: Sequence[int], z: float = 1.959964) -> HitRate:
    """Violation rate among random-control inspections, with a Wilson score interval. Only
    the random slice gives an unbiased estimate: targeted rows were chosen for being risky."""
    n = len(outcomes)
    k = int(sum(outcomes))
    if n == 0:
        return HitRate(0, 0, math.nan, math.nan, math.nan)
    rate = k / n
    centre = (rate + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(rate * (1 - rate) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return HitRate(n, k, rate, max(0.0, centre - half), min(1.0, centre + half))
