"""One worker process: consume a batch, scrub it, produce it, all in one transaction.

An aborted transaction rewinds the consumer and the batch is processed again; the
``isolation`` module caps that loop. Progress (commits) and the work held (lag, the batch
in flight) go to the supervisor's heartbeat slots, which ``/healthz`` reads.

The loop calls ``producer.poll(0)`` every iteration and only consumes between
transactions, so the rebalance callbacks (which run inside ``consume``) normally find
no transaction open. Should one be open, a normal revoke commits it and a lost
assignment aborts it.
"""

from __future__ import annotations

import logging
import multiprocessing
import time
from collections.abc import Callable
from typing import Any

from confluent_kafka import Consumer, KafkaError, KafkaException, Message, Producer, TopicPartition

from processor import metrics
from processor.errors import FatalStreamError, StreamError
from processor.settings import Settings
from processor.stream.batch import BatchOutput, ScrubberLike, rejected_batch, transform_batch
from processor.stream.batch_metrics import count_committed
from processor.stream.config import consumer_config, producer_config, subscription
from processor.stream.heartbeat import Heartbeat
from processor.stream.isolation import Isolation
from processor.stream.kafka_errors import is_fatal, to_stream_error
from processor.stream.partition_state import consumer_lag, partition_count
from processor.stream.transactions import Transactions

__all__ = ["Worker"]

log = logging.getLogger(__name__)

_LAG_INTERVAL_S = 2.0
# Room left in a produce request for the key, the headers and the protocol overhead.
_VALUE_SLACK_BYTES = 64 * 1024


