"""Per-worker progress slots in shared memory: written by the workers, read by ``/healthz``.

Each worker records when it last made progress (a committed transaction, or taking over
partitions) and how much work it holds: the lag it last measured on its partitions and
the records of the batch in flight. A worker that holds work but has made no progress
for ``metrics.stall_after_s`` is stalled, which makes ``/healthz`` unhealthy, so that
Kubernetes restarts a pod stuck in a loop or a hung call even though its processes are
alive. An idle worker (no lag) is never stalled, however long ago it last committed.

The clock is ``time.monotonic()``, which on Linux is the same for every process.
"""

from __future__ import annotations

import time
from typing import Any

__all__ = ["Heartbeat"]


class Heartbeat:
    """One progress slot per worker index; pass it to the spawned workers."""

    def __init__(self, ctx: Any, workers: int) -> None:
        # lock=False: each slot has one writer (its worker); a torn read is impossible for
        # aligned 8-byte values, and a stale one only delays the verdict by a poll.
        self._progress: Any = ctx.Array("d", workers, lock=False)
        self._lag: Any = ctx.Array("q", workers, lock=False)
        self._in_flight: Any = ctx.Array("q", workers, lock=False)

    def reset(self, index: int, now: float | None = None) -> None:
        """A (re)started worker: no work held yet, progress counted from now."""
        self._progress[index] = time.monotonic() if now is None else now
        self._lag[index] = 0
        self._in_flight[index] = 0

    def progressed(self, index: int, now: float | None = None) -> None:
        """Worker ``index`` committed a transaction (or took over partitions)."""
        self._progress[index] = time.monotonic() if now is None else now
        self._in_flight[index] = 0

    def holding(self, index: int, records: int) -> None:
        """Worker ``index`` consumed ``records`` that are not committed yet."""
        self._in_flight[index] = records

    def lag(self, index: int, lag: int) -> None:
        """Worker ``index`` measured ``lag`` records behind on its partitions in total."""
        self._lag[index] = lag

    def stalled(self, index: int, window_s: float, now: float | None = None) -> bool:
        """True when worker ``index`` holds work but made no progress for ``window_s``."""
        now = time.monotonic() if now is None else now
        holds_work = self._lag[index] > 0 or self._in_flight[index] > 0
        return bool(holds_work and now - self._progress[index] > window_s)
