"""A cap on the abort -> rewind loop: isolate the record the broker keeps refusing.

An aborted transaction is retried by rewinding the consumer and processing the batch
again. A record the broker or the client refuses every time (one over the clean topic's
``max.message.bytes``, say) would make that loop endless. After ``max_retries`` aborts
in a row, the worker processes the failed batch's records one per transaction. A record
whose own transaction aborts ``max_retries`` times is quarantined as ``rejected``: a
masked stand-in goes to the clean topic, the reason to the quarantine topic, and the
worker moves on. Should even that keep aborting, the cause is not the record, and the
worker gives up with a StreamError (exit 1: Kubernetes restarts the pod).

A transient abort (a rebalance, say) costs one retry; it takes ``max_retries`` aborts in
a row of the same lone record to quarantine it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from processor.errors import StreamError

__all__ = ["Coordinates", "Isolation"]

log = logging.getLogger(__name__)

#: (topic, partition, offset) of one source record.
Coordinates = tuple[str, int, int]


class Isolation:
    """Counts aborts; says when to go one record at a time and which record to give up on."""

    def __init__(self, max_retries: int) -> None:
        self._max = max_retries
        self._streak = 0
        #: While isolating: (topic, partition) -> the failed batch's next offset.
        self._until: dict[tuple[str, int], int] = {}
        self._record_aborts: dict[Coordinates, int] = {}

    @property
    def active(self) -> bool:
        """True while the records of a failed batch go one per transaction."""
        return bool(self._until)

    def batch_size(self, normal: int) -> int:
        """How many records to consume for the next transaction."""
        return 1 if self.active else normal

    def should_reject(self, record: Coordinates) -> bool:
        """True when this lone record's transactions aborted ``max_retries`` times."""
        return self._record_aborts.get(record, 0) >= self._max

    def committed(self, next_offsets: Mapping[tuple[str, int], int]) -> None:
        """A transaction committed up to ``next_offsets``."""
        self._streak = 0
        for tp, offset in next_offsets.items():
            if self._until.get(tp, offset + 1) <= offset:
                del self._until[tp]
            for record in [r for r in self._record_aborts if (r[0], r[1]) == tp]:
                if record[2] < offset:
                    del self._record_aborts[record]
        if not self._until:
            self._record_aborts.clear()

    def aborted(
        self, next_offsets: Mapping[tuple[str, int], int], lone: Coordinates | None
    ) -> None:
        """A transaction aborted; ``lone`` is its record when it held exactly one.

        Raises StreamError when a lone record keeps aborting even after it was replaced
        by its quarantine stand-in.
        """
        if not self.active:
            self._streak += 1
            if self._streak >= self._max:
                self._until = dict(next_offsets)
                self._streak = 0
                log.warning("%d transactions in a row aborted; retrying one record at a time",
                            self._max)
            return
        if lone is None:
            return
        n = self._record_aborts[lone] = self._record_aborts.get(lone, 0) + 1
        if n >= 2 * self._max:
            topic, partition, offset = lone
            raise StreamError(
                f"transactions keep aborting at {topic}/{partition}/{offset}, even for its "
                "quarantine stand-in; the cause is not the record"
            )

    def forget(self, partitions: Iterable[tuple[str, int]]) -> None:
        """Partitions revoked or lost: their isolation is the next owner's business."""
        gone = set(partitions)
        for tp in gone & set(self._until):
            del self._until[tp]
        for record in [r for r in self._record_aborts if (r[0], r[1]) in gone]:
            del self._record_aborts[record]
