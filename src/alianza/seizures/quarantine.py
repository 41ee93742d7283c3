"""Reading the quarantine: rejected rows with their raw values and reasons.

A quarantined row was never checked, so its country and releasability are read from its raw
values through its profile (constants and value maps); a row whose releasability does not map
to a shared code is treated as national only, and one whose country cannot be read is shown to
the importing user's country, else to nobody (see :mod:`alianza.seizures.access`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza.codes import code_list
from alianza.releasability import visible_to
from alianza.seizures.models import ImportReport, QuarantinedRow
from alianza.seizures.normalize import canonical_values
from alianza.seizures.profile import BadProfile, Profile, UnknownProfile, load_profile
from alianza.tabular import SourceRow


@dataclass(frozen=True)
class QuarantineEntry:
    id: int
    batch_id: int
    source: str
    profile: str
    row: int
    raw: dict[str, Any]
    issues: list[dict[str, Any]]
    quarantined_at: datetime
    country: str | None
    releasability: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "batch_id": self.batch_id,
            "source": self.source,
            "profile": self.profile,
            "row": self.row,
            "raw": self.raw,
            "issues": self.issues,
            "quarantined_at": self.quarantined_at.isoformat(),
            "country": self.country,
            "releasability": self.releasability,
        }


@cache
def _profile(name: str) -> Profile | None:
    try:
        return load_profile(name)
    except (UnknownProfile, BadProfile):
        return None


def classify(profile_name: str, raw: dict[str, Any]) -> tuple[str | None, str]:
    """(country, releasability) of a raw row as well as they can be read; releasability
    ``NATIONAL_ONLY`` when it does not map to a known code."""
    profile = _profile(profile_name)
    if profile is None:
        return None, "NATIONAL_ONLY"
    values = canonical_values(profile, SourceRow(0, {k: str(v) for k, v in raw.items()}))
    country = code_list("country").lookup(values.get("reporting_country", "") or "")
    releasability = code_list("releasability").lookup(values.get("releasability", "") or "")
    return country, releasability or "NATIONAL_ONLY"


def quarantine_sources(session: Session) -> list[tuple[int, str]]:
    """(batch id, file name) of every batch with open quarantined rows."""
    query = (
        select(QuarantinedRow.batch_id, QuarantinedRow.source)
        .where(QuarantinedRow.released_at.is_(None))
        .distinct()
        .order_by(QuarantinedRow.batch_id)
    )
    return [(batch, source) for batch, source in session.execute(query)]


def quarantined_rows(session: Session, *, include_released: bool = False) -> list[QuarantinedRow]:
    """Every quarantined row, oldest first (the node's own command line: no viewer filter)."""
    query = select(QuarantinedRow).order_by(QuarantinedRow.id)
    if not include_released:
        query = query.where(QuarantinedRow.released_at.is_(None))
    return list(session.scalars(query))


def list_quarantine(
    session: Session,
    *,
    viewer_country: str | None,
    batch_id: int | None = None,
    source: str | None = None,
    limit: int = 500,
) -> tuple[list[QuarantineEntry], int]:
    """Open quarantined rows a user of ``viewer_country`` may see (oldest first, at most
    ``limit``) and how many there are in all."""
    query = select(QuarantinedRow).where(QuarantinedRow.released_at.is_(None))
    if batch_id is not None:
        query = query.where(QuarantinedRow.batch_id == batch_id)
    if source:
        query = query.where(QuarantinedRow.source == source)
    importers = dict(
        session.execute(select(ImportReport.batch_id, ImportReport.country)).tuples().all()
    )
    entries: list[QuarantineEntry] = []
    total = 0
    for row in session.scalars(query.order_by(QuarantinedRow.id)):
        country, releasability = classify(row.profile, row.raw)
        if country is None:
            country = importers.get(row.batch_id)
        if not visible_to(viewer_country, country, releasability):
            continue
        total += 1
        if len(entries) >= limit:
            continue
        when = row.quarantined_at
        entries.append(
            QuarantineEntry(
                row.id,
                row.batch_id,
                row.source,
                row.profile,
                row.source_row,
                row.raw,
                row.issues,
                when if when.tzinfo else when.replace(tzinfo=UTC),
                country,
                releasability,
            )
        )
    return entries, total
