"""The kept results behind the seizure and analysis caches: one computation per key even
when two threads ask at once (a first view arriving while the warmer computes the same)."""

from __future__ import annotations

import threading

import pytest

from alianza.seizures.cache import Kept


def test_a_result_being_computed_is_waited_for_not_computed_again() -> None:
    kept = Kept(4)
    entered, release = threading.Event(), threading.Event()
    calls: list[str] = []
    got: dict[str, int] = {}

    def first() -> int:
        calls.append("first")
        entered.set()
        release.wait()
        return 1

    def second() -> int:
        calls.append("second")
        return 2

    a = threading.Thread(target=lambda: got.__setitem__("a", kept.get("k", first)))
    a.start()
    entered.wait()
    b = threading.Thread(target=lambda: got.__setitem__("b", kept.get("k", second)))
    b.start()
    b.join(timeout=0.2)  # without the wait, b would compute and end here
    assert b.is_alive()
    release.set()
    a.join()
    b.join()
    assert calls == ["first"]
    assert got == {"a": 1, "b": 1}


def test_a_failed_computation_is_not_kept_and_the_next_asker_computes() -> None:
    kept = Kept(4)

    def broken() -> int:
        raise RuntimeError("no database")

    with pytest.raises(RuntimeError):
        kept.get("k", broken)
    assert "k" not in kept
    assert kept.get("k", lambda: 3) == 3
    assert "k" in kept


def test_least_recently_used_goes_first() -> None:
    kept = Kept(2)
    for key in ("a", "b"):
        kept.get(key, lambda: 0)
    kept.get("a", lambda: 1)  # kept: used again, not recomputed
    kept.get("c", lambda: 0)
    assert "a" in kept
    assert "b" not in kept
    assert "c" in kept
    assert kept.get("a", lambda: 9) == 0
