"""librdkafka configuration dicts for the consumer and the transactional producer.

Order of precedence: logscrub's tunable defaults, then the pass-through ``client``
properties (security.protocol, SASL, SSL, timeouts, ...), then the properties that
exactly-once depends on, which nothing overrides.
"""

from __future__ import annotations

import socket
from typing import Any

from pydantic import SecretStr

from processor.settings import KafkaSettings

__all__ = [
    "consumer_config",
    "instance_name",
    "message_timeout_ms",
    "producer_config",
    "subscription",
    "transactional_id",
]

# Client properties that only one side understands; librdkafka warns about the rest.
_PRODUCER_ONLY = frozenset(
    {
        "acks",
        "batch.size",
        "batch.num.messages",
        "compression.codec",
        "compression.level",
        "compression.type",
        "delivery.timeout.ms",
        "enable.idempotence",
        "linger.ms",
        "message.send.max.retries",
        "message.timeout.ms",
        "partitioner",
        "queue.buffering.max.kbytes",
        "queue.buffering.max.messages",
        "queue.buffering.max.ms",
        "request.required.acks",
        "retries",
        "sticky.partitioning.linger.ms",
        "transaction.timeout.ms",
    }
)
_CONSUMER_ONLY = frozenset(
    {
        "auto.commit.interval.ms",
        "auto.offset.reset",
        "check.crcs",
        "enable.partition.eof",
        "fetch.max.bytes",
        "fetch.min.bytes",
        "fetch.wait.max.ms",
        "group.instance.id",
        "group.protocol",
        "heartbeat.interval.ms",
        "max.partition.fetch.bytes",
        "max.poll.interval.ms",
        "partition.assignment.strategy",
        "queued.max.messages.kbytes",
        "queued.min.messages",
        "session.timeout.ms",
    }
)


def instance_name(kafka: KafkaSettings) -> str:
    """This process's stable name in the group: ``kafka.instance_id``, else the host name.

    In Kubernetes the host name is the pod name, which survives container restarts, so
    a restarted worker reuses its transactional.id and fences its predecessor at once.
    """
    return kafka.instance_id or socket.gethostname() or "local"


def transactional_id(kafka: KafkaSettings, worker_index: int) -> str:
    """``<prefix>-<group>-<instance>-<worker>``: stable across restarts, unique per worker."""
    return f"{kafka.transactional_id_prefix}-{kafka.group_id}-{instance_name(kafka)}-{worker_index}"


def message_timeout_ms(kafka: KafkaSettings) -> int:
    """A delivery timeout safely below the transaction timeout (librdkafka requires it)."""
    txn = kafka.transaction_timeout_ms
    return max(500, min(txn - 1000, int(txn * 0.9)))


def subscription(kafka: KafkaSettings) -> list[str]:
    """Topic names, or the pattern as librdkafka's ``^regex`` subscription."""
    if kafka.input_pattern:
        pattern = kafka.input_pattern
        return [pattern if pattern.startswith("^") else f"^{pattern}"]
    return list(kafka.inputs)


def _client_props(kafka: KafkaSettings, drop: frozenset[str]) -> dict[str, Any]:
    # The one place where client secrets are unwrapped: into the dict librdkafka reads.
    return {
        k: v.get_secret_value() if isinstance(v, SecretStr) else v
        for k, v in kafka.client.items()
        if k not in drop
    }


def consumer_config(kafka: KafkaSettings, worker_index: int) -> dict[str, Any]:
    """The read_committed, manually committed, cooperative-sticky consumer of one worker."""
    config: dict[str, Any] = {
        # A scrubber that starts on a new topic must not skip what is already there.
        "auto.offset.reset": "earliest",
        "enable.partition.eof": False,
        "partition.assignment.strategy": "cooperative-sticky",
        "client.id": f"logscrub-{instance_name(kafka)}-{worker_index}",
        # Prefetch bounded so that a rewind after an abort does not refetch much.
        "queued.max.messages.kbytes": 16384,
    }
    config.update(_client_props(kafka, _PRODUCER_ONLY))
    config.update(
        {
            "bootstrap.servers": kafka.bootstrap_servers,
            "group.id": kafka.group_id,
            "isolation.level": "read_committed",
            "enable.auto.commit": False,
            "enable.auto.offset.store": False,
        }
    )
    return config


def producer_config(kafka: KafkaSettings, worker_index: int) -> dict[str, Any]:
    """The transactional, idempotent producer of one worker."""
    config: dict[str, Any] = {
        "linger.ms": kafka.linger_ms,
        "compression.type": kafka.compression,
        # The worker sets every record's partition itself, from the RAW key (the key it
        # sends is masked; see partitioning.py). Java-compatible should one come without.
        "partitioner": "murmur2_random",
        "client.id": f"logscrub-{instance_name(kafka)}-{worker_index}",
    }
    config.update(_client_props(kafka, _CONSUMER_ONLY))
    config.update(
        {
            "bootstrap.servers": kafka.bootstrap_servers,
            "transactional.id": transactional_id(kafka, worker_index),
            "enable.idempotence": True,
            "acks": "all",
            "transaction.timeout.ms": kafka.transaction_timeout_ms,
            "message.timeout.ms": message_timeout_ms(kafka),
        }
    )
    return config
