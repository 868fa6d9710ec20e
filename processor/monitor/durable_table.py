"""A faust table whose changelog writes the agent can wait for before an event is acked.

faust writes a table's changelog with ``send_soon``: the message waits in the producer's
buffer and a background task hands it to the transactional producer later. Under
``exactly_once`` the consumer's commit does not flush that buffer first, so an offset
can commit in one transaction while the changelog write of the same event lands in the
next. A kill between the two loses the event's count (the restarted monitor skips the
event and restores a window without it). This table keeps the messages each update
sends, and :meth:`wait_changelog` waits until the producer has them, so the event's
offset is acked, and so committed, only with its changelog write in the same or an
earlier transaction.
"""

from __future__ import annotations

import asyncio
from typing import Any

import faust
from faust.types import FutureMessage

__all__ = ["DurableTable"]


class DurableTable(faust.Table[Any, Any]):
    """A ``faust.Table`` that remembers the changelog messages not yet produced."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._unsent: list[FutureMessage] = []

    def send_changelog(self, *args: Any, **kwargs: Any) -> FutureMessage:
        fut: FutureMessage = super().send_changelog(*args, **kwargs)
        self._unsent.append(fut)
        return fut

    @property
    def unsent(self) -> tuple[FutureMessage, ...]:
        """The changelog messages sent since the last :meth:`wait_changelog`."""
        return tuple(self._unsent)

    async def wait_changelog(self) -> None:
        """Return once every changelog message sent so far is acknowledged by the broker.

        A failed send raises here: the agent stops before the event is acked, and the
        event is read again after the restart.
        """
        pending, self._unsent = self._unsent, []
        if pending:
            await asyncio.gather(*pending)
