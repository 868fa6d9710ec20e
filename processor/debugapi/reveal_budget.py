"""Per-actor reveal budgets: at most N tokens revealed per sliding window."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque

__all__ = ["RevealBudget"]


class RevealBudget:
    """A sliding-window count of reveals per actor."""

    def __init__(self, per_window: int, window_s: float, max_actors: int = 10_000) -> None:
        self.per_window = per_window
        self.window_s = window_s
        self.max_actors = max_actors
        self._spent: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, actor: str, n: int, now: float | None = None) -> bool:
        """Spend ``n`` reveals for ``actor``; False (and nothing spent) when over budget."""
        now = time.monotonic() if now is None else now
        with self._lock:
            spent = self._spent.pop(actor, deque())
            while spent and spent[0] <= now - self.window_s:
                spent.popleft()
            allowed = len(spent) + n <= self.per_window
            if allowed:
                spent.extend([now] * n)
            self._spent[actor] = spent
            while len(self._spent) > self.max_actors:
                self._spent.popitem(last=False)
            return allowed
