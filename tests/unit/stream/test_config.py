"""Consumer and producer configs built from KafkaSettings."""

from __future__ import annotations

import pytest

from processor.errors import ConfigError
from processor.settings import KafkaSettings, load_settings
from processor.stream.config import (
    consumer_config,
    message_timeout_ms,
    producer_config,
    subscription,
    transactional_id,
)


def test_consumer_is_read_committed_manual_commit_cooperative() -> None:
    """The consumer reads committed data only, never auto-commits, and uses cooperative-sticky."""
    cfg = consumer_config(KafkaSettings(group_id="g", instance_id="pod-1"), 0)
    assert cfg["isolation.level"] == "read_committed"
    assert cfg["enable.auto.commit"] is False
    assert cfg["partition.assignment.strategy"] == "cooperative-sticky"
    assert cfg["group.id"] == "g"
    assert cfg["auto.offset.reset"] == "earliest"


def test_producer_is_transactional_with_timeouts_ordered() -> None:
    """The producer is transactional and its message timeout stays below the transaction's."""
    kafka = KafkaSettings(group_id="g", instance_id="pod-1", linger_ms=7, compression="zstd")
    cfg = producer_config(kafka, 3)
    assert cfg["transactional.id"] == "logscrub-g-pod-1-3"
    assert cfg["enable.idempotence"] is True
    assert cfg["linger.ms"] == 7
    assert cfg["compression.type"] == "zstd"
    assert cfg["message.timeout.ms"] < cfg["transaction.timeout.ms"]


@pytest.mark.parametrize("txn_ms", [1000, 1500, 60_000, 900_000])
def test_message_timeout_always_below_transaction_timeout(txn_ms: int) -> None:
    """message.timeout.ms < transaction.timeout.ms for any allowed transaction timeout."""
    assert 0 < message_timeout_ms(KafkaSettings(transaction_timeout_ms=txn_ms)) < txn_ms


def test_transactional_ids_differ_per_worker_and_instance() -> None:
    """Workers and instances never share a transactional.id; a restart reuses its own."""
    a0 = transactional_id(KafkaSettings(instance_id="a"), 0)
    assert a0 == transactional_id(KafkaSettings(instance_id="a"), 0)
    assert a0 != transactional_id(KafkaSettings(instance_id="a"), 1)
    assert a0 != transactional_id(KafkaSettings(instance_id="b"), 0)


def test_client_properties_pass_through_but_cannot_break_exactly_once() -> None:
    """SASL/SSL props reach both clients; owned props cannot be overridden."""
    kafka = KafkaSettings(
        client={
            "security.protocol": "SASL_SSL",
            "sasl.password": "s3cret",
            "session.timeout.ms": "6000",
            "linger.ms": "50",
        }
    )
    consumer, producer = consumer_config(kafka, 0), producer_config(kafka, 0)
    assert consumer["security.protocol"] == producer["security.protocol"] == "SASL_SSL"
    assert consumer["sasl.password"] == producer["sasl.password"] == "s3cret"
    assert consumer["session.timeout.ms"] == "6000" and "session.timeout.ms" not in producer
    assert producer["linger.ms"] == "50" and "linger.ms" not in consumer
    with pytest.raises(ConfigError):
        load_settings(overrides={"kafka": {"client": {"isolation.level": "read_uncommitted"}}},
                      environ={})


def test_pattern_subscription_is_anchored() -> None:
    """An input pattern becomes librdkafka's ``^regex`` subscription; names stay names."""
    assert subscription(KafkaSettings(input_pattern=r"logs\.raw\..*")) == [r"^logs\.raw\..*"]
    assert subscription(KafkaSettings(input_pattern=r"^x.*")) == [r"^x.*"]
    assert subscription(KafkaSettings(inputs=("a", "b"))) == ["a", "b"]


def test_librdkafka_accepts_both_configs() -> None:
    """confluent-kafka constructs both clients from the built configs without errors."""
    from confluent_kafka import Consumer, Producer

    kafka = KafkaSettings(bootstrap_servers="127.0.0.1:1", instance_id="unit")
    Consumer(consumer_config(kafka, 0)).close()
    Producer(producer_config(kafka, 0)).flush(0)
