"""One consumed batch in, the records to produce out: a plain step, testable without Kafka.

Each source record becomes one clean record with the same key and timestamp, the
scrubbed value and headers, and the ``scrub.*`` headers. A keyed record goes to the
partition its key hashes to, so order within a key is kept; an unkeyed record goes to
its source partition number modulo the output's partition count, so a source
partition's unkeyed records stay in order too. A record the engine could not scrub
safely also yields a quarantine entry. A tombstone (no value) stays a tombstone.
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
from processor.stream.quarantine import QuarantineEntry

__all__ = [
    "BatchOutput",
    "MessageLike",
    "OutRecord",
    "ScrubberLike",
    "TopicAwareScrubber",
    "transform_batch",
]

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
    def scrub_text(self, text: str) -> tuple[str, Counter[tuple[str, str]]]: ...


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


def _coordinates(msg: MessageLike) -> tuple[str, int, int]:
    return msg.topic() or "", msg.partition() or 0, msg.offset() or 0


def transform_batch(
    messages: Sequence[MessageLike],
    scrubber: ScrubberLike,
    *,
    output_topic: str,
    quarantine_topic: str,
    output_partitions: int | None,
    max_value_bytes: int | None = None,
) -> BatchOutput:
    """Scrub ``messages`` in one ``scrub_many`` call and build the records to produce.

    A scrubbed value longer than ``max_value_bytes`` (what the producer may send) is
    replaced by the fallback token and quarantined as ``oversized``.
    """
    out = BatchOutput()
    values = [m.value() for m in messages]
    present = [v for v in values if v is not None]
    if present and isinstance(scrubber, TopicAwareScrubber):
        topics = [m.topic() or "" for m, v in zip(messages, values, strict=True) if v is not None]
        results = iter(scrubber.scrub_many_from(present, topics))
    else:
        results = iter(scrubber.scrub_many(present) if present else [])
    version = scrubber.ruleset_version
    for msg, value in zip(messages, values, strict=True):
        topic, partition, offset = _coordinates(msg)
        tp = (topic, partition)
        out.first_offsets.setdefault(tp, offset)
        out.next_offsets[tp] = offset + 1
        out.records_in[topic] += 1
        source = source_coordinates(topic, partition, offset)
        headers, header_counts = scrub_headers(msg.headers(), scrubber.scrub_text)
        counts: Counter[tuple[str, str]] = Counter(header_counts)
        output: bytes | None = None
        if value is not None:
            result = next(results)
            counts.update(result.counts)
            output = result.output
            reason = result.fallback
            if reason is None and max_value_bytes is not None and len(output) > max_value_bytes:
                output, reason = FALLBACK_TOKEN.encode("ascii"), "oversized"
            if reason:
                out.quarantined[(topic, reason)] += 1
                out.records.append(
                    _quarantine_record(msg, quarantine_topic, reason, len(value), version)
                )
        entities: Counter[str] = Counter()
        for (_rule, entity), n in counts.items():
            entities[entity] += n
        out.findings.setdefault(topic, Counter()).update(counts)
        key = msg.key()
        ts_type, ts = msg.timestamp()
        out.records.append(
            OutRecord(
                topic=output_topic,
                value=output,
                key=key,
                headers=build_headers(
                    headers, source=source, ruleset_version=version, entity_counts=entities
                ),
                partition=(
                    partition % output_partitions
                    if key is None and output_partitions
                    else None
                ),
                timestamp=ts if ts_type != _TIMESTAMP_NOT_AVAILABLE else None,
            )
        )
    return out


def _quarantine_record(
    msg: MessageLike, topic: str, reason: str, size: int, version: str
) -> OutRecord:
    """A quarantine record: reason and coordinates only; no key, value or input headers."""
    src_topic, partition, offset = _coordinates(msg)
    ts_type, ts = msg.timestamp()
    entry = QuarantineEntry(
        reason=reason,
        topic=src_topic,
        partition=partition,
        offset=offset,
        size_bytes=size,
        timestamp_ms=ts if ts_type != _TIMESTAMP_NOT_AVAILABLE else None,
        ruleset=version,
    )
    return OutRecord(
        topic=topic,
        value=entry.to_json(),
        headers=[(SOURCE_HEADER, entry.header_source())],
    )
