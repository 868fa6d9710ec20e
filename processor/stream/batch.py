"""One consumed batch in, the records to produce out: a plain step, testable without Kafka.

Each source record becomes one clean record with the scrubbed key, value and headers,
the same timestamp, and the ``scrub.*`` headers. Keys are scrubbed like values, in the
same ``scrub_many`` call. The partition is chosen from the RAW key with Kafka's murmur2
(see ``partitioning``), so order within a key is kept although the key sent is masked;
an unkeyed record goes to its source partition number modulo the output's partition
count, so a source partition's unkeyed records stay in order too. A record the engine
could not scrub safely (value or key) also yields a quarantine entry, and its
``scrub.status`` header names the reason. A tombstone (no value) stays a tombstone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from processor.records import FALLBACK_TOKEN, ScrubResult
from processor.stream.headers import (
    SOURCE_HEADER,
    Header,
    InputHeaders,
    build_headers,
    scrub_headers,
    source_coordinates,
)
from processor.stream.partitioning import key_partition
from processor.stream.quarantine import QuarantineEntry

__all__ = [
    "REJECTED",
    "BatchOutput",
    "MessageLike",
    "OutRecord",
    "ScrubberLike",
    "TopicAwareScrubber",
    "rejected_batch",
    "transform_batch",
]

#: The reason code of a record the broker or the client refused to take, isolated after
#: ``kafka.max_transaction_retries`` aborted transactions.
REJECTED = "rejected"
_FALLBACK_BYTES = FALLBACK_TOKEN.encode("ascii")

_TIMESTAMP_NOT_AVAILABLE = 0


class MessageLike(Protocol):
    """The subset of ``confluent_kafka.Message`` a batch reads."""

    def topic(self) -> str | None: ...
    def partition(self) -> int | None: ...
    def offset(self) -> int | None: ...
    def key(self) -> bytes | None: ...
    def value(self) -> bytes | None: ...
    def headers(self) -> InputHeaders | None: ...
    def timestamp(self) -> tuple[int, int]: ...


class ScrubberLike(Protocol):
    """The subset of ``processor.pipeline.Scrubber`` the stream uses."""

    ruleset_version: str

    def scrub_many(self, values: Sequence[bytes]) -> list[ScrubResult]: ...
    def scrub_field(self, name: str, text: str) -> tuple[str, Counter[tuple[str, str]]]: ...


@runtime_checkable
class TopicAwareScrubber(ScrubberLike, Protocol):
    """A scrubber that takes each value's source topic (per-topic encodings)."""

    def scrub_many_from(
        self, values: Sequence[bytes], topics: Sequence[str]
    ) -> list[ScrubResult]: ...


@dataclass(slots=True)
class OutRecord:
    """Keyword arguments of one ``Producer.produce`` call."""

    topic: str
    value: bytes | None
    key: bytes | None = None
    headers: list[Header] | None = None
    partition: int | None = None
    timestamp: int | None = None

    def produce_kwargs(self) -> dict[str, Any]:
        """The arguments for ``Producer.produce`` (topic excluded)."""
        kwargs: dict[str, Any] = {"value": self.value, "key": self.key}
        if self.headers is not None:
            kwargs["headers"] = self.headers
        if self.partition is not None:
            kwargs["partition"] = self.partition
        if self.timestamp is not None:
            kwargs["timestamp"] = self.timestamp
        return kwargs


@dataclass(slots=True)
class BatchOutput:
    """What to produce for a batch, the offsets to commit, and what to count once committed."""

    records: list[OutRecord] = field(default_factory=list)
    #: (topic, partition) -> the offset after the last consumed record: what to commit.
    next_offsets: dict[tuple[str, int], int] = field(default_factory=dict)
    #: (topic, partition) -> the batch's first offset: where to rewind after an abort.
    first_offsets: dict[tuple[str, int], int] = field(default_factory=dict)
    records_in: Counter[str] = field(default_factory=Counter)
    quarantined: Counter[tuple[str, str]] = field(default_factory=Counter)
    findings: dict[str, Counter[tuple[str, str]]] = field(default_factory=dict)
    #: topic -> what ``mode: shadow`` rules would have added (not masked).
    shadow: dict[str, Counter[tuple[str, str]]] = field(default_factory=dict)


def _coordinates(msg: MessageLike) -> tuple[str, int, int]:
    return msg.topic() or "", msg.partition() or 0, msg.offset() or 0


def _partition(raw_key: bytes | None, source_partition: int, partitions: int | None) -> int | None:
    """From the raw key's murmur2; unkeyed: the source partition modulo the output's."""
    if not partitions:
        return None
    if raw_key is None:
        return source_partition % partitions
    return key_partition(raw_key, partitions)


def _timestamp(msg: MessageLike) -> int | None:
    ts_type, ts = msg.timestamp()
    return ts if ts_type != _TIMESTAMP_NOT_AVAILABLE else None


def _begin(out: BatchOutput, msg: MessageLike) -> tuple[str, int, int]:
    """Account one consumed record: its offsets and the records-in count."""
    topic, partition, offset = _coordinates(msg)
    out.first_offsets.setdefault((topic, partition), offset)
    out.next_offsets[(topic, partition)] = offset + 1
    out.records_in[topic] += 1
    return topic, partition, offset


