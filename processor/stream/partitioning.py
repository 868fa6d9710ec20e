"""The output partition of a clean record, chosen from the RAW key as Java clients do.

Clean records carry a scrubbed key, so the producer cannot hash the key it sends: two
records of one customer whose key masks to ``[MASKED-EMAIL]`` would hash alike as every
other customer's, and a pseudonymised key would hash elsewhere than the raw one. logscrub
therefore picks the partition itself, from the raw key, with the murmur2 hash of Kafka's
Java ``DefaultPartitioner`` (``Utils.toPositive(Utils.murmur2(key)) % partitions``), so a
key lands on the partition any Java, Kafka Streams or librdkafka ``murmur2`` producer
would choose for it, and order per key is kept.

kafka-python ships the same hash, but depending on a second Kafka client for twenty lines
of arithmetic is not worth it; the unit tests pin this one to Kafka's own test vectors and
to librdkafka's ``murmur2`` partitioner.
"""

from __future__ import annotations

__all__ = ["key_partition", "murmur2"]

_MASK = 0xFFFFFFFF
_SEED = 0x9747B28C
_M = 0x5BD1E995


def murmur2(data: bytes) -> int:
    """``org.apache.kafka.common.utils.Utils.murmur2(data)``: a signed 32-bit int."""
    length = len(data)
    h = (_SEED ^ length) & _MASK
    body = length & ~3
    for i in range(0, body, 4):
        k = int.from_bytes(data[i : i + 4], "little")
        k = (k * _M) & _MASK
        k ^= k >> 24
        k = (k * _M) & _MASK
        h = ((h * _M) & _MASK) ^ k
    tail = length & 3
    if tail == 3:
        h ^= data[body + 2] << 16
    if tail >= 2:
        h ^= data[body + 1] << 8
    if tail >= 1:
        h ^= data[body]
        h = (h * _M) & _MASK
    h ^= h >> 13
    h = (h * _M) & _MASK
    h ^= h >> 15
    return h - (1 << 32) if h & 0x80000000 else h


def key_partition(key: bytes, partitions: int) -> int:
    """The partition of ``key`` among ``partitions``: positive murmur2 modulo the count."""
    return (murmur2(key) & 0x7FFFFFFF) % partitions
