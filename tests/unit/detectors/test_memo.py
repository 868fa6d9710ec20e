"""Lookups memoised only for short keys, so records cannot fill the cache."""

from __future__ import annotations

from processor.detectors.memo import MAX_CACHED_CHARS, short_key_cache


def test_short_keys_are_looked_up_once_and_long_ones_every_time() -> None:
    calls: list[str] = []

    def lookup(key: str, parent: str) -> int:
        calls.append(key)
        return len(key) + len(parent)

    memo = short_key_cache(lookup, maxsize=8)
    short, long = "password", "k" * MAX_CACHED_CHARS
    assert [memo(short, "db"), memo(short, "db")] == [10, 10]
    assert calls == [short]
    assert [memo(long, "x"), memo(long, "x")] == [MAX_CACHED_CHARS + 1] * 2
    assert calls == [short, long, long]  # past the limit: not kept, looked up again


def test_the_cache_holds_no_more_than_maxsize_entries() -> None:
    calls: list[str] = []

    def lookup(key: str) -> str:
        calls.append(key)
        return key

    memo = short_key_cache(lookup, maxsize=2)
    for key in ("a", "b", "c", "a"):
        memo(key)
    assert calls == ["a", "b", "c", "a"]  # "a" was evicted by "c"