def transform_batch(
    messages: Sequence[MessageLike],
    scrubber: ScrubberLike,
    *,
    output_topic: str,
    quarantine_topic: str,
    output_partitions: int | None,
    max_value_bytes: int | None = None,
) -> BatchOutput:
    """Scrub the values and keys of ``messages`` in one ``scrub_many`` call.

    A scrubbed value longer than ``max_value_bytes`` (what the producer may send) is
    replaced by the fallback token and quarantined as ``oversized``.
    """
    out = BatchOutput()
    values = [m.value() for m in messages]
    keys = [m.key() for m in messages]
    present = [v for v in values if v is not None] + [k for k in keys if k is not None]
    if present and isinstance(scrubber, TopicAwareScrubber):
        # a topic's pinned encoding is its values'; keys are detected per record ("")
        topics = [m.topic() or "" for m, v in zip(messages, values, strict=True) if v is not None]
        topics += [""] * (len(present) - len(topics))
        results = iter(scrubber.scrub_many_from(present, topics))
    else:
        results = iter(scrubber.scrub_many(present) if present else [])
    value_results = [None if v is None else next(results) for v in values]
    key_results = [None if k is None else next(results) for k in keys]
    version = scrubber.ruleset_version
    for msg, value, result, key, key_result in zip(
        messages, values, value_results, keys, key_results, strict=True
    ):
        topic, partition, offset = _begin(out, msg)
        headers, header_counts = scrub_headers(msg.headers(), scrubber.scrub_field)
        counts: Counter[tuple[str, str]] = Counter(header_counts)
        output: bytes | None = None
        reason: str | None = None
        if value is not None and result is not None:
            counts.update(result.counts)
            output = result.output
            reason = result.fallback
            if reason is None and max_value_bytes is not None and len(output) > max_value_bytes:
                output, reason = _FALLBACK_BYTES, "oversized"
        clean_key: bytes | None = None
        if key_result is not None:
            counts.update(key_result.counts)
            clean_key = key_result.output
            if key_result.fallback is not None:
                clean_key = _FALLBACK_BYTES
                reason = reason or f"key_{key_result.fallback}"
        if reason:
            out.quarantined[(topic, reason)] += 1
            size = len(key or b"") if reason.startswith("key_") else len(value or b"")
            out.records.append(_quarantine_record(msg, quarantine_topic, reason, size, version))
        entities: Counter[str] = Counter()
        for (_rule, entity), n in counts.items():
            entities[entity] += n
        out.findings.setdefault(topic, Counter()).update(counts)
        for res in (result, key_result):
            if res is not None and res.shadow:
                out.shadow.setdefault(topic, Counter()).update(res.shadow)
        out.records.append(
            OutRecord(
                topic=output_topic,
                value=output,
                key=clean_key,
                headers=build_headers(
                    headers,
                    source=source_coordinates(topic, partition, offset),
                    ruleset_version=version,
                    entity_counts=entities,
                    status=reason,
                ),
                partition=_partition(key, partition, output_partitions),
                timestamp=_timestamp(msg),
            )
        )
    return out


def rejected_batch(
    msg: MessageLike,
    ruleset_version: str,
    *,
    output_topic: str,
    quarantine_topic: str,
    output_partitions: int | None,
) -> BatchOutput:
    """The records for one source record that the broker or client kept refusing.

    The clean record is the smallest fail-closed stand-in: the fallback token as value
    (a tombstone stays one) and key, no input headers, ``scrub.status: rejected``; the
    quarantine entry has the reason ``rejected``. The record is not scrubbed again.
    """
    out = BatchOutput()
    topic, partition, offset = _begin(out, msg)
    value, key = msg.value(), msg.key()
    out.quarantined[(topic, REJECTED)] += 1
    entry = _quarantine_record(msg, quarantine_topic, REJECTED, len(value or b""), ruleset_version)
    out.records.append(entry)
    out.records.append(
        OutRecord(
            topic=output_topic,
            value=None if value is None else _FALLBACK_BYTES,
            key=None if key is None else _FALLBACK_BYTES,
            headers=build_headers(
                [],
                source=source_coordinates(topic, partition, offset),
                ruleset_version=ruleset_version,
                entity_counts=Counter(),
                status=REJECTED,
            ),
            partition=_partition(key, partition, output_partitions),
            timestamp=_timestamp(msg),
        )
    )
    return out


def _quarantine_record(
    msg: MessageLike, topic: str, reason: str, size: int, version: str
) -> OutRecord:
    """A quarantine record: reason and coordinates only; no key, value or input headers."""
    src_topic, partition, offset = _coordinates(msg)
    entry = QuarantineEntry(
        reason=reason,
        topic=src_topic,
        partition=partition,
        offset=offset,
        size_bytes=size,
        timestamp_ms=_timestamp(msg),
        ruleset=version,
    )
    return OutRecord(
        topic=topic,
        value=entry.to_json(),
        headers=[(SOURCE_HEADER, entry.header_source())],
    )
