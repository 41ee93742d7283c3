"""Who may see which seizure records (releasability, reference §5).

A user of one country sees every record of their own country, and the other country's records
only when these are releasable to it (``BILATERAL`` or ``PUBLIC_AGGREGATE``); the other
country's ``NATIONAL_ONLY`` records are never shown, in totals or row by row. A record whose
country is not known is shown to nobody but its own country's users, which here means nobody.
"""

from __future__ import annotations

SHARED_RELEASABILITY = frozenset({"BILATERAL", "PUBLIC_AGGREGATE"})


def visible_to(viewer_country: str | None, country: str | None, releasability: str | None) -> bool:
    """Whether a user of ``viewer_country`` may see a record (``None`` viewer: no restriction,
    the node's own command line)."""
    if viewer_country is None:
        return True
    if country is not None and country == viewer_country:
        return True
    return country is not None and releasability in SHARED_RELEASABILITY
