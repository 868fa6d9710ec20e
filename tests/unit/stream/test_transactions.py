"""The per-batch transaction: commit, retry, abort and fatal outcomes."""

from __future__ import annotations

import time
from typing import Any

import pytest
from confluent_kafka import KafkaError, KafkaException, TopicPartition

from processor.errors import FatalStreamError, StreamError
from processor.stream.transactions import Transactions


class ScriptedProducer:
    """Raises the scripted errors from commit_transaction, then succeeds."""

    def __init__(self, commit_errors: list[KafkaError] | None = None) -> None:
        self.commit_errors = list(commit_errors or [])
        self.calls: list[str] = []

    def init_transactions(self, timeout: float = 0) -> None:
        self.calls.append("init")

    def begin_transaction(self) -> None:
        self.calls.append("begin")

    def send_offsets_to_transaction(self, positions: Any, group_metadata: Any,
                                    timeout: float = 0) -> None:
        self.calls.append("offsets")

    def commit_transaction(self, timeout: float = 0) -> None:
        self.calls.append("commit")
        if self.commit_errors:
            raise KafkaException(self.commit_errors.pop(0))

    def abort_transaction(self, timeout: float = 0) -> None:
        self.calls.append("abort")

    def produce(self, topic: str, *args: Any, **kwargs: Any) -> None:
        self.calls.append("produce")

    def poll(self, timeout: float = 0) -> int:
        time.sleep(timeout)
        return 0


OFFSETS = [TopicPartition("t", 0, 10)]


def test_commit_sends_offsets_then_commits() -> None:
    """A clean batch: begin, produce, send offsets, commit."""
    producer = ScriptedProducer()
    txn = Transactions(producer, deadline_s=5)
    txn.begin()
    txn.produce("out", value=b"v")
    assert txn.commit(OFFSETS, object()) is True
    assert producer.calls == ["begin", "produce", "offsets", "commit"]
    assert not txn.in_transaction


def test_retriable_commit_error_is_retried() -> None:
    """A retriable error (e.g. a broker restarting) retries the commit."""
    producer = ScriptedProducer([KafkaError(KafkaError._TIMED_OUT, retriable=True)])
    txn = Transactions(producer, deadline_s=5)
    txn.begin()
    assert txn.commit(OFFSETS, object()) is True
    assert producer.calls.count("commit") == 2


def test_abortable_error_aborts_and_reports_false() -> None:
    """An abortable error aborts the transaction so that the caller rewinds."""
    err = KafkaError(KafkaError.ILLEGAL_GENERATION, txn_requires_abort=True)
    producer = ScriptedProducer([err])
    txn = Transactions(producer, deadline_s=5)
    txn.begin()
    assert txn.commit(OFFSETS, object()) is False
    assert producer.calls[-1] == "abort"
    assert not txn.in_transaction


@pytest.mark.parametrize(
    "err",
    [KafkaError(KafkaError._FENCED, fatal=True), KafkaError(KafkaError.PRODUCER_FENCED)],
)
def test_fatal_or_fenced_error_raises_fatal(err: KafkaError) -> None:
    """A fatal or fenced producer raises FatalStreamError (the process exits non-zero)."""
    txn = Transactions(ScriptedProducer([err]), deadline_s=5)
    txn.begin()
    with pytest.raises(FatalStreamError):
        txn.commit(OFFSETS, object())


def test_retries_stop_at_the_deadline() -> None:
    """A commit that keeps timing out gives up with a StreamError after the deadline."""
    errors = [KafkaError(KafkaError._TIMED_OUT, retriable=True)] * 1000
    txn = Transactions(ScriptedProducer(errors), deadline_s=0.2)
    txn.begin()
    with pytest.raises(StreamError):
        txn.commit(OFFSETS, object())
