"""What a replay or a snapshot reads: partition ranges, from offsets, times or a run.

A range is half-open, ``[start, end)``, like a Python slice. Time bounds are resolved with
``offsets_for_times``; a workflow run's bounds come from the timeline index, which holds
each clean record's ``scrub.source`` (the raw topic, partition and offset).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from confluent_kafka import KafkaException, TopicPartition

from processor.errors import ConfigError
from processor.stream.kafka_errors import to_stream_error
from processor.stream.partition_state import topic_partitions

__all__ = [
    "PartitionRange",
    "parse_offsets",
    "parse_source",
    "ranges_for_sources",
    "ranges_for_times",
]

_TIMEOUT_S = 15.0
_OFFSETS = re.compile(r"^(?P<p>\d+):(?P<start>\d+)-(?P<end>\d+)$")
_SOURCE = re.compile(r"^(?P<topic>[A-Za-z0-9._-]+)/(?P<p>\d+)/(?P<off>\d+)$")


@dataclass(frozen=True, slots=True)
class PartitionRange:
    """Offsets ``[start, end)`` of one partition."""

    topic: str
    partition: int
    start: int
    end: int

    @property
    def size(self) -> int:
        """How many offsets the range spans (an upper bound on its records)."""
        return max(0, self.end - self.start)


def parse_offsets(topic: str, specs: Iterable[str]) -> list[PartitionRange]:
    """``P:START-END`` (END exclusive) for each spec; ConfigError when one is malformed."""
    out = []
    for spec in specs:
        m = _OFFSETS.match(spec.strip())
        if m is None or int(m["end"]) < int(m["start"]):
            raise ConfigError(
                "--offsets takes PARTITION:START-END with END >= START, e.g. 0:100-200"
            )
        out.append(PartitionRange(topic, int(m["p"]), int(m["start"]), int(m["end"])))
    return out


def parse_source(source: str) -> tuple[str, int, int] | None:
    """``topic/partition/offset`` of a ``scrub.source`` header, or None when malformed."""
    m = _SOURCE.match(source)
    return (m["topic"], int(m["p"]), int(m["off"])) if m else None


def ranges_for_sources(sources: Iterable[tuple[str, int, int]]) -> list[PartitionRange]:
    """The smallest range per partition covering every given source coordinate."""
    bounds: dict[tuple[str, int], tuple[int, int]] = {}
    for topic, partition, offset in sources:
        lo, hi = bounds.get((topic, partition), (offset, offset + 1))
        bounds[(topic, partition)] = (min(lo, offset), max(hi, offset + 1))
    return [PartitionRange(t, p, lo, hi) for (t, p), (lo, hi) in sorted(bounds.items())]


def ranges_for_times(
    client: Any, topic: str, from_ms: int | None, to_ms: int | None
) -> list[PartitionRange]:
    """Every partition of ``topic`` between the two timestamps (``to`` exclusive).

    ``client`` is a confluent-kafka Consumer (it answers metadata, watermarks and
    ``offsets_for_times``).
    """
    out = []
    for partition in topic_partitions(client, topic, _TIMEOUT_S):
        try:
            low, high = client.get_watermark_offsets(TopicPartition(topic, partition),
                                                     timeout=_TIMEOUT_S)
            start = _offset_at(client, topic, partition, from_ms, low, high)
            end = _offset_at(client, topic, partition, to_ms, high, high)
        except KafkaException as exc:
            raise to_stream_error(exc, f"offsets of {topic}/{partition}") from None
        out.append(PartitionRange(topic, partition, start, max(start, end)))
    return out


def _offset_at(client: Any, topic: str, partition: int, ms: int | None, default: int,
               high: int) -> int:
    """The first offset at or after ``ms`` (``high`` when none), or ``default`` without ms."""
    if ms is None:
        return default
    found = client.offsets_for_times([TopicPartition(topic, partition, ms)], timeout=_TIMEOUT_S)
    offset = found[0].offset
    return high if offset < 0 else int(offset)
