"""Account operations: create, authenticate, change role, disable, tokens. Every write is
audited."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, select, text, update
from sqlalchemy.orm import Session

from alianza import audit, refusals
from alianza.accounts.models import ApiToken, User
from alianza.accounts.permissions import Country, Permission, Role

# Principal and ForeignAccount live in alianza.accounts.principal (alianza.actors names them);
# the shells still import them from here, the account services' module.
from alianza.accounts.principal import ForeignAccount as ForeignAccount
from alianza.accounts.principal import Principal as Principal
from alianza.accounts.sessions import TOUCH_EVERY, as_utc, end_user_sessions, stored_moment
from alianza.actors import Actor, acting
from alianza.catalogue import declare
from alianza.db.engine import fetch_one_on_driver
from alianza.node import node_country_or_none, require_own

_HASHER = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verifying against this keeps the time of a failed login the same for unknown users.
    Made on first use, not on import: a hash costs a tenth of a second or more, and every
    command that takes an actor imports this module (issue 18)."""
    return _HASHER.hash("not a password of anyone")


MIN_PASSWORD = 10
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,99}$")


class AccountError(ValueError):
    """An account operation cannot be done; the message says why."""


# What account management refuses (Spanish in the message catalogue: ``accounts.…``).
BAD_USERNAME = declare(
    "accounts.bad-username",
    "username {username!r}: 2–100 characters, lower-case letters, digits, . _ -",
)
SHORT_PASSWORD = declare("accounts.short-password", "password: at least {minimum} characters")
EXISTS = declare("accounts.exists", "user {username!r} already exists")
DISABLED = declare("accounts.disabled", "user {username!r} is disabled")
OTHER_NODE_ACCOUNT = declare(
    "accounts.other-node", "an account of {other} belongs on the {other} node"
)


def refuse_foreign(session: Session, user: User) -> None:
    """Raise :class:`ForeignAccount` when ``user`` is not of this node's country."""
    own = node_country_or_none(session)
    if own is not None and user.country != own.value:
        raise ForeignAccount(own.value, user.country, user.username)


def is_foreign(session: Session, user: User) -> bool:
    own = node_country_or_none(session)
    return own is not None and user.country != own.value


def _find(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    if user is None:
        raise AccountError(refusals.not_found("user", repr(username)))
    return user


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role,
    country: Country,
    agency: str,
    display_name: str | None = None,
    language: str = "en",
    actor: Actor,
) -> User:
    by = acting(session, actor, Permission.USERS_MANAGE)
    if not _USERNAME.match(username):
        raise AccountError(BAD_USERNAME.said(username=username))
    if len(password) < MIN_PASSWORD:
        raise AccountError(SHORT_PASSWORD.said(minimum=MIN_PASSWORD))
    require_own(
        session,
        country.value,
        what=OTHER_NODE_ACCOUNT,
    )
    exists = session.scalars(select(User).where(User.username == username)).one_or_none()
    if exists is not None:
        raise AccountError(EXISTS.said(username=username))
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=_HASHER.hash(password),
        role=role.value,
        country=country.value,
        agency=agency,
        language=language,
        active=True,
        created_at=datetime.now(UTC),
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=by,
        action="accounts.user.create",
        subject=f"user:{username}",
        details={"after": {"role": role.value, "country": country.value, "agency": agency}},
    )
    return user


def authenticate(session: Session, username: str, password: str) -> Principal | None:
    """The principal for a correct password of an active user, else None. An account of the
    other government (an older database) raises :class:`ForeignAccount` once its password is
    checked: the refusal says where it signs in, and tells nobody else that it exists."""
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    try:
        if user is None or not user.active:
            _HASHER.verify(_dummy_hash(), password + "x")
            return None
        _HASHER.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    refuse_foreign(session, user)
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = _HASHER.hash(password)
    user.last_login_at = datetime.now(UTC)
    return Principal.of(user)


def principal_by_id(session: Session, user_id: int) -> Principal | None:
    user = session.get(User, user_id)
    if user is None or not user.active or is_foreign(session, user):
        return None
    return Principal.of(user)


def set_role(
    session: Session,
    username: str,
    role: Role,
    *,
    country: Country | None = None,
    agency: str | None = None,
    actor: Actor,
) -> User:
    by = acting(session, actor, Permission.USERS_MANAGE)
    user = _find(session, username)
    before = {"role": user.role, "country": user.country, "agency": user.agency}
    user.role = role.value
    if country is not None:
        require_own(
            session,
            country.value,
            what=OTHER_NODE_ACCOUNT,
        )
        user.country = country.value
    if agency is not None:
        user.agency = agency
    after = {"role": user.role, "country": user.country, "agency": user.agency}
    if after != before:  # pages rendered for the old role must not stay open
        end_user_sessions(session, user.id, reason="role-change")
    audit.record(
        session,
        actor=by,
        action="accounts.user.set-role",
        subject=f"user:{username}",
        details={"before": before, "after": after},
    )
    return user


def disable_user(session: Session, username: str, *, actor: Actor) -> User:
    by = acting(session, actor, Permission.USERS_MANAGE)
    user = _find(session, username)
    user.active = False
    for token in user.tokens:
        token.revoked_at = token.revoked_at or datetime.now(UTC)
    end_user_sessions(session, user.id, reason="disabled")
    audit.record(
        session,
        actor=by,
        action="accounts.user.disable",
        subject=f"user:{username}",
        details={"before": {"active": True}, "after": {"active": False}},
    )
    return user


