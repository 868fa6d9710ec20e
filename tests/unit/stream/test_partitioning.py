"""The output partition follows the raw key exactly as Java clients and librdkafka choose it."""

from __future__ import annotations

import pytest
from confluent_kafka import Producer

from processor.stream.partitioning import key_partition, murmur2


@pytest.mark.parametrize(
    ("key", "expected"),
    [  # Kafka's own vectors: clients/src/test/.../common/utils/UtilsTest.java, testMurmur2
        (b"21", -973932308),
        (b"foobar", -790332482),
        (b"a-little-bit-long-string", -985981536),
        (b"a-little-bit-longer-string", -1486304829),
        (b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971),
        (b"abc", 479470107),
    ],
)
def test_murmur2_matches_kafka_java_vectors(key: bytes, expected: int) -> None:
    """murmur2 returns the signed 32-bit value Kafka's Utils.murmur2 returns."""
    assert murmur2(key) == expected


@pytest.mark.parametrize(
    ("key", "partition"),
    [(b"", 681), (b"a", 524), (b"ab", 434), (b"abc", 107), (b"123456789", 566), (b"\x00 ", 742)],
)
def test_key_partition_matches_the_java_partitioner(key: bytes, partition: int) -> None:
    """toPositive(murmur2(key)) % 1000 gives the Java DefaultPartitioner's partition."""
    assert key_partition(key, 1000) == partition


def test_key_partition_matches_librdkafka_murmur2_partitioner() -> None:
    """librdkafka's Java-compatible murmur2 partitioner puts every key where ours does."""
    producer = Producer({"test.mock.num.brokers": 1, "partitioner": "murmur2",
                         "log_level": 3})  # fmt: skip
    delivered: dict[bytes, int] = {}

    def on_delivery(err: object, msg: object) -> None:
        assert err is None
        delivered[msg.key()] = msg.partition()  # type: ignore[attr-defined]

    keys = [f"user-{i}@example.com".encode() for i in range(64)] + [b"\x00\xff\x80", b"k"]
    for key in keys:
        producer.produce("partitioning", value=b"v", key=key, on_delivery=on_delivery)
    assert producer.flush(30) == 0
    partitions = len(producer.list_topics("partitioning", timeout=10).topics["partitioning"]
                     .partitions)
    assert partitions > 1
    assert delivered == {k: key_partition(k, partitions) for k in keys}
