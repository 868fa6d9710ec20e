"""``logscrub index``: consume the clean topic (read_committed) into the store.

Per batch: map records to entries, write rows *and* the next offsets in one store
transaction (durable when it returns), then commit the same offsets to Kafka. On
(re)assignment the consumer starts from the store's offsets, so a crash between the
two commits neither loses nor duplicates a row (records are also unique per offset).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from typing import Any

from confluent_kafka import Consumer, KafkaException, Message, TopicPartition

from processor.errors import StreamError
from processor.index.mapping import IndexEntry, extract_entry, mappings_for
from processor.index.store import Store, open_store
from processor.settings import Settings
from processor.stream.config import consumer_config as stream_consumer_config

__all__ = ["Indexer", "consumer_config", "run_index"]

log = logging.getLogger(__name__)


def consumer_config(settings: Settings) -> dict[str, Any]:
    """The stream's read_committed, manually committed consumer, in the indexer's group.

    Eager ``range`` assignment: :meth:`Indexer._on_assign` sets each partition's start
    offset from the store and assigns them all at once.
    """
    config = stream_consumer_config(settings.kafka, 0)
    config.update({
        "group.id": settings.index.group_id,
        "client.id": "logscrub-index",
        "partition.assignment.strategy": "range",
    })
    return config


def _headers(msg: Message) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in list(msg.headers() or []):
        if not isinstance(key, str):
            continue
        if isinstance(value, bytes):
            out[key] = value.decode("utf-8", "replace")
        elif value is not None:
            out[key] = str(value)
    return out


class Indexer:
    """The consume → write → commit loop; :meth:`run` returns an exit code."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.topic = settings.index.topic or settings.kafka.output
        self.mappings = mappings_for(settings.index)
        self.stop = threading.Event()
        self.assigned = threading.Event()
        self.indexed = 0
        self._consumer = Consumer(consumer_config(settings))
        self._written: dict[int, int] = {}  # next offset per partition, as in the store

    def _on_assign(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        stored = self.store.stored_offsets(self.topic)
        for tp in partitions:
            if tp.partition in stored:
                tp.offset = stored[tp.partition]
        self._written.update(stored)
        consumer.assign(partitions)
        self.assigned.set()

    def _positions(self) -> dict[int, int]:
        """The consumer's position per assigned partition (past transaction markers too)."""
        try:
            return {tp.partition: tp.offset
                    for tp in self._consumer.position(self._consumer.assignment())
                    if tp.offset is not None and tp.offset >= 0}
        except KafkaException:
            return {}

    def _index_batch(self, msgs: list[Message]) -> None:
        entries = []
        offsets: dict[int, int] = {}
        for msg in msgs:
            part, off = msg.partition() or 0, msg.offset() or 0
            offsets[part] = max(offsets.get(part, 0), off + 1)
            entry = extract_entry(
                msg.value() or b"", _headers(msg), msg.timestamp()[1],
                self.mappings, topic=self.topic, partition=part, offset=off,
            )
            if entry is not None:
                entries.append(entry)
        self._write(entries, offsets)

    def _write(self, entries: list[IndexEntry], offsets: dict[int, int]) -> None:
        """Rows and offsets into the store (durable), then the same offsets to Kafka.

        The consumer's position can be past the last record (a transaction's commit
        marker); storing it keeps the reported lag at zero once everything is indexed.
        """
        for part, pos in self._positions().items():
            if pos > offsets.get(part, self._written.get(part, -1)):
                offsets[part] = pos
        if not entries and all(self._written.get(p) == o for p, o in offsets.items()):
            return
        self.indexed += self.store.write_batch(self.topic, entries, offsets)
        self._written.update(offsets)
        commit = [TopicPartition(self.topic, p, o) for p, o in sorted(offsets.items())]
        try:
            self._consumer.commit(offsets=commit, asynchronous=False)
        except KafkaException as exc:
            # The rows and offsets are in the store; the next assignment starts there.
            log.warning("offset commit failed (%s); the store keeps the position",
                        type(exc).__name__)

    def run(self, exit_when_idle: float | None = None) -> int:
        """Index until stopped, or until idle for ``exit_when_idle`` seconds."""
        index = self.settings.index
        self._consumer.subscribe([self.topic], on_assign=self._on_assign)
        last_data = time.monotonic()
        next_prune = 0.0
        try:
            while not self.stop.is_set():
                msgs = self._consumer.consume(index.batch_size, index.batch_timeout_ms / 1000)
                good = []
                for msg in msgs:
                    err = msg.error()
                    if err is None:
                        good.append(msg)
                    elif err.fatal():
                        raise StreamError(f"index consumer failed: {err.name()}")
                if good:
                    self._index_batch(good)
                    last_data = time.monotonic()
                elif self.assigned.is_set():
                    self._write([], {})  # only moves past transaction markers
                now = time.monotonic()
                if now >= next_prune:
                    cutoff = int(time.time() * 1000 - index.retention_hours * 3_600_000)
                    pruned = self.store.prune(cutoff, index.retention_max_records)
                    if pruned:
                        log.info("retention removed %d records", pruned)
                    next_prune = now + index.retention_interval_s
                if not self.assigned.is_set():
                    last_data = now
                elif exit_when_idle is not None and now - last_data >= exit_when_idle:
                    log.info("idle for %.1f s; %d records indexed", exit_when_idle, self.indexed)
                    break
        finally:
            self._consumer.close()
        return 0


def run_index(settings: Settings, exit_when_idle: float | None) -> int:
    """Entry point of ``logscrub index``."""
    store = open_store(settings.index)
    indexer = Indexer(settings, store)
    signal.signal(signal.SIGTERM, lambda *_: indexer.stop.set())
    signal.signal(signal.SIGINT, lambda *_: indexer.stop.set())
    log.info("logscrub index: %s -> %s store, group %s", indexer.topic,
             settings.index.store, settings.index.group_id)
    try:
        return indexer.run(exit_when_idle)
    finally:
        store.close()
