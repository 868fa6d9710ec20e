"""Record keys on the real broker: masked like values, partitioned by the raw key."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from processor.stream.partitioning import key_partition

pytestmark = pytest.mark.integration


def test_keys_are_masked_and_partitioned_by_the_raw_key(topics_factory, start_processor, kafka):
    """Same raw key gives the same output partition (murmur2 of the raw key) and order per key."""
    n_keys, per_key, clean_partitions = 12, 8, 5
    topics = topics_factory(raw_partitions=3, clean_partitions=clean_partitions)
    keys = [f"customer{k}@example.com".encode() for k in range(n_keys)]
    records = [
        (keys[i % n_keys], json.dumps({"id": i, "seq": i // n_keys}).encode(), None)
        for i in range(n_keys * per_key)
    ]
    kafka.produce(topics.raw, records)

    proc = start_processor(topics, workers=1)
    assert proc.wait(timeout=120) == 0, proc.log()

    out = kafka.read(topics.clean, expect=len(records), settle=2)
    assert len(out) == len(records)
    partitions: dict[bytes, set[int]] = defaultdict(set)
    last_seq: dict[bytes, int] = defaultdict(lambda: -1)
    for msg in sorted(out, key=lambda m: (m.partition(), m.offset())):
        assert msg.key() == b"[MASKED-EMAIL]"
        raw_key = keys[kafka.json_value(msg)["id"] % n_keys]
        assert msg.partition() == key_partition(raw_key, clean_partitions)
        partitions[raw_key].add(msg.partition())
        seq = kafka.json_value(msg)["seq"]
        assert seq > last_seq[raw_key], "order within a key was broken"
        last_seq[raw_key] = seq
        assert kafka.header(msg, "scrub.status") == "ok"
        assert "EMAIL=1" in (kafka.header(msg, "scrub.findings") or "")
    assert all(len(p) == 1 for p in partitions.values())
    assert len(set().union(*partitions.values())) > 1  # the keys did spread
    for key in keys:
        assert key.decode() not in proc.log()
