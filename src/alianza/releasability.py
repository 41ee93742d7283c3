"""What may leave the node, and who may see what: declared once, here.

Records carry a releasability code (reference §5): ``NATIONAL_ONLY`` never leaves its node;
``BILATERAL`` and ``PUBLIC_AGGREGATE`` may be shared with the partner as aggregates (counts and
kilograms, never nominal fields). The exchange builds its packages with :data:`MAY_LEAVE`; the
views that show records ask :func:`visible_to`; the views that show the partner's figures read
them with :func:`partner_totals`, which reads only what the partner sent through the verified
exchange (signed packages stored as partner data), never records of the partner's country that
an old database may still hold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from alianza.exchange.sdmx import Observation

NATIONAL_ONLY = "NATIONAL_ONLY"
MAY_LEAVE = frozenset({"BILATERAL", "PUBLIC_AGGREGATE"})
SHARED_RELEASABILITY = MAY_LEAVE  # the name the seizure views know it by


def may_leave(releasability: str | None) -> bool:
    """Whether a record of this releasability may be counted in what leaves the node."""
    return releasability in MAY_LEAVE


def visible_to(viewer_country: str | None, country: str | None, releasability: str | None) -> bool:
    """Whether a user of ``viewer_country`` may see a record (``None`` viewer: no restriction,
    the node's own command line). A user sees every record of their own country, and the
    other country's only when releasable to it; a record of no known country, nobody."""
    if viewer_country is None:
        return True
    if country is not None and country == viewer_country:
        return True
    return country is not None and may_leave(releasability)


def partner_tables(
    session: Session,
    partner: str,
    quarter: str,
    period_kind: str = "calendar",
    only: str | None = None,
) -> dict[str, list[Observation]]:
    """The tables of the partner's current received package for ``quarter`` (the only way a
    view reads the partner's figures); ``only``: that table alone."""
    from alianza.exchange.service import partner_tables as received

    return received(session, partner, quarter, period_kind, only)


@dataclass(frozen=True)
class PartnerTotal:
    """One quarter's total of one drug group, as the partner sent it."""

    country: str
    quarter: str
    drug: str
    seizures: float
    amount_kg: float | None


def partner_totals(session: Session, partner: str, quarters: Iterable[str]) -> list[PartnerTotal]:
    """The partner's ``totals`` table of each quarter, from its current received package."""
    found: list[PartnerTotal] = []
    for quarter in quarters:
        cells: dict[str, dict[str, float | None]] = {}
        for obs in partner_tables(session, str(partner), quarter, only="totals").get("totals", []):
            cells.setdefault(obs.drug, {})[obs.measure] = obs.value
        for drug, measures in sorted(cells.items()):
            found.append(
                PartnerTotal(
                    str(partner),
                    quarter,
                    drug,
                    measures.get("SEIZURES") or 0.0,
                    measures.get("AMOUNT_KG"),
                )
            )
    return found