def set_password(session: Session, username: str, password: str, *, actor: Actor) -> User:
    """Set a new password and end every session of the user (a copied cookie stops working).
    API tokens stay: they are separate credentials, revoked one by one or by disabling. A user
    sets their own password; anybody else's needs users.manage."""
    own = isinstance(actor, Principal) and actor.username == username
    by = acting(session, actor, None if own else Permission.USERS_MANAGE)
    if len(password) < MIN_PASSWORD:
        raise AccountError(SHORT_PASSWORD.said(minimum=MIN_PASSWORD))
    user = _find(session, username)
    user.password_hash = _HASHER.hash(password)
    ended = end_user_sessions(session, user.id, reason="password-change")
    audit.record(
        session,
        actor=by,
        action="accounts.user.set-password",
        subject=f"user:{username}",
        details={"after": {"sessions_ended": ended}},
    )
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(session: Session, username: str, name: str, *, actor: Actor) -> str:
    """A new API token for the user; the token itself is shown once and never stored."""
    by = acting(session, actor, Permission.USERS_MANAGE)
    user = _find(session, username)
    if not user.active:
        raise AccountError(DISABLED.said(username=username))
    refuse_foreign(session, user)
    token = "alz_" + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            user_id=user.id,
            name=name,
            token_hash=_token_hash(token),
            created_at=datetime.now(UTC),
        )
    )
    audit.record(
        session,
        actor=by,
        action="accounts.token.issue",
        subject=f"user:{username}",
        details={"after": {"token_name": name}},
    )
    return token


def principal_by_token(session: Session, token: str) -> Principal | None:
    """The principal of an API token, or None when unknown, revoked or of a disabled user;
    ForeignAccount for an account of the other government. Writes the token's last use when
    due (:func:`token_lookup`)."""
    own = node_country_or_none(session)
    found = token_lookup(session.connection(), token, country=own.value if own else None)
    if found is None:
        return None
    principal, stale = found
    if stale is not None:
        touch_token(session, stale)
    return principal


_TOKEN_LOOKUP = text(
    "SELECT t.id, t.last_used_at, "
    "u.id, u.username, u.display_name, u.role, u.country, u.agency, u.language "
    f"FROM {ApiToken.__tablename__} t JOIN {User.__tablename__} u ON u.id = t.user_id "
    "WHERE t.token_hash = :hash AND t.revoked_at IS NULL AND u.active = :active"
)


def token_lookup(
    connection: Connection, token: str, *, country: str | None
) -> tuple[Principal, int | None] | None:
    """The principal of an API token and, when its last use is to be written (never used, or
    not within the last minute, as a session's), the token's id; None when the token is
    unknown, revoked or of a disabled user. One query on the unique hash index, reading only
    (checking a token takes no write lock): tokens are 256 random bits, so their SHA-256 is
    the look-up key (a slow password hash would add nothing). ``country``: the node's; an
    account of the other government is refused (ForeignAccount), not "who are you?"."""
    row = connection.execute(_TOKEN_LOOKUP, {"hash": _token_hash(token), "active": True}).first()
    return _token_found(row, country)


def token_lookup_sqlite(
    engine: Engine, token: str, *, country: str | None
) -> tuple[Principal, int | None] | None:
    """:func:`token_lookup` on a SQLite read engine through the driver's connection: the same
    statement and answer without SQLAlchemy's statement machinery (a tenth of the CPU; the
    live scoring path checks a token per declaration). The connection is in autocommit (the
    node's pragmas), so the one SELECT is its own read transaction."""
    parameters = {"hash": _token_hash(token), "active": True}
    return _token_found(fetch_one_on_driver(engine, _TOKEN_LOOKUP.text, parameters), country)


def _token_found(row: Any, country: str | None) -> tuple[Principal, int | None] | None:
    if row is None:
        return None
    if country is not None and row[6] != country:
        raise ForeignAccount(country, row[6], row[3])
    principal = Principal(row[2], row[3], row[4], Role(row[5]), Country(row[6]), row[7], row[8])
    last = None if row[1] is None else as_utc(stored_moment(row[1]))
    stale = last is None or datetime.now(UTC) - last >= TOUCH_EVERY
    return principal, row[0] if stale else None


def touch_token(session: Session, token_id: int) -> None:
    """Write that the token was used now."""
    session.execute(
        update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=datetime.now(UTC))
    )


def foreign_users(session: Session) -> list[User]:
    """Accounts of the other government that an older database of this node still holds
    (active or disabled); none on a node without a country."""
    own = node_country_or_none(session)
    if own is None:
        return []
    query = select(User).where(User.country != own.value).order_by(User.username)
    return list(session.scalars(query))


def inactive_usernames(session: Session, usernames: Iterable[str]) -> set[str]:
    """Those of ``usernames`` whose account on this node is disabled (unknown names are not
    listed: a directory entry may name nobody here)."""
    wanted = sorted(set(usernames))
    if not wanted:
        return set()
    return set(
        session.scalars(
            select(User.username).where(User.username.in_(wanted), User.active.is_(False))
        )
    )
