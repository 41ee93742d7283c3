"""Login throttling that slows attackers down without locking people out.

Failed logins are counted in the database (``account_login_throttle``), so every worker
process of a node shares the same counts. Two keys are counted:

- ``address:IP``: every failure from one client address, whatever the account. Its delay
  applies to every attempt from that address: one machine guessing, or trying many accounts,
  slows itself down; other addresses are untouched.
- ``account:NAME``: every failure on one account, from anywhere (a guessing attack spread over
  many addresses). Its delay applies only to browsers that have **not** signed in to this
  account before: a successful login leaves a signed *device cookie* (OWASP "device cookies"),
  and a browser that presents a valid one for the account skips the account's delay. So an
  attacker can slow down guesses on an account but cannot keep its owner out from a browser
  they have used before, from any address.

After ``free_failures`` failures on a key, each further attempt waits ``first_delay`` (1 s), then
twice as long each time, up to ``max_delay``: a delay that grows, not a lock. Failures older than
``forget_after`` are forgotten. An attempt on an account is counted *before* the password is
checked (in the transaction that checks the delay, so parallel guesses at one account cannot
all slip through) and the count starts over when the password is right; an address's count
grows only with wrong passwords, so many people signing in at once from one office address
never trip it.

Why a table and not a rate-limiting library such as ``limits``: its storage back ends are
memory, Redis, Memcached and MongoDB, none of them the node's database, and the requirement
is that all workers share one count with no extra service to run. Its fixed and moving
windows also do not express a delay that doubles per failure.

Who acts: the counting functions take an :class:`Attempt`, not an Actor. Nobody has signed in
yet when an attempt is counted: its ``username`` is the name typed (perhaps nobody's) and its
address a client's, both throttle keys, never somebody acting (so no audit record names them).
Only clearing counts is an act, by an administrator or the node's operator
(:func:`clear_throttle`, ``actor: Actor``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alianza import audit
from alianza.accounts.models import LoginThrottle
from alianza.accounts.permissions import Permission
from alianza.accounts.sessions import as_utc
from alianza.actors import Actor, acting
from alianza.catalogue import declare
from alianza.db import Database

ACCOUNT = "account:"
ADDRESS = "address:"
NOT_RECORDED = declare(
    "accounts.throttle.not-recorded", "login throttle: could not record the attempt"
)


@dataclass(frozen=True)
class ThrottlePolicy:
    free_failures: int = 5
    first_delay: float = 1.0
    max_delay: float = 900.0
    forget_after: timedelta = timedelta(hours=24)

    def delay(self, failures: int) -> float:
        """Seconds the next attempt waits after ``failures`` failures."""
        if failures < self.free_failures:
            return 0.0
        growth = 2.0 ** min(failures - self.free_failures, 40)
        return float(min(self.max_delay, self.first_delay * growth))


def account_key(username: str) -> str:
    return ACCOUNT + username.strip().lower()[:100]


def address_key(address: str) -> str:
    return ADDRESS + address[:100]


@dataclass(frozen=True)
class Attempt:
    """One login attempt: the account named, the client address, and whether the browser
    showed a valid device cookie for that account."""

    username: str
    address: str
    trusted_device: bool = False

    @property
    def checked_keys(self) -> list[str]:
        """The keys whose delay this attempt waits for."""
        keys = [address_key(self.address)]
        if not self.trusted_device:
            keys.append(account_key(self.username))
        return keys

    @property
    def claimed_keys(self) -> list[str]:
        """The keys counted before the password is checked: the account's (parallel guesses
        at one account cannot slip through together). The address is counted only on a
        failure, so people signing in at once from one office address never trip it."""
        return [] if self.trusted_device else [account_key(self.username)]


def claim_attempt(
    database: Database, attempt: Attempt, policy: ThrottlePolicy, now: datetime | None = None
) -> float:
    """Return the seconds to wait (nothing counted) when a key of the attempt is delayed;
    else count the attempt under its claimed keys and return 0."""
    return _counting(database, attempt.checked_keys, attempt.claimed_keys, policy, now)


def attempt_failed(
    database: Database, attempt: Attempt, policy: ThrottlePolicy, now: datetime | None = None
) -> None:
    """The password was wrong: count it under the address too."""
    _counting(database, [], [address_key(attempt.address)], policy, now)


def _counting(
    database: Database,
    checked: list[str],
    counted: list[str],
    policy: ThrottlePolicy,
    now: datetime | None,
) -> float:
    now = now or datetime.now(UTC)
    for _try in range(3):  # two workers inserting the same new key: the loser retries
        try:
            with database.transaction() as session:
                return _count(session, checked, counted, policy, now)
        except IntegrityError:
            continue
    raise RuntimeError(NOT_RECORDED.said())


def _count(
    session: Session,
    checked: list[str],
    counted: list[str],
    policy: ThrottlePolicy,
    now: datetime,
) -> float:
    keys = sorted(set(checked) | set(counted))
    rows = {
        row.key: row
        for row in session.scalars(
            select(LoginThrottle).where(LoginThrottle.key.in_(keys)).with_for_update()
        )
    }
    waits = [
        (as_utc(row.blocked_until) - now).total_seconds()
        for key, row in rows.items()
        if key in checked and row.blocked_until is not None
    ]
    wait = max(waits, default=0.0)
    if wait > 0:
        return wait
    for key in counted:
        row = rows.get(key)
        if row is None:
            row = LoginThrottle(key=key, failures=0, last_failure_at=now)
            session.add(row)
        elif now - as_utc(row.last_failure_at) > policy.forget_after:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        delay = policy.delay(row.failures)
        row.blocked_until = now + timedelta(seconds=delay) if delay else None
    session.flush()
    return 0.0


def attempt_succeeded(database: Database, attempt: Attempt) -> None:
    """The password was right: the account's count starts over (the claimed attempt with
    it). The address's count stays: an attacker cannot clear it by signing in to an account
    of their own."""
    with database.transaction() as session:
        session.execute(
            delete(LoginThrottle).where(LoginThrottle.key == account_key(attempt.username))
        )


@dataclass(frozen=True)
class ThrottleState:
    key: str
    failures: int
    last_failure_at: datetime
    blocked_until: datetime | None

    def wait(self, now: datetime) -> float:
        if self.blocked_until is None:
            return 0.0
        return max(0.0, (self.blocked_until - now).total_seconds())


def list_throttles(session: Session) -> list[ThrottleState]:
    """Every key with counted failures, most recent first."""
    rows = session.scalars(select(LoginThrottle).order_by(LoginThrottle.last_failure_at.desc()))
    return [
        ThrottleState(
            row.key,
            row.failures,
            as_utc(row.last_failure_at),
            as_utc(row.blocked_until) if row.blocked_until else None,
        )
        for row in rows
    ]


def clear_throttle(session: Session, key: str | None, *, actor: Actor) -> int:
    """Forget the failures of one key (``account:NAME`` or ``address:IP``), or of every key
    when ``key`` is None; returns how many keys were cleared. Audited; a user needs
    users.manage."""
    by = acting(session, actor, Permission.USERS_MANAGE)
    statement = delete(LoginThrottle)
    if key is not None:
        statement = statement.where(LoginThrottle.key == key)
    cleared = int(getattr(session.execute(statement), "rowcount", 0))
    audit.record(
        session,
        actor=by,
        action="accounts.throttle.clear",
        subject=key or "throttle:all",
        details={"after": {"cleared": cleared}},
    )
    return cleared
