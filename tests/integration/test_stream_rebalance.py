"""Two processes in one group rebalance while records flow: no loss, no duplicates."""

from __future__ import annotations

import threading
import time
from collections import defaultdict

import pytest

pytestmark = pytest.mark.integration


def test_two_processes_rebalancing_lose_and_duplicate_nothing(topics_factory, start_processor,
                                                               kafka, make_secret_records):
    """A second member joins, then the first leaves on SIGTERM, while records keep flowing."""
    n, chunks = 8000, 16
    topics = topics_factory(raw_partitions=4, clean_partitions=4)
    records = [(r.key, r.value, r.headers) for r in make_secret_records(n)]
    step = n // chunks

    def feed() -> None:
        for c in range(chunks):
            kafka.produce(topics.raw, records[c * step : (c + 1) * step])
            time.sleep(0.6)

    env = {"LOGSCRUB_KAFKA__BATCH_SIZE": "200"}
    first = start_processor(topics, instance="a", exit_when_idle=None, env=env)
    feeder = threading.Thread(target=feed)
    feeder.start()
    time.sleep(3)
    second = start_processor(topics, instance="b", exit_when_idle=8, env=env)
    time.sleep(4)
    first.terminate()  # commits its transaction in flight, leaves the group
    assert first.wait(timeout=60) == 0, first.log()
    feeder.join(timeout=120)
    assert second.wait(timeout=120) == 0, second.log()

    out = kafka.read(topics.clean, expect=n, settle=3)
    sources = [kafka.header(m, "scrub.source") for m in out]
    assert len(sources) == n
    assert len(set(sources)) == n
    assert sorted(kafka.json_value(m)["id"] for m in out) == list(range(n))
    last_seq: dict[bytes | None, int] = defaultdict(lambda: -1)
    for msg in sorted(out, key=lambda m: (m.partition(), m.offset())):
        seq = kafka.json_value(msg)["seq"]
        assert seq > last_seq[msg.key()], "order within a key was broken"
        last_seq[msg.key()] = seq
