"""The login throttle in the database: growing delays per key, shared by every process,
the account counted before the password is checked (issue 15). Times are given, not waited
for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from alianza.accounts.models import LoginThrottle
from alianza.accounts.throttle import (
    Attempt,
    ThrottlePolicy,
    attempt_failed,
    attempt_succeeded,
    claim_attempt,
    clear_throttle,
    list_throttles,
)
from alianza.actors import NodeSelf
from alianza.db import Database

T0 = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
POLICY = ThrottlePolicy(free_failures=3, first_delay=1.0, max_delay=60.0)
ATTACKER = Attempt("alice", "203.0.113.9")


def wrong_password(database: Database, attempt: Attempt, now: datetime) -> float:
    """An attempt with a wrong password, as the login page makes it; returns the wait."""
    wait = claim_attempt(database, attempt, POLICY, now)
    if wait == 0:
        attempt_failed(database, attempt, POLICY, now)
    return wait


def failures(database: Database) -> dict[str, int]:
    with database.reader() as session:
        return {row.key: row.failures for row in session.scalars(select(LoginThrottle))}


def test_delays_double_after_the_free_failures_up_to_the_cap() -> None:
    # free 3: failures 1-2 wait nothing, the 3rd 1 s, then 2, 4, 8, 16, 32, 60 (cap), 60
    expected = [0, 0, 1, 2, 4, 8, 16, 32, 60, 60]
    assert [POLICY.delay(n) for n in range(1, 11)] == expected


def test_an_attacker_slows_down_and_waiting_attempts_are_not_counted(
    fresh_db: Database,
) -> None:
    # wrong passwords at 0, 0.1, 0.2 s go through (the 3rd sets a 1 s delay, to 1.2 s) ...
    waits = [wrong_password(fresh_db, ATTACKER, T0 + timedelta(seconds=n / 10)) for n in range(4)]
    assert waits[:3] == [0, 0, 0]
    assert abs(waits[3] - 0.9) < 1e-6  # ... the 4th, at 0.3 s, waits 0.9 s, uncounted
    assert failures(fresh_db) == {"address:203.0.113.9": 3, "account:alice": 3}
    # after the wait, the next attempt goes through and doubles the delay
    assert wrong_password(fresh_db, ATTACKER, T0 + timedelta(seconds=2)) == 0
    later = claim_attempt(fresh_db, ATTACKER, POLICY, T0 + timedelta(seconds=2, milliseconds=1))
    assert abs(later - 1.999) < 1e-6


def test_parallel_guesses_at_one_account_cannot_all_slip_through(fresh_db: Database) -> None:
    """The account is counted when the attempt is claimed, before any password is checked:
    of many claims made before any answer, only the free ones go through."""
    claims = [claim_attempt(fresh_db, ATTACKER, POLICY, T0) for _ in range(10)]
    assert [wait == 0 for wait in claims] == [True] * 3 + [False] * 7


def test_people_signing_in_together_from_one_address_are_not_slowed(
    fresh_db: Database,
) -> None:
    """Right passwords from one office address, all claimed before any answer: the address
    counts only wrong passwords, so none waits."""
    office = [Attempt(f"user{n}", "198.51.100.7") for n in range(20)]
    assert [claim_attempt(fresh_db, a, POLICY, T0) for a in office] == [0.0] * 20
    for attempt in office:
        attempt_succeeded(fresh_db, attempt)
    assert failures(fresh_db) == {}


def test_the_owner_with_a_known_browser_is_not_kept_out_by_the_attacker(
    fresh_db: Database,
) -> None:
    for n in range(5):
        wrong_password(fresh_db, ATTACKER, T0 + timedelta(seconds=n * 100))
    now = T0 + timedelta(seconds=401)
    # the attacker waits; so does a new browser elsewhere (the account is under attack) ...
    assert claim_attempt(fresh_db, ATTACKER, POLICY, now) > 0
    assert claim_attempt(fresh_db, Attempt("alice", "198.51.100.7"), POLICY, now) > 0
    # ... but alice's own browser (device cookie), from any other address, goes through
    owner = Attempt("alice", "198.51.100.7", trusted_device=True)
    assert claim_attempt(fresh_db, owner, POLICY, now) == 0
    # and another user at another address is untouched
    assert claim_attempt(fresh_db, Attempt("bob", "192.0.2.44"), POLICY, now) == 0


def test_an_address_trying_many_accounts_waits(fresh_db: Database) -> None:
    for n in range(3):
        wrong_password(fresh_db, Attempt(f"user{n}", "203.0.113.9"), T0 + timedelta(seconds=n))
    assert claim_attempt(fresh_db, Attempt("user9", "203.0.113.9"), POLICY, T0) > 0
    assert claim_attempt(fresh_db, Attempt("user9", "192.0.2.44"), POLICY, T0) == 0


def test_two_processes_share_one_count(database_url: str) -> None:
    """Two Database objects on one database (two workers): three failures spread over both
    reach the delay that three failures in one process would."""
    first, second = Database(database_url), Database(database_url)
    first.migrate()
    try:
        for n, worker in enumerate([first, second, first]):
            assert wrong_password(worker, ATTACKER, T0 + timedelta(seconds=n)) == 0
        assert claim_attempt(second, ATTACKER, POLICY, T0 + timedelta(seconds=2.5)) > 0
    finally:
        first.dispose()
        second.dispose()


def test_success_restarts_the_account_but_not_the_address(fresh_db: Database) -> None:
    for n in range(3):
        wrong_password(fresh_db, ATTACKER, T0 + timedelta(seconds=n * 100))
    assert claim_attempt(fresh_db, ATTACKER, POLICY, T0 + timedelta(seconds=301)) == 0
    attempt_succeeded(fresh_db, ATTACKER)
    assert failures(fresh_db) == {"address:203.0.113.9": 3}
    with fresh_db.reader() as session:
        address = session.get(LoginThrottle, "address:203.0.113.9")
        assert address is not None
        assert address.blocked_until is not None  # its delay stays


def test_failures_older_than_a_day_are_forgotten(fresh_db: Database) -> None:
    for n in range(3):
        wrong_password(fresh_db, ATTACKER, T0 + timedelta(seconds=n * 100))
    wrong_password(fresh_db, ATTACKER, T0 + timedelta(days=2))
    assert set(failures(fresh_db).values()) == {1}


def test_an_admin_lists_and_clears_throttles(fresh_db: Database) -> None:
    for n in range(4):
        wrong_password(fresh_db, ATTACKER, T0 + timedelta(seconds=n * 100))
    with fresh_db.reader() as session:
        listed = {row.key: row.failures for row in list_throttles(session)}
    assert listed == {"account:alice": 4, "address:203.0.113.9": 4}
    with fresh_db.transaction() as session:
        assert clear_throttle(session, "account:alice", actor=NodeSelf("admin")) == 1
    with fresh_db.reader() as session:
        assert [row.key for row in list_throttles(session)] == ["address:203.0.113.9"]
    with fresh_db.transaction() as session:
        assert clear_throttle(session, None, actor=NodeSelf("admin")) == 1
    assert claim_attempt(fresh_db, ATTACKER, POLICY, T0 + timedelta(seconds=301)) == 0
