"""Read partition ranges of a topic as a read_committed consumer without a group commit.

Partitions are assigned explicitly (no subscription, no rebalance); nothing is committed,
so a replay or a snapshot never moves any consumer group's offsets.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from confluent_kafka import Consumer, KafkaError, KafkaException, Message, TopicPartition

from processor.errors import FatalStreamError
from processor.settings import KafkaSettings
from processor.stream.config import consumer_config
from processor.stream.kafka_errors import is_fatal, to_stream_error

from .bounds import PartitionRange

__all__ = ["open_reader", "read_ranges"]

log = logging.getLogger(__name__)

_BATCH = 500
_POLL_S = 0.5
#: How long a range may yield nothing before the read gives up on it (broker trouble).
_STALL_S = 60.0


def open_reader(kafka: KafkaSettings, purpose: str) -> Consumer:
    """A consumer configured like the stream's (client properties, read_committed)."""
    config: dict[str, Any] = consumer_config(kafka, 0)
    config.update({
        "group.id": f"logscrub-{purpose}-{uuid.uuid4().hex[:12]}",  # never committed
        "client.id": f"logscrub-{purpose}",
        "enable.partition.eof": True,
        "auto.offset.reset": "earliest",
    })  # fmt: skip
    return Consumer(config)


def read_ranges(
    consumer: Consumer,
    ranges: list[PartitionRange],
    wanted: Callable[[Message], bool] | None = None,
    clock: Callable[[], float] | None = None,
) -> Iterator[list[Message]]:
    """Batches of the records inside ``ranges``, in offset order per partition.

    A range ends at its end offset or at the partition's end (aborted and control
    records leave gaps that read_committed skips). ``wanted`` filters records.
    """
    now = clock or time.monotonic
    todo = {(r.topic, r.partition): r for r in ranges if r.size > 0}
    if not todo:
        return
    consumer.assign([TopicPartition(r.topic, r.partition, r.start) for r in todo.values()])
    last = now()
    try:
        while todo:
            try:
                messages = consumer.consume(_BATCH, _POLL_S)
            except KafkaException as exc:
                raise to_stream_error(exc, "consume") from None
            batch: list[Message] = []
            for msg in messages:
                key = (msg.topic() or "", msg.partition() or 0)
                err = msg.error()
                if err is not None:
                    if err.code() == KafkaError._PARTITION_EOF:
                        todo.pop(key, None)
                    elif is_fatal(err):
                        raise FatalStreamError(f"consume failed: {err.name()} ({err.code()})")
                    continue
                rng = todo.get(key)
                if rng is None:
                    continue
                offset = msg.offset() or 0
                if offset >= rng.end:
                    todo.pop(key, None)
                    continue
                if offset + 1 >= rng.end:
                    todo.pop(key, None)
                if wanted is None or wanted(msg):
                    batch.append(msg)
            if messages:
                last = now()
            elif now() - last > _STALL_S:
                raise FatalStreamError(f"no record arrived for {_STALL_S:.0f} s while reading")
            _drop_finished(consumer, todo)
            if batch:
                yield batch
    finally:
        consumer.unassign()


def _drop_finished(consumer: Consumer, todo: dict[tuple[str, int], PartitionRange]) -> None:
    """Forget ranges whose position passed their end (a gap at the end of the range)."""
    if not todo:
        return
    try:
        positions = consumer.position([TopicPartition(t, p) for t, p in todo])
    except KafkaException:
        return
    for tp in positions:
        rng = todo.get((tp.topic, tp.partition))
        if rng is not None and tp.offset >= rng.end:
            todo.pop((tp.topic, tp.partition), None)
