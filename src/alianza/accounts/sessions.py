"""Server-side sessions: a signed-in browser is a row of ``account_session``.

The browser's cookie carries a random id (256 bits); the database keeps its SHA-256 only, so a
copy of the table does not sign anyone in. Every request looks the id up (one indexed query on
the hash, joined with the active user), so ending a session takes effect at the next request:
logout ends one session; a password change, a role change and disabling end all the user's.
A session also ends after ``idle`` without a request and ``lifetime`` after login.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, delete, func, or_, select, text, update
from sqlalchemy.orm import Session

from alianza.accounts.models import AccountSession, User
from alianza.accounts.permissions import Country, Role
from alianza.accounts.principal import Principal

# last_seen_at is written at most this often per session (reads stay reads).
TOUCH_EVERY = timedelta(seconds=60)
# Ended and expired sessions are kept this long (who was signed in, from where), then purged.
KEEP_ENDED = timedelta(days=30)


def as_utc(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; every stored moment is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def session_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(
    session: Session,
    user_id: int,
    *,
    client: str,
    lifetime: timedelta,
    now: datetime | None = None,
) -> str:
    """A new session for the user; returns the id for the cookie (stored only as a hash)."""
    now = now or datetime.now(UTC)
    token = secrets.token_urlsafe(32)
    session.add(
        AccountSession(
            user_id=user_id,
            token_hash=session_hash(token),
            created_at=now,
            last_seen_at=now,
            expires_at=now + lifetime,
            client=client[:100],
        )
    )
    session.execute(
        delete(AccountSession).where(
            or_(
                AccountSession.expires_at < now - KEEP_ENDED,
                AccountSession.revoked_at < now - KEEP_ENDED,
            )
        )
    )
    return token


@dataclass(frozen=True)
class LiveSession:
    """A session found valid: who it belongs to, and when it was last used."""

    id: int
    principal: Principal
    last_seen_at: datetime

    def needs_touch(self, now: datetime) -> bool:
        return now - self.last_seen_at >= TOUCH_EVERY


_LOOKUP = text(
    "SELECT s.id, s.last_seen_at, s.expires_at, "
    "u.id, u.username, u.display_name, u.role, u.country, u.agency, u.language "
    f"FROM {AccountSession.__tablename__} s JOIN {User.__tablename__} u ON u.id = s.user_id "
    "WHERE s.token_hash = :hash AND s.revoked_at IS NULL AND u.active = :active"
)


def live_session(
    connection: Connection,
    token: str,
    *,
    idle: timedelta,
    now: datetime | None = None,
    country: str | None = None,
) -> LiveSession | None:
    """The session of a cookie's id when it is neither ended nor expired, with its active
    user; else None. One query on the unique hash index. ``country``: the node's; a session of
    an account of the other government (opened before the node refused them) is not live."""
    now = now or datetime.now(UTC)
    row = connection.execute(_LOOKUP, {"hash": session_hash(token), "active": True}).first()
    if row is None:
        return None
    last_seen, expires = as_utc(stored_moment(row[1])), as_utc(stored_moment(row[2]))
    if now >= expires or now - last_seen >= idle:
        return None
    if country is not None and row[7] != country:
        return None
    principal = Principal(row[3], row[4], row[5], Role(row[6]), Country(row[7]), row[8], row[9])
    return LiveSession(row[0], principal, last_seen)


def stored_moment(value: datetime | str) -> datetime:
    # A plain text() query on SQLite returns the stored text.
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def touch_session(session: Session, session_id: int, now: datetime | None = None) -> None:
    session.execute(
        update(AccountSession)
        .where(AccountSession.id == session_id)
        .values(last_seen_at=now or datetime.now(UTC))
    )


def end_session(session: Session, token: str, *, reason: str = "logout") -> bool:
    """End the session of a cookie's id (logout). True when there was one to end."""
    result = session.execute(
        update(AccountSession)
        .where(AccountSession.token_hash == session_hash(token))
        .where(AccountSession.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC), revoked_reason=reason)
    )
    return bool(getattr(result, "rowcount", 0))


def end_user_sessions(session: Session, user_id: int, *, reason: str) -> int:
    """End every open session of the user; returns how many were open."""
    result = session.execute(
        update(AccountSession)
        .where(AccountSession.user_id == user_id)
        .where(AccountSession.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC), revoked_reason=reason)
    )
    return int(getattr(result, "rowcount", 0))


def open_session_counts(session: Session, now: datetime | None = None) -> dict[int, int]:
    """User id → number of sessions not ended and not past their absolute expiry."""
    now = now or datetime.now(UTC)
    rows = session.execute(
        select(AccountSession.user_id, func.count())
        .where(AccountSession.revoked_at.is_(None), AccountSession.expires_at > now)
        .group_by(AccountSession.user_id)
    )
    return {int(user_id): int(count) for user_id, count in rows.all()}
