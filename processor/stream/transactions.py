"""The exactly-once transaction of one batch, on a transactional confluent-kafka producer.

Per batch: ``begin`` -> ``produce`` -> ``commit(offsets, group_metadata)``, where commit
sends the consumed offsets into the transaction and commits it. Outcomes:

- retriable errors (timeouts, a broker restarting) are retried until the deadline;
- an abortable error aborts the transaction and :meth:`commit` returns False: the
  caller rewinds its consumer to the batch's first offsets and processes it again;
- a fatal or fenced error raises FatalStreamError: the process must exit non-zero;
- a call that blocks far past its own timeout ends the process with exit code
  ``ExitCode.HUNG`` (:mod:`processor.exit_codes`), so the
  supervisor starts the worker again. librdkafka's send_offsets_to_transaction can
  block forever when the group coordinator goes away (confluentinc/librdkafka#5456,
  seen here on a broker restart); a new worker with the same transactional.id fences
  the hung one's transaction and resumes from the committed offsets.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Sequence
from typing import Any, Protocol

from confluent_kafka import KafkaException, TopicPartition

from processor import metrics
from processor.errors import StreamError
from processor.exit_codes import ExitCode
from processor.stream.kafka_errors import is_fatal, kafka_error, to_stream_error

__all__ = ["HANG_LIMIT_S", "ProducerLike", "Transactions"]

log = logging.getLogger(__name__)

_CALL_TIMEOUT_S = 10.0
#: A transactional call still blocked this long after its timeout is hung.
HANG_LIMIT_S = 3 * _CALL_TIMEOUT_S


class ProducerLike(Protocol):
    """The subset of ``confluent_kafka.Producer`` that transactions use."""

    def init_transactions(self, timeout: float = ...) -> None: ...
    def begin_transaction(self) -> None: ...
    def send_offsets_to_transaction(
        self, positions: list[TopicPartition], group_metadata: Any, timeout: float = ...
    ) -> None: ...
    def commit_transaction(self, timeout: float = ...) -> None: ...
    def abort_transaction(self, timeout: float = ...) -> None: ...
    def produce(self, topic: str, *args: Any, **kwargs: Any) -> None: ...
    def poll(self, timeout: float = ...) -> int: ...


class Transactions:
    """Runs begin/produce/commit/abort and retries what librdkafka says is retriable."""

    def __init__(self, producer: ProducerLike, deadline_s: float) -> None:
        self._producer = producer
        self._deadline_s = deadline_s
        self.in_transaction = False

    def init(self) -> None:
        """Register the transactional.id, fencing and aborting any predecessor's transaction."""
        self._retry("init_transactions", lambda: self._producer.init_transactions(_CALL_TIMEOUT_S))

    def begin(self) -> None:
        """Start a transaction."""
        try:
            self._producer.begin_transaction()
        except KafkaException as exc:
            raise to_stream_error(exc, "begin_transaction") from None
        self.in_transaction = True

    def produce(self, topic: str, **kwargs: Any) -> None:
        """Produce inside the transaction, serving delivery reports when the queue is full."""
        while True:
            try:
                self._producer.produce(topic, **kwargs)
                return
            except BufferError:
                self._producer.poll(0.05)
            except KafkaException as exc:
                raise to_stream_error(exc, f"produce to {topic}") from None

    def commit(self, offsets: Sequence[TopicPartition], group_metadata: Any) -> bool:
        """Send ``offsets`` and commit. False when the transaction had to be aborted."""
        try:
            self._retry(
                "send_offsets_to_transaction",
                lambda: self._producer.send_offsets_to_transaction(
                    list(offsets), group_metadata, _CALL_TIMEOUT_S
                ),
            )
            self._retry(
                "commit_transaction", lambda: self._producer.commit_transaction(_CALL_TIMEOUT_S)
            )
        except _AbortRequired as exc:
            log.warning("transaction must be aborted: %s", exc)
            self.abort()
            return False
        self.in_transaction = False
        metrics.TRANSACTIONS.labels(outcome="commit").inc()
        return True

    def abort(self) -> None:
        """Abort the open transaction (its records are never seen by read_committed readers)."""
        if not self.in_transaction:
            return
        try:
            self._retry(
                "abort_transaction", lambda: self._producer.abort_transaction(_CALL_TIMEOUT_S)
            )
        except _AbortRequired as exc:
            raise StreamError(f"abort_transaction failed: {exc}") from None
        self.in_transaction = False
        metrics.TRANSACTIONS.labels(outcome="abort").inc()

    def _retry(self, operation: str, call: Any) -> None:
        deadline = time.monotonic() + self._deadline_s
        attempt = 0
        while True:
            try:
                _guarded(operation, call)
                return
            except KafkaException as exc:
                err = kafka_error(exc)
                if err is None or is_fatal(err):
                    raise to_stream_error(exc, operation) from None
                if err.txn_requires_abort():
                    raise _AbortRequired(f"{operation}: {err.name()}: {err.str()}") from None
                if not err.retriable():
                    raise to_stream_error(exc, operation) from None
                attempt += 1
                if time.monotonic() >= deadline:
                    raise StreamError(
                        f"{operation} still failing after {attempt} attempts: {err.name()}"
                    ) from None
                log.warning("%s: retriable error %s, retrying", operation, err.name())
                self._producer.poll(min(0.5, 0.05 * attempt))


def _guarded(operation: str, call: Any) -> None:
    """Run ``call``; end the process with ExitCode.HUNG should it block past HANG_LIMIT_S."""
    watchdog = threading.Timer(HANG_LIMIT_S, _exit_hung, args=(operation,))
    watchdog.daemon = True
    watchdog.start()
    try:
        call()
    finally:
        watchdog.cancel()


def _exit_hung(operation: str) -> None:
    log.error("%s blocked for over %.0f s; exiting so that the worker restarts",
              operation, HANG_LIMIT_S)
    logging.shutdown()
    os._exit(ExitCode.HUNG)


class _AbortRequired(Exception):
    """librdkafka says the current transaction can only be aborted."""
