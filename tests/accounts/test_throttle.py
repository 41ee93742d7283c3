"""The login throttle in the database: growing delays per key, shared by every process,
counted before the password is checked (issue 15). Times are given, not waited for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from alianza.accounts.models import LoginThrottle
from alianza.accounts.throttle import (
    ThrottlePolicy,
    attempt_succeeded,
    claim_attempt,
    clear_throttle,
    list_throttles,
    login_keys,
)
from alianza.db import Database

T0 = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
POLICY = ThrottlePolicy(free_failures=3, first_delay=1.0, max_delay=60.0)
ATTACKER = login_keys("alice", "203.0.113.9", trusted_device=False)


def test_delays_double_after_the_free_failures_up_to_the_cap() -> None:
    # free 3: failures 1-2 wait nothing, the 3rd 1 s, then 2, 4, 8, 16, 32, 60 (cap), 60
    expected = [0, 0, 1, 2, 4, 8, 16, 32, 60, 60]
    assert [POLICY.delay(n) for n in range(1, 11)] == expected


def test_an_attacker_slows_down_and_waiting_attempts_are_not_counted(
    fresh_db: Database,
) -> None:
    now = T0
    waits = []
    for _ in range(6):
        wait = claim_attempt(fresh_db, ATTACKER, POLICY, now)
        waits.append(wait)
        if wait == 0:
            now += timedelta(milliseconds=100)  # the wrong password came back at once
        else:
            break
    # attempts at 0, 0.1, 0.2 s go through (the 3rd sets a 1 s delay, to 1.2 s); the 4th,
    # at 0.3 s, waits 0.9 s
    assert waits[:3] == [0, 0, 0]
    assert abs(waits[3] - 0.9) < 1e-6
    with fresh_db.reader() as session:
        failures = {row.key: row.failures for row in session.scalars(select(LoginThrottle))}
    assert failures == {"address:203.0.113.9": 3, "account:alice": 3}
    # after the wait, the next attempt goes through and doubles the delay
    assert claim_attempt(fresh_db, ATTACKER, POLICY, T0 + timedelta(seconds=2)) == 0
    later = claim_attempt(fresh_db, ATTACKER, POLICY, T0 + timedelta(seconds=2, milliseconds=1))
    assert abs(later - 1.999) < 1e-6


def test_the_owner_with_a_known_browser_is_not_kept_out_by_the_attacker(
    fresh_db: Database,
) -> None:
    for n in range(5):
        claim_attempt(fresh_db, ATTACKER, POLICY, T0 + timedelta(seconds=n * 100))
    now = T0 + timedelta(seconds=401)
    # the attacker waits; so does a new browser elsewhere (the account is under attack) ...
    assert claim_attempt(fresh_db, ATTACKER, POLICY, now) > 0
    stranger = login_keys("alice", "198.51.100.7", trusted_device=False)
    assert claim_attempt(fresh_db, stranger, POLICY, now) > 0
    # ... but alice's own browser (device cookie), from any other address, goes through
    owner = login_keys("alice", "198.51.100.7", trusted_device=True)
    assert claim_attempt(fresh_db, owner, POLICY, now) == 0
    # and another user at another address is untouched
    colleague = login_keys("bob", "192.0.2.44", trusted_device=False)
    assert claim_attempt(fresh_db, colleague, POLICY, now) == 0


def test_two_processes_share_one_count(database_url: str) -> None:
    """Two Database objects on one database (two workers): five failures spread over both
    reach the delay that five failures in one process would."""
    first, second = Database(database_url), Database(database_url)
    first.migrate()
    try:
        for n, worker in enumerate([first, second, first]):
            assert claim_attempt(worker, ATTACKER, POLICY, T0 + timedelta(seconds=n)) == 0
        assert claim_attempt(second, ATTACKER, POLICY, T0 + timedelta(seconds=2.5)) > 0
    finally:
        first.dispose()
        second.dispose()


def test_success_restarts_the_account_but_not_the_address(fresh_db: Database) -> None:
    for n in range(3):
        claim_attempt(fresh_db, ATTACKER, POLICY, T0 + timedelta(seconds=n * 100))
    attempt_succeeded(fresh_db, "alice", "203.0.113.9")
    with fresh_db.reader() as session:
        rows = {row.key: row for row in session.scalars(select(LoginThrottle))}
    assert "account:alice" not in rows
    assert rows["address:203.0.113.9"].failures == 2  # the claimed attempt taken back
    assert rows["address:203.0.113.9"].blocked_until is not None  # its delay stays


def test_failures_older_than_a_day_are_forgotten(fresh_db: Database) -> None:
    for n in range(3):
        claim_attempt(fresh_db, ATTACKER, POLICY, T0 + timedelta(seconds=n * 100))
    claim_attempt(fresh_db, ATTACKER, POLICY, T0 + timedelta(days=2))
    with fresh_db.reader() as session:
        assert {row.failures for row in session.scalars(select(LoginThrottle))} == {1}


def test_an_admin_lists_and_clears_throttles(fresh_db: Database) -> None:
    for n in range(4):
        claim_attempt(fresh_db, ATTACKER, POLICY, T0 + timedelta(seconds=n * 100))
    with fresh_db.reader() as session:
        listed = {row.key: row.failures for row in list_throttles(session)}
    assert listed == {"account:alice": 4, "address:203.0.113.9": 4}
    with fresh_db.transaction() as session:
        assert clear_throttle(session, "account:alice", actor="admin") == 1
    with fresh_db.reader() as session:
        assert [row.key for row in list_throttles(session)] == ["address:203.0.113.9"]
    with fresh_db.transaction() as session:
        assert clear_throttle(session, None, actor="admin") == 1
    assert claim_attempt(fresh_db, ATTACKER, POLICY, T0 + timedelta(seconds=301)) == 0
