"""Restart the broker mid-stream: the processor recovers and every record arrives once."""

from __future__ import annotations

import os
import threading
import time

import pytest
from kafka_broker import local_broker_running, restart_local_broker

pytestmark = pytest.mark.integration


def test_broker_restart_mid_stream_recovers_exactly_once(topics_factory, start_processor, kafka,
                                                         make_secret_records):
    """Records produced before, during and after a broker restart all arrive exactly once."""
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS") and not local_broker_running():
        pytest.skip(
            "KAFKA_BOOTSTRAP_SERVERS points at an external broker, which the tests cannot restart"
        )
    n = 6000
    topics = topics_factory(raw_partitions=3, clean_partitions=3)
    records = [(r.key, r.value, r.headers) for r in make_secret_records(n)]
    kafka.produce(topics.raw, records[: n // 3])
    proc = start_processor(
        topics, workers=1, exit_when_idle=None, env={"LOGSCRUB_KAFKA__BATCH_SIZE": "100"}
    )

    # Keep producing (idempotently: the test producer adds no duplicates) while restarting.
    feeder = threading.Thread(target=kafka.produce, args=(topics.raw, records[n // 3 : 2 * n // 3]))
    time.sleep(2)
    feeder.start()
    restart_local_broker()
    feeder.join(timeout=120)
    assert not feeder.is_alive()
    kafka.produce(topics.raw, records[2 * n // 3 :])

    out = kafka.read(topics.clean, expect=n, settle=3, timeout=180)
    proc.terminate()
    assert proc.wait(timeout=60) == 0, proc.log()
    sources = [kafka.header(m, "scrub.source") for m in out]
    assert len(sources) == n, proc.log()[-4000:]
    assert len(set(sources)) == n
    assert sorted(kafka.json_value(m)["id"] for m in out) == list(range(n))
