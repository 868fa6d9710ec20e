"""``logscrub monitor`` on the real broker: committed reads only, bursts, state across a kill."""

from __future__ import annotations

import json
import time
import uuid

import monitor_fixtures
import pytest
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource
from kafka_broker import create_topic
from monitor_fixtures import Monitor, sample

from scripts.access_events import access_message

pytestmark = pytest.mark.integration
monitor_topics = monitor_fixtures.monitor_topics
start_monitor = monitor_fixtures.start_monitor

T0_MS = 1_795_000_000_000  # fixed event time: the window does not depend on the clock
ACTOR = "alice@example.com"


def _produce(bootstrap: str, topic: str, messages, *, abort: bool = False) -> None:
    """Produce in one transaction, committed or aborted."""
    producer = Producer({"bootstrap.servers": bootstrap,
                         "transactional.id": f"it-audit-{uuid.uuid4().hex[:8]}"})
    producer.init_transactions(30)
    producer.begin_transaction()
    for key, value, headers in messages:
        producer.produce(topic, key=key, value=value, headers=headers)
    producer.flush(30)
    if abort:
        producer.abort_transaction(30)
    else:
        producer.commit_transaction(30)


def _denied(offset_s: int) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    return access_message(ACTOR, decision="deny", time_ms=T0_MS + offset_s * 1000)


def _wait_committed(bootstrap: str, group: str, topic: str, offset: int, mon: Monitor) -> None:
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group})
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            committed = consumer.committed([TopicPartition(topic, 0)], timeout=10)[0].offset
            if committed >= offset:
                return
            time.sleep(0.5)
        pytest.fail(f"offset {offset} never committed\n{mon.log()[-5000:]}")
    finally:
        consumer.close()


def _read_bursts(bootstrap: str, topic: str, settle: float = 5.0) -> list[dict[str, object]]:
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": uuid.uuid4().hex,
                         "auto.offset.reset": "earliest", "isolation.level": "read_committed"})
    consumer.subscribe([topic])
    out: list[dict[str, object]] = []
    last = time.monotonic()
    deadline = last + 60
    try:
        while time.monotonic() < deadline and time.monotonic() - last < settle:
            msg = consumer.poll(0.5)
            if msg is not None and msg.error() is None:
                headers = dict(msg.headers() or [])
                assert headers["ce_type"] == b"dev.logscrub.debug.burst.v1"
                assert msg.key() == ACTOR.encode()
                out.append(json.loads(msg.value()))
                last = time.monotonic()
    finally:
        consumer.close()
    return out


def _changelog_config(bootstrap: str, topic: str) -> tuple[int, str, str]:
    """Partitions, cleanup policy and retention of a topic, as the broker reports them."""
    admin = AdminClient({"bootstrap.servers": bootstrap})
    partitions = len(admin.list_topics(topic, timeout=10).topics[topic].partitions)
    resource = ConfigResource(ConfigResource.Type.TOPIC, topic)
    config = admin.describe_configs([resource])[resource].result(timeout=10)
    return partitions, config["cleanup.policy"].value, config["retention.ms"].value


def test_monitor__aborted_events_ignored_state_survives_kill(bootstrap, monitor_topics,
                                                             start_monitor):
    """Aborted events are never counted; after SIGKILL the window resumes and fires once."""
    t = monitor_topics
    env = {"LOGSCRUB_MONITOR__THRESHOLDS__DENIED": "4"}
    _produce(bootstrap, t.access, [_denied(0)], abort=True)  # a read_uncommitted reader counts it
    _produce(bootstrap, t.access, [_denied(i) for i in (1, 2, 3)])
    _produce(bootstrap, t.access, [access_message(ACTOR, time_ms=T0_MS + 4000)])  # marker

    first = start_monitor(t, env)
    first.wait_metric("logscrub_debug_access_total", 1, decision="allow")
    changelog = f"{t.app_id}-access-windows-changelog"
    assert _changelog_config(bootstrap, changelog) == (1, "compact,delete", "3600000")
    text = first.metrics()
    assert sample(text, "logscrub_debug_access_total", decision="deny") == 3
    assert sample(text, "logscrub_debug_access_bursts_total", kind="denied") == 0
    # Offsets 0-1 aborted record and marker, 2-5 three records and marker, 6 the allow
    # event: it is done once offset 7 is committed.
    _wait_committed(bootstrap, t.app_id, t.access, 7, first)
    first.kill()

    second = start_monitor(t, env)
    _produce(bootstrap, t.access, [_denied(5)])
    second.wait_metric("logscrub_debug_access_bursts_total", 1, kind="denied")
    text = second.metrics()
    # Only the new event was read again: the offsets committed before the kill held.
    assert sample(text, "logscrub_debug_access_total", decision="deny") == 1
    bursts = _read_bursts(bootstrap, t.alerts)
    assert [(b["actor"], b["kind"], b["count"]) for b in bursts] == [(ACTOR, "denied", 4)]
    assert second.terminate() == 0


def test_monitor__partition_mismatch__refuses_to_start(bootstrap, monitor_topics, start_monitor):
    """An access topic whose partitions differ from monitor.partitions: exit 2, no faust app."""
    mon = start_monitor(monitor_topics, {"LOGSCRUB_MONITOR__PARTITIONS": "4"})
    assert mon.proc.wait(timeout=60) == 2
    assert "must be equal" in mon.log()


def test_monitor__changelog_with_other_partitions__refuses_to_start(bootstrap, monitor_topics,
                                                                   start_monitor):
    """A changelog left with other partitions than the access topic: exit 2 before faust."""
    create_topic(bootstrap, f"{monitor_topics.app_id}-access-windows-changelog", 2)
    mon = start_monitor(monitor_topics)
    assert mon.proc.wait(timeout=60) == 2
    assert "changelog" in mon.log() and "must be equal" in mon.log()
