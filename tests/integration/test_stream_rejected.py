"""A record the clean topic refuses is quarantined after a bounded number of retries."""

from __future__ import annotations

import json
import random
import string

import pytest

pytestmark = pytest.mark.integration


def test_record_over_clean_topic_limit_is_quarantined_and_the_rest_arrive(
    topics_factory, start_processor, kafka
):
    """The oversized record becomes a 'rejected' stand-in; all others arrive; no endless loop."""
    topics = topics_factory(raw_partitions=1, clean_partitions=2,
                            clean_config={"max.message.bytes": "8192"})
    rng = random.Random(6)
    # Random letters: lz4 cannot squeeze them under the clean topic's 8 KiB limit.
    big = " ".join(
        "".join(rng.choice(string.ascii_lowercase) for _ in range(7)) for _ in range(6000)
    ).encode()
    good = [(f"k{i}".encode(), json.dumps({"msg": "fine", "i": i}).encode(), None)
            for i in range(10)]
    kafka.produce(topics.raw, [*good[:4], (b"k-big", big, [("h", b"x")]), *good[4:]])

    proc = start_processor(topics, env={"LOGSCRUB_KAFKA__MAX_TRANSACTION_RETRIES": "2"})
    assert proc.wait(timeout=180) == 0, proc.log()

    clean = kafka.read(topics.clean, expect=11, settle=2)
    assert len(clean) == 11
    by_offset = {int((kafka.header(m, "scrub.source") or "").rsplit("/", 1)[1]): m for m in clean}
    assert sorted(by_offset) == list(range(11))
    stand_in = by_offset[4]
    assert stand_in.value() == b"[MASKED-RECORD]" and stand_in.key() == b"[MASKED-RECORD]"
    assert kafka.header(stand_in, "scrub.status") == "rejected"
    assert kafka.header(stand_in, "h") is None
    for offset in (0, 1, 2, 3, 5, 6, 7, 8, 9, 10):
        assert kafka.json_value(by_offset[offset])["msg"] == "fine"
        assert kafka.header(by_offset[offset], "scrub.status") == "ok"

    quarantine = kafka.read(topics.quarantine, expect=1, settle=1)
    assert len(quarantine) == 1
    entry = json.loads(quarantine[0].value() or b"")
    assert entry["reason"] == "rejected"
    assert entry["source"] == {"topic": topics.raw, "partition": 0, "offset": 4}
    assert entry["size_bytes"] == len(big)
    assert big[:40].decode() not in proc.log()
