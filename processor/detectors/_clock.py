"""The clock of the time budgets, and the time left before a deadline.

Budgets bound the work a record can cost, so they are measured in this thread's CPU
time: a worker descheduled on a loaded node does not see its records expire, while a
pathological record still does (its regex timeouts, in wall time, are never shorter
than the CPU time left).
"""

from __future__ import annotations

import math
import time

from processor.errors import BudgetExceeded

__all__ = ["now", "time_left"]

#: The budget clock: CPU seconds of the calling thread.
now = time.thread_time


def time_left(deadline: float) -> float | None:
    """Seconds until ``deadline`` (on :data:`now`), None when there is none.

    Raises BudgetExceeded when the deadline has passed.
    """
    if math.isinf(deadline):
        return None
    remaining = deadline - now()
    if remaining <= 0:
        raise BudgetExceeded("record time budget exceeded")
    return remaining
