"""The monitor's Kafka topics, checked and prepared before the faust worker starts.

The access topic must have ``monitor.partitions`` partitions, the number the table's
changelog is created with: a co-partitioned table restores its windows into the
partition of their source. The changelog is created here, before the worker starts,
and the monitor waits until every partition has a leader. Left to the worker, the
topic is created while its consumer already runs, and the first event can meet a
changelog the consumer's metadata still shows with 0 partitions: faust then raises
``PartitionsMismatch`` and the agent restarts without counting that event.
"""

from __future__ import annotations

import time
from typing import Any

from confluent_kafka import KafkaException, TopicCollection
from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]  # re-exported, not in __all__
from faust.types import TopicT
from mode.utils.times import want_seconds

from processor.errors import ConfigError, StreamError
from processor.monitor.client_props import plain_client_props
from processor.settings import Settings

__all__ = ["changelog_config", "check_partitions", "ensure_changelog"]


def _admin(settings: Settings) -> AdminClient:
    return AdminClient({**plain_client_props(settings.kafka),
                        "bootstrap.servers": settings.kafka.bootstrap_servers})  # fmt: skip


def _partition_count(admin: AdminClient, topic: str, timeout_s: float) -> int | None:
    """Partitions of ``topic`` that have a leader; None while the topic is missing.

    DescribeTopics, not a metadata request for the topic: on a broker that creates
    topics on first use, a metadata request would create it with the broker's defaults.
    """
    future = admin.describe_topics(TopicCollection([topic]),
                                   request_timeout=timeout_s)[topic]  # fmt: skip
    try:
        description = future.result(timeout=timeout_s)
    except KafkaException as exc:
        if exc.args[0].name() == "UNKNOWN_TOPIC_OR_PART":
            return None
        raise StreamError(f"cannot describe {topic}: {exc.args[0].name()}") from None
    return sum(1 for p in description.partitions if p.leader is not None)


def check_partitions(settings: Settings, timeout_s: float = 30.0) -> None:
    """Refuse to start unless the access topic has ``monitor.partitions`` partitions."""
    topic = settings.monitor.access_topic
    count = _partition_count(_admin(settings), topic, timeout_s)
    if count is None:
        raise StreamError(f"access topic {topic} is missing")
    if count != settings.monitor.partitions:
        raise ConfigError(
            f"access topic {topic} has {count} partitions but "
            f"monitor.partitions is {settings.monitor.partitions}; they must be equal"
        )


def changelog_config(topic: TopicT) -> dict[str, str]:
    """The topic configuration faust gives a changelog: cleanup policy and retention."""
    policy = sorted(
        flag for flag, on in (("compact", topic.compacting), ("delete", topic.deleting)) if on
    )
    config: dict[str, str] = {str(k): str(v) for k, v in (topic.config or {}).items()}
    if policy:
        config["cleanup.policy"] = ",".join(policy)
    if topic.retention:
        config["retention.ms"] = str(int(want_seconds(topic.retention) * 1000.0))
    return config


def ensure_changelog(settings: Settings, topic: TopicT, timeout_s: float = 60.0) -> None:
    """Create the changelog when missing, then wait until all its partitions have leaders.

    An existing changelog with another partition count is refused, as faust would
    refuse it at the first event.
    """
    m = settings.monitor
    name = topic.get_topic_name()
    admin = _admin(settings)
    if _partition_count(admin, name, timeout_s) is None:
        new = NewTopic(name, num_partitions=m.partitions,
                       replication_factor=m.replication_factor,
                       config=changelog_config(topic))  # fmt: skip
        future: Any = admin.create_topics([new], operation_timeout=timeout_s)[name]
        try:
            future.result(timeout=timeout_s)
        except KafkaException as exc:
            if exc.args[0].name() != "TOPIC_ALREADY_EXISTS":
                raise StreamError(f"cannot create {name}: {exc.args[0].name()}") from None
    deadline = time.monotonic() + timeout_s
    while (count := _partition_count(admin, name, timeout_s)) != m.partitions:
        if count is not None and count > m.partitions:
            raise ConfigError(
                f"changelog {name} has {count} partitions but monitor.partitions is "
                f"{m.partitions}; they must be equal"
            )
        if time.monotonic() > deadline:
            raise StreamError(f"changelog {name} has no leader for every partition yet")
        time.sleep(0.2)