class Worker:
    """Consume -> scrub_many -> produce, one transaction per batch, until stopped or idle."""

    def __init__(
        self,
        settings: Settings,
        index: int,
        scrubber: ScrubberLike,
        *,
        exit_when_idle: float | None = None,
        on_ready: Callable[[], None] = lambda: None,
        heartbeat: Heartbeat | None = None,
        next_scrubber: Callable[[], ScrubberLike | None] | None = None,
    ) -> None:
        self._kafka = settings.kafka
        self._next_scrubber = next_scrubber
        self._index = index
        self._scrubber = scrubber
        self._exit_when_idle = exit_when_idle
        self._on_ready = on_ready
        # Without a supervisor (tests, tools), slots of its own that nobody reads.
        self._heartbeat = heartbeat or Heartbeat(multiprocessing.get_context("spawn"), index + 1)
        self._isolation = Isolation(self._kafka.max_transaction_retries)
        self._stop = False
        self._fatal: KafkaError | None = None
        self._ready = False
        self._last_activity = time.monotonic()
        self._assigned: set[tuple[str, int]] = set()
        self._pending: list[TopicPartition] = []
        self._ner_seen = float(getattr(scrubber, "ner_seconds", 0.0))
        producer_conf = producer_config(self._kafka, index)
        max_message = int(producer_conf.get("message.max.bytes", 1_000_000))
        self._max_value_bytes = max(1024, max_message - _VALUE_SLACK_BYTES)
        self._producer = Producer(self._client_config(producer_conf))
        self._txn = Transactions(self._producer, self._kafka.transaction_timeout_ms / 1000)
        self._consumer: Consumer | None = None
        self._output_partitions: int | None = None

    def request_stop(self) -> None:
        """Finish the batch in flight, commit it, leave the group and return from run()."""
        self._stop = True

    def run(self) -> int:
        """Process until stopped or idle; 0 on a clean exit. Raises StreamError/ConfigError."""
        self._txn.init()
        self._output_partitions = partition_count(self._producer, self._kafka.output)
        partition_count(self._producer, self._kafka.quarantine)
        consumer = Consumer(self._client_config(consumer_config(self._kafka, self._index)))
        self._consumer = consumer
        try:
            consumer.subscribe(
                subscription(self._kafka),
                on_assign=self._on_assign,
                on_revoke=self._on_revoke,
                on_lost=self._on_lost,
            )
            self._loop(consumer)
        finally:
            self._shutdown(consumer)
        return 0

    # -- the loop ---------------------------------------------------------------------

    def _loop(self, consumer: Consumer) -> None:
        batch_size = self._kafka.batch_size
        timeout = self._kafka.batch_timeout_ms / 1000
        last_lag = 0.0
        while not self._stop:
            self._swap_rules()
            try:
                messages = consumer.consume(self._isolation.batch_size(batch_size), timeout)
            except KafkaException as exc:
                raise to_stream_error(exc, "consume") from None
            self._producer.poll(0)
            self._raise_if_fatal()
            records = [m for m in messages if self._usable(m)]
            now = time.monotonic()
            if records:
                self._process(consumer, records)
                self._last_activity = time.monotonic()
            elif self._idle_expired(now):
                idle = now - self._last_activity
                log.info("worker %d: inputs idle for %.1f s, exiting", self._index, idle)
                return
            if now - last_lag >= _LAG_INTERVAL_S:
                self._update_lag(consumer)
                last_lag = now

    def _swap_rules(self) -> None:
        """Take a reloaded rule set: only here, between transactions, so that every record
        of one transaction carries one ``scrub.ruleset`` version."""
        if self._next_scrubber is None or self._txn.in_transaction:
            return
        fresh = self._next_scrubber()
        if fresh is not None:
            log.info("worker %d: ruleset %s -> %s", self._index, self._scrubber.ruleset_version,
                     fresh.ruleset_version)
            self._scrubber = fresh

    def _usable(self, msg: Message) -> bool:
        err = msg.error()
        if err is None:
            return True
        if is_fatal(err):
            raise FatalStreamError(f"consume failed: {err.name()} ({err.code()}): {err.str()}")
        if err.code() != KafkaError._PARTITION_EOF:
            log.warning("consume error: %s: %s", err.name(), err.str())
        return False

    def _idle_expired(self, now: float) -> bool:
        if self._exit_when_idle is None or not self._ready or self._txn.in_transaction:
            return False
        return now - self._last_activity >= self._exit_when_idle

    def _process(self, consumer: Consumer, records: list[Message]) -> None:
        started = time.monotonic()
        self._heartbeat.holding(self._index, len(records))
        batch = self._build(records)
        self._count_ner()
        if self._transact(consumer, batch):
            count_committed(batch)
            self._isolation.committed(batch.next_offsets)
            self._heartbeat.progressed(self._index)
        else:
            lone = _coordinates(records[0]) if len(records) == 1 else None
            self._isolation.aborted(batch.next_offsets, lone)
            self._rewind(consumer, batch)
        metrics.PROCESSING_SECONDS.observe(time.monotonic() - started)

    def _build(self, records: list[Message]) -> BatchOutput:
        """The batch to produce; a lone record refused too often gets its stand-in instead."""
        kafka = self._kafka
        if len(records) == 1 and self._isolation.should_reject(_coordinates(records[0])):
            log.warning("worker %d: %s/%d/%d refused %d times; quarantined as rejected",
                        self._index, *_coordinates(records[0]), kafka.max_transaction_retries)
            return rejected_batch(
                records[0], self._scrubber.ruleset_version, output_topic=kafka.output,
                quarantine_topic=kafka.quarantine, output_partitions=self._output_partitions,
            )  # fmt: skip
        return transform_batch(
            records, self._scrubber, output_topic=kafka.output, quarantine_topic=kafka.quarantine,
            output_partitions=self._output_partitions, max_value_bytes=self._max_value_bytes,
        )  # fmt: skip

    def _transact(self, consumer: Consumer, batch: BatchOutput) -> bool:
        """Produce the batch and commit it with its offsets; False when it was aborted."""
        self._txn.begin()
        self._pending = [TopicPartition(t, p, o) for (t, p), o in batch.next_offsets.items()]
        try:
            for record in batch.records:
                self._txn.produce(record.topic, **record.produce_kwargs())
                self._producer.poll(0)
        except FatalStreamError:
            raise
        except StreamError as exc:  # the client refused a record (too large, say)
            log.warning("worker %d: %s; aborting the batch", self._index, exc)
            self._pending = []
            self._txn.abort()
            return False
        committed = self._txn.commit(self._pending, consumer.consumer_group_metadata())
        self._pending = []
        return committed

    def _rewind(self, consumer: Consumer, batch: BatchOutput) -> None:
        """Seek back to the batch's first offsets: the offsets the last commit left."""
        for (topic, partition), offset in batch.first_offsets.items():
            if (topic, partition) not in self._assigned:
                continue
            try:
                consumer.seek(TopicPartition(topic, partition, offset))
            except KafkaException as exc:
                raise to_stream_error(exc, "seek after abort") from None
        n = len(batch.first_offsets)
        log.info("worker %d: rewound %d partitions after an abort", self._index, n)

    def _count_ner(self) -> None:
        seen = float(getattr(self._scrubber, "ner_seconds", 0.0))
        if seen > self._ner_seen:
            metrics.NER_SECONDS.inc(seen - self._ner_seen)
        self._ner_seen = seen

    # -- rebalance callbacks (run inside consumer.consume) -----------------------------

    def _on_assign(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        self._assigned.update((tp.topic, tp.partition) for tp in partitions)
        log.info("worker %d: assigned %d partitions", self._index, len(partitions))
        self._heartbeat.progressed(self._index)  # the stall window starts now
        self._mark_ready()

    def _on_revoke(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        if self._txn.in_transaction and self._pending:
            self._txn.commit(self._pending, consumer.consumer_group_metadata())
            self._pending = []
        self._forget(partitions)
        log.info("worker %d: revoked %d partitions", self._index, len(partitions))
        self._mark_ready()

    def _on_lost(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        self._txn.abort()
        self._pending = []
        self._forget(partitions)
        log.warning("worker %d: lost %d partitions", self._index, len(partitions))

    def _forget(self, partitions: list[TopicPartition]) -> None:
        self._isolation.forget((tp.topic, tp.partition) for tp in partitions)
        for tp in partitions:
            self._assigned.discard((tp.topic, tp.partition))
            metrics.CONSUMER_LAG.labels(topic=tp.topic, partition=str(tp.partition)).set(0)

    def _mark_ready(self) -> None:
        self._last_activity = time.monotonic()
        if not self._ready:
            self._ready = True
            self._on_ready()

    # -- helpers ------------------------------------------------------------------------

    def _client_config(self, config: dict[str, Any]) -> dict[str, Any]:
        config = dict(config)
        config["error_cb"] = self._on_error
        config["logger"] = logging.getLogger("logscrub.librdkafka")
        return config

    def _on_error(self, err: KafkaError) -> None:
        if is_fatal(err):
            self._fatal = err
            log.error("fatal Kafka error: %s: %s", err.name(), err.str())
        else:
            log.warning("Kafka error: %s: %s", err.name(), err.str())

    def _raise_if_fatal(self) -> None:
        if self._fatal is not None:
            err = self._fatal
            raise FatalStreamError(f"fatal Kafka error: {err.name()} ({err.code()}): {err.str()}")

    def _update_lag(self, consumer: Consumer) -> None:
        if not self._assigned:
            self._heartbeat.lag(self._index, 0)
            return
        try:
            self._heartbeat.lag(self._index, consumer_lag(consumer, self._assigned))
        except KafkaException as exc:
            log.debug("lag update skipped: %s", to_stream_error(exc, "position"))

    def _shutdown(self, consumer: Consumer) -> None:
        if self._txn.in_transaction:
            try:
                self._txn.abort()
            except Exception:  # closing anyway; the broker aborts the transaction on timeout
                log.warning("worker %d: abort on shutdown failed", self._index)
        try:
            consumer.close()  # commits nothing (auto commit is off) and leaves the group
        except (KafkaException, RuntimeError) as exc:
            log.warning("worker %d: consumer close failed: %s", self._index, type(exc).__name__)
        self._producer.flush(5.0)


def _coordinates(msg: Message) -> tuple[str, int, int]:
    return msg.topic() or "", msg.partition() or 0, msg.offset() or 0
