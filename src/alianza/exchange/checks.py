"""Content checks on receipt: is what a trusted partner signed plausible?

A signature proves who sent a package, not that its numbers make sense. After
:func:`alianza.exchange.package.verify_package` (structure, code lists, signature), a received
package must also pass, or it is refused with nothing stored:

- its quarter has closed by the receiving node's clock (the calendar quarter's last day is
  before today): a package for a quarter not yet over is a mistake or a forgery;
- counts are whole numbers (SEIZURES events, UNITS of tablets, doses, plants);
- no breakdown (by location, concealment, transport mode) is larger than its total;
- the breakdowns by location and by transport mode (each record has one of each) add up to
  their total: counts exactly, kilograms within :data:`KG_TOLERANCE_SHARE` of the total or
  :data:`KG_TOLERANCE_KG`, whichever is larger (rounding). Concealment is not summed: an event
  hidden two ways counts under both.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date

from alianza.exchange import messages as m
from alianza.exchange.package import PackageRefused, VerifiedPackage
from alianza.exchange.periods import quarter_end, time_period
from alianza.exchange.sdmx import Observation

KG_TOLERANCE_SHARE = 0.005  # 0.5 % of the total
KG_TOLERANCE_KG = 1.0  # or 1 kg, whichever is larger
COUNTED_MEASURES = ("SEIZURES", "UNITS")
# breakdowns whose dimension has one value per record, so that they add up to the total
ADDITIVE = {"by_location": "location", "transport_methods": "transport_mode"}
BREAKDOWN_DIMENSION = {**ADDITIVE, "by_concealment": "concealment"}

_Key = tuple[str, str, str]  # drug, measure, unit


def tolerance(measure: str, total: float) -> float:
    """How far a breakdown may differ from its total: nothing for counts, rounding for kg."""
    if measure in COUNTED_MEASURES:
        return 0.0
    return max(KG_TOLERANCE_KG, KG_TOLERANCE_SHARE * abs(total))


def _key(o: Observation) -> _Key:
    return (o.drug, o.measure, o.unit_measure)


def _fmt(value: float) -> str:
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def check_content(package: VerifiedPackage, *, today: date) -> None:
    """Raise :class:`PackageRefused` (code ``implausible``, or ``quarter-not-closed``) when
    the package's content is not plausible; see the module's list."""
    info = package.info
    period = time_period(info.quarter, info.period_kind)
    if quarter_end(period) >= today:
        raise PackageRefused(
            "quarter-not-closed",
            m.QUARTER_NOT_CLOSED(
                quarter=info.quarter, end=quarter_end(period).isoformat(), today=today
            ),
        )
    for table, rows in package.tables.items():
        for row, o in enumerate(rows, start=2):
            if o.measure in COUNTED_MEASURES and o.value is not None and not o.value.is_integer():
                raise PackageRefused(
                    "implausible",
                    m.NOT_INTEGER(table=table, row=row, measure=o.measure, value=o.value),
                )
    totals: dict[_Key, float] = {_key(o): o.value or 0.0 for o in package.tables.get("totals", [])}
    for table, dimension in BREAKDOWN_DIMENSION.items():
        sums: dict[_Key, float] = defaultdict(float)
        for o in package.tables.get(table, []):
            if o.value is None:
                continue
            total = totals.get(_key(o), 0.0)
            if o.value > total + tolerance(o.measure, total):
                raise PackageRefused(
                    "implausible",
                    m.BREAKDOWN_EXCEEDS_TOTAL(
                        table=table,
                        drug=o.drug,
                        code=getattr(o, dimension),
                        measure=o.measure,
                        unit=o.unit_measure,
                        value=_fmt(o.value),
                        total=_fmt(total),
                    ),
                )
            sums[_key(o)] += o.value
        if table not in ADDITIVE or table not in package.tables:
            continue
        for key in sorted(totals.keys() | sums.keys()):
            total, summed = totals.get(key, 0.0), sums.get(key, 0.0)
            allowed = tolerance(key[1], total)
            if not math.isclose(summed, total, abs_tol=1e-9) and abs(summed - total) > allowed:
                raise PackageRefused(
                    "implausible",
                    m.SUM_DIFFERS(
                        table=table,
                        drug=key[0],
                        measure=key[1],
                        unit=key[2],
                        summed=_fmt(summed),
                        total=_fmt(total),
                        allowed=_fmt(allowed),
                    ),
                )
