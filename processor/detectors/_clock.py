"""The time left before a detector's deadline, as a ``regex`` timeout."""

from __future__ import annotations

import math
import time

from processor.errors import BudgetExceeded

__all__ = ["time_left"]


def time_left(deadline: float) -> float | None:
    """Seconds until ``deadline`` (``time.monotonic()``), None when there is none.

    Raises BudgetExceeded when the deadline has passed.
    """
    if math.isinf(deadline):
        return None
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise BudgetExceeded("record time budget exceeded")
    return remaining
