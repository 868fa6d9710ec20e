"""Read the access events of a period from Kafka: committed events only, up to now.

Starts at the offsets for ``since`` (``offsets_for_times``) and stops at the end
offsets taken when it starts, so the report covers a fixed period and terminates.
"""

from __future__ import annotations

import time
import uuid

from confluent_kafka import Consumer, KafkaException, TopicPartition

from processor.audit.summary import AccessSummary
from processor.errors import AccessEventError, StreamError
from processor.monitor.access_event import parse_access_event
from processor.monitor.client_props import plain_client_props
from processor.settings import Settings

__all__ = ["collect"]


def collect(settings: Settings, since_s: float, timeout_s: float = 120.0) -> AccessSummary:
    """Summarise the access topic's events with event time from ``since_s`` to now."""
    now = time.time()
    summary = AccessSummary(since_s, now, reveal_actions=settings.monitor.reveal_actions)
    topic = settings.monitor.access_topic
    consumer = Consumer({
        **plain_client_props(settings.kafka),
        "bootstrap.servers": settings.kafka.bootstrap_servers,
        "group.id": f"logscrub-audit-report-{uuid.uuid4().hex[:8]}",
        "enable.auto.commit": False,
        "isolation.level": "read_committed",
        "auto.offset.reset": "earliest",
    })  # fmt: skip
    try:
        metadata = consumer.list_topics(topic, timeout=30).topics.get(topic)
        if metadata is None or metadata.error is not None or not metadata.partitions:
            raise StreamError(f"access topic {topic} is missing")
        # Producers write events close to their time; a minute of slack for clock skew.
        start_ms = int((since_s - 60) * 1000)
        wanted = [TopicPartition(topic, p, start_ms) for p in sorted(metadata.partitions)]
        starts = consumer.offsets_for_times(wanted, timeout=30)
        ends = {}
        for tp in starts:
            _low, high = consumer.get_watermark_offsets(TopicPartition(topic, tp.partition),
                                                        timeout=30)  # fmt: skip
            ends[tp.partition] = high
        todo = {tp.partition for tp in starts if 0 <= tp.offset < ends[tp.partition]}
        consumer.assign([tp for tp in starts if tp.partition in todo])
        deadline = time.monotonic() + timeout_s
        while todo and time.monotonic() < deadline:
            for msg in consumer.consume(500, 1.0):
                if msg.error() is not None:
                    continue
                try:
                    summary.add(parse_access_event(msg.key(), msg.value(), msg.headers()))
                except AccessEventError as exc:
                    summary.skipped_invalid[exc.reason] += 1
                offset, partition = msg.offset(), msg.partition()
                if offset is not None and partition is not None and offset + 1 >= ends[partition]:
                    todo.discard(partition)
            # A transaction marker can be the last offset: no message reaches it.
            for tp in consumer.position([TopicPartition(topic, p) for p in list(todo)]):
                if tp.offset >= ends[tp.partition]:
                    todo.discard(tp.partition)
        if todo:
            raise StreamError(f"access topic {topic} not read to its end in {timeout_s:.0f} s")
    except KafkaException as exc:
        raise StreamError(f"reading {topic} failed: {exc.args[0].name()}") from None
    finally:
        consumer.close()
    return summary
