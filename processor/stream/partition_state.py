"""What a worker asks the broker about partitions: how many a topic has, and the lag of
the partitions assigned to it (also set per partition in ``logscrub_consumer_lag``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition

from processor import metrics
from processor.errors import ConfigError
from processor.stream.kafka_errors import to_stream_error

__all__ = ["consumer_lag", "partition_count", "topic_partitions"]

_METADATA_TIMEOUT_S = 15.0


def topic_partitions(client: Any, topic: str, timeout: float = _METADATA_TIMEOUT_S) -> list[int]:
    """The partition ids of ``topic``, sorted; ConfigError when it does not exist.

    ``client`` is a confluent-kafka Producer or Consumer (both answer metadata).
    """
    try:
        md = client.list_topics(topic, timeout=timeout)
    except KafkaException as exc:
        raise to_stream_error(exc, f"metadata for topic {topic}") from None
    tmd = md.topics.get(topic)
    if tmd is None or tmd.error is not None or not tmd.partitions:
        raise ConfigError(f"topic {topic!r} does not exist or has no partitions")
    return sorted(tmd.partitions)


def partition_count(producer: Producer, topic: str) -> int:
    """The number of partitions of ``topic``; ConfigError when it does not exist."""
    return len(topic_partitions(producer, topic))


def consumer_lag(consumer: Consumer, assigned: Iterable[tuple[str, int]]) -> int:
    """The records behind the high watermark on ``assigned``, summed; each partition's
    lag also goes to the gauge. Raises KafkaException when positions are unknown."""
    total = 0
    positions = consumer.position([TopicPartition(t, p) for t, p in assigned])
    for tp in positions:
        _low, high = consumer.get_watermark_offsets(tp, cached=True)
        if high < 0 or tp.offset < 0:
            continue
        lag = max(0, high - tp.offset)
        total += lag
        metrics.CONSUMER_LAG.labels(topic=tp.topic, partition=str(tp.partition)).set(lag)
    return total
