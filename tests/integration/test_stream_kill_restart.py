"""``kill -9`` mid-stream and a restart: a read_committed reader still sees every record once."""

from __future__ import annotations

import time
import uuid

import pytest
from confluent_kafka import Consumer

pytestmark = pytest.mark.integration


def _wait_first_committed(bootstrap: str, topic: str, timeout: float) -> None:
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"it-probe-{uuid.uuid4().hex[:8]}",
            "auto.offset.reset": "earliest",
            "isolation.level": "read_committed",
        }
    )
    consumer.subscribe([topic])
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            msg = consumer.poll(0.2)
            if msg is not None and msg.error() is None:
                return
    finally:
        consumer.close()
    pytest.fail(f"no committed output within {timeout} s")


def test_kill_9_mid_stream_then_restart_is_exactly_once(bootstrap, topics_factory,
                                                        start_processor, kafka,
                                                        make_secret_records):
    """After SIGKILL and a restart, each source offset appears exactly once on the clean topic."""
    n = 30_000
    topics = topics_factory(raw_partitions=3, clean_partitions=3)
    kafka.produce(topics.raw, [(r.key, r.value, r.headers) for r in make_secret_records(n)])
    small_batches = {"LOGSCRUB_KAFKA__BATCH_SIZE": "100"}

    first = start_processor(topics, workers=1, exit_when_idle=None, env=small_batches)
    _wait_first_committed(bootstrap, topics.clean, timeout=60)
    time.sleep(0.5)
    first.kill()
    assert first.proc.returncode != 0

    second = start_processor(topics, workers=1, exit_when_idle=5, env=small_batches)
    assert second.wait(timeout=180) == 0, second.log()

    out = kafka.read(topics.clean, expect=n, settle=2, timeout=90)
    sources = [kafka.header(m, "scrub.source") for m in out]
    assert len(sources) == n
    assert len(set(sources)) == n
    ids = sorted(kafka.json_value(m)["id"] for m in out)
    assert ids == list(range(n))
