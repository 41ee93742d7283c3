"""What an analyst reads off the joint tables: trends by drug, shares, changes on the previous
quarter and on the same quarter a year before, methods ranked by drug with their coverage.

Plain functions over :class:`~alianza.analysis.joint.JointAnalysis`; ``None`` is "not
reported" (or nothing to compare with), never zero.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from alianza.analysis.joint import COUNTRIES, DRUG_ORDER, Figures, JointAnalysis, Table

BOTH = "BOTH"
SIDES = (*COUNTRIES, BOTH)
NOT_METHODS = frozenset({"_U", "_T"})


def trend_drugs(analysis: JointAnalysis) -> list[str]:
    present = {d for per in analysis.trend.values() for f in per.values() for d in f}
    present |= {key[0] for key in analysis.totals}
    return [d for d in DRUG_ORDER if d in present] + sorted(present - set(DRUG_ORDER))


def kg_of(analysis: JointAnalysis, quarter: str, side: str, drug: str | None) -> float | None:
    """Kilograms of ``drug`` (None: all drugs) in ``quarter`` for a country or both."""
    per_country = analysis.trend.get(quarter, {})
    countries = COUNTRIES if side == BOTH else (side,)
    values = [
        f.kg
        for c in countries
        for d, f in per_country.get(c, {}).items()
        if (drug is None or d == drug) and f.kg is not None
    ]
    return sum(values) if values else None


def partial_of(analysis: JointAnalysis, quarter: str, side: str, drug: str) -> bool:
    """Whether those kilograms leave out records without a mass (OBS_STATUS D)."""
    per_country = analysis.trend.get(quarter, {})
    countries = COUNTRIES if side == BOTH else (side,)
    return any(per_country[c][drug].kg_partial for c in countries if drug in per_country.get(c, {}))


def seizures_of(analysis: JointAnalysis, quarter: str, side: str, drug: str) -> float | None:
    per_country = analysis.trend.get(quarter, {})
    countries = COUNTRIES if side == BOTH else (side,)
    found = [per_country[c][drug] for c in countries if drug in per_country.get(c, {})]
    return sum(f.seizures for f in found) if found else None


def change(current: float | None, before: float | None) -> float | None:
    """Per cent change; None when either is not reported or the earlier one is zero."""
    if current is None or before is None or before == 0:
        return None
    return (current - before) / before * 100.0


@dataclass(frozen=True)
class Change:
    drug: str
    side: str
    kg: float | None
    share: float | None  # per cent of the side's kilograms in the quarter
    vs_previous: float | None
    vs_year: float | None


def changes(analysis: JointAnalysis) -> list[Change]:
    quarters = list(analysis.trend)
    current = analysis.quarter
    index = quarters.index(current) if current in quarters else len(quarters) - 1
    previous = quarters[index - 1] if index >= 1 else None
    year_before = quarters[index - 4] if index >= 4 else None
    rows = []
    for drug in trend_drugs(analysis):
        for side in SIDES:
            kg = kg_of(analysis, current, side, drug)
            total = kg_of(analysis, current, side, None)
            rows.append(
                Change(
                    drug,
                    side,
                    kg,
                    None if kg is None or not total else kg / total * 100.0,
                    change(kg, kg_of(analysis, previous, side, drug) if previous else None),
                    change(kg, kg_of(analysis, year_before, side, drug) if year_before else None),
                )
            )
    return rows


@dataclass(frozen=True)
class Ranked:
    kind: str  # transport | concealment
    drug: str
    side: str
    methods: list[tuple[str, float]]  # method code, seizures; most first
    reported: float  # seizures with the method reported
    total: float  # all seizures of the drug in the table

    @property
    def coverage(self) -> float | None:
        return self.reported / self.total * 100.0 if self.total else None


def _ranked(kind: str, table: Table, drugs: list[str], limit: int) -> list[Ranked]:
    rows = []
    for drug in drugs:
        for side in SIDES:
            countries = COUNTRIES if side == BOTH else (side,)
            counts: dict[str, float] = defaultdict(float)
            total = 0.0
            for (method, d), by_country in table.items():
                if d != drug:
                    continue
                for country in countries:
                    figures: Figures | None = by_country.get(country)
                    if figures is None:
                        continue
                    total += figures.seizures
                    if method not in NOT_METHODS:
                        counts[method] += figures.seizures
            if not total:
                continue
            ranked = sorted(counts.items(), key=lambda i: (-i[1], i[0]))
            rows.append(Ranked(kind, drug, side, ranked[:limit], sum(counts.values()), total))
    return rows


def rankings(analysis: JointAnalysis, limit: int = 3) -> list[Ranked]:
    """Transport methods, then concealments, ranked by seizures for each drug, for each
    country and both together, with the coverage of the field."""
    drugs = analysis.drugs()
    return _ranked("transport", analysis.transport, drugs, limit) + _ranked(
        "concealment", analysis.concealment, drugs, limit
    )


def kg_text(kg: float | None, partial: bool = False) -> str:
    """Kilograms to the precision the data carry: to the gram, and below one kilogram to the
    milligram (the packages' precision); ``—`` not reported; ``*`` leaves out records
    without a mass."""
    if kg is None:
        return "—"
    decimals = 6 if abs(kg) < 1 else 3
    text = f"{kg:,.{decimals}f}".rstrip("0").rstrip(".")
    return (text or "0") + ("*" if partial else "")


def percent_text(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+.1f} %" if signed else f"{value:.1f} %"
