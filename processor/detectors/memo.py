"""Memoising lookups keyed by strings taken from records, bounded in entries and size.

A plain ``lru_cache`` keyed by a record's field names holds every key it has seen until
it is evicted; 4,096 entries of one-megabyte keys are four gigabytes, and a producer
of raw records chooses the keys. Here only short arguments are cached; a long one is
looked up directly, at the cost of the lookup alone.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

__all__ = ["MAX_CACHED_CHARS", "short_key_cache"]

_T = TypeVar("_T")

#: total length of the string arguments above which a call bypasses the cache
MAX_CACHED_CHARS = 256


def short_key_cache(fn: Callable[..., _T], maxsize: int = 4096) -> Callable[..., _T]:
    """``fn`` memoised for calls whose string arguments total at most MAX_CACHED_CHARS."""
    cached = lru_cache(maxsize=maxsize)(fn)

    def call(*args: object) -> _T:
        size = sum(len(a) for a in args if isinstance(a, str))
        return cached(*args) if size <= MAX_CACHED_CHARS else fn(*args)

    call.__doc__ = fn.__doc__
    return call
