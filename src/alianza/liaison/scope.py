"""Who sees which counterpart alerts: by port, from the directory, not the whole country.

An official sees the alerts of the port pairs where the directory lists them (entries of their
own side linked to their account, ``alianza ports contact add --user``), and may acknowledge
those received by their side; liaison officers and administrators see every alert their
country sent or received. Pages, the server-push stream and the API all filter through
:func:`alert_scope`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.orm import Session

from alianza.liaison.models import Alert, Contact

COUNTRY_WIDE_ROLES = ("admin", "liaison")


@dataclass(frozen=True)
class AlertScope:
    country: str
    pair_ids: frozenset[int] | None  # None: every pair of the country

    def includes(self, *, from_country: str, to_country: str, pair_id: int) -> bool:
        if self.country not in (from_country, to_country):
            return False
        return self.pair_ids is None or pair_id in self.pair_ids

    def includes_view(self, alert: Mapping[str, Any]) -> bool:
        """For an alert as the stream shows it (:func:`alianza.liaison.live.event_view`)."""
        return self.includes(
            from_country=alert["from"], to_country=alert["to"], pair_id=alert["pair_id"]
        )

    def condition(self) -> ColumnElement[bool]:
        """The same test as SQL on ``ports_alert``."""
        side = or_(Alert.from_country == self.country, Alert.to_country == self.country)
        if self.pair_ids is None:
            return side
        if not self.pair_ids:
            return false()
        return side & Alert.pair_id.in_(sorted(self.pair_ids))


def alert_scope(session: Session, *, username: str, role: str, country: str) -> AlertScope:
    if role in COUNTRY_WIDE_ROLES:
        return AlertScope(country, None)
    pairs = session.scalars(
        select(Contact.pair_id).where(
            Contact.username == username,
            Contact.country == country,
            Contact.active.is_(True),
        )
    )
    return AlertScope(country, frozenset(pairs))
