"""``/api/v1/status``: consumer-group lag of the processor and the indexer, and the store."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from confluent_kafka import Consumer, KafkaException, TopicPartition

from processor.index.store import Store
from processor.settings import Settings

__all__ = ["group_lag", "status_probe"]

log = logging.getLogger(__name__)


def group_lag(bootstrap: str, group: str, topics: list[str], timeout: float = 3.0) -> int | None:
    """Messages not yet committed by ``group`` on ``topics``; None when unknown.

    Uses a consumer that never subscribes, so it does not join (or disturb) the group.
    """
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group,
                         "enable.auto.commit": False, "client.id": "logscrub-debug-api-lag"})
    try:
        meta = consumer.list_topics(timeout=timeout)
        parts = [TopicPartition(t, p) for t in topics if t in meta.topics
                 for p in meta.topics[t].partitions]
        if not parts:
            return None
        lag = 0
        for tp in consumer.committed(parts, timeout=timeout):
            low, high = consumer.get_watermark_offsets(tp, timeout=timeout)
            lag += high - (tp.offset if tp.offset >= 0 else low)
        return lag
    except KafkaException as exc:
        log.warning("lag of group %s unknown: %s", group, type(exc).__name__)
        return None
    finally:
        consumer.close()


def status_probe(settings: Settings, store: Store, ruleset: str) -> Callable[[], dict[str, Any]]:
    """The function behind ``/api/v1/status``."""
    from processor.debugapi.routes import iso

    def probe() -> dict[str, Any]:
        kafka, index = settings.kafka, settings.index
        topic = index.topic or kafka.output
        processor_group = settings.debug_api.processor_group_id or kafka.group_id
        stats = store.stats()
        auth = settings.debug_api.auth
        return {
            "ruleset": ruleset,
            "processor": {"group": processor_group, "topics": list(kafka.inputs),
                          "lag": group_lag(kafka.bootstrap_servers, processor_group,
                                           list(kafka.inputs))},
            "index": {"group": index.group_id, "topic": topic, "store": index.store,
                      "lag": group_lag(kafka.bootstrap_servers, index.group_id, [topic]),
                      "records": stats["records"], "runs": stats["runs"],
                      "newest_record_at": iso(stats["newest_ms"])},
            "auth": {"mode": auth.mode, "local_dev": auth.mode == "local-dev"},
            "audit_topic": settings.debug_api.audit_topic,
            "session_mode": "ro",
        }

    return probe
