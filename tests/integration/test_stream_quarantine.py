"""Undecodable and oversized records: quarantine entry plus a masked fallback on the clean topic."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.integration

MARKER = b"hunter2-QUARANTINE-MARKER"


def test_undecodable_and_oversized_records_are_quarantined(topics_factory, start_processor, kafka):
    """Each bad record gives a quarantine entry without raw bytes and a fallback clean record."""
    topics = topics_factory(raw_partitions=1, clean_partitions=1)
    good = [(b"ok", json.dumps({"msg": "fine", "i": i}).encode(), None) for i in range(5)]
    undecodable = b"\xff\xfe password=" + MARKER + b" \xc3\x28 jane@example.com"
    oversized = b"password=" + MARKER + b" " + b"x" * 4000
    bad = [
        (b"key-" + MARKER, undecodable, [("h", b"password=" + MARKER)]),
        (b"key-" + MARKER, oversized, None),
    ]
    kafka.produce(topics.raw, [good[0], bad[0], *good[1:3], bad[1], *good[3:]])

    proc = start_processor(topics, env={"LOGSCRUB_SCRUB__MAX_RECORD_BYTES": "2048"})
    assert proc.wait(timeout=120) == 0, proc.log()

    clean = kafka.read(topics.clean, expect=7, settle=2)
    assert len(clean) == 7
    quarantine = kafka.read(topics.quarantine, expect=2, settle=1)
    assert len(quarantine) == 2

    entries = {json.loads(m.value() or b"")["reason"]: m for m in quarantine}
    assert set(entries) == {"undecodable", "oversized"}
    for reason, msg in entries.items():
        raw = msg.value() or b""
        assert MARKER not in raw and b"jane@example.com" not in raw
        assert msg.key() is None
        entry = json.loads(raw)
        assert entry["source"]["topic"] == topics.raw
        assert entry["source"]["partition"] == 0
        expected_size = len(undecodable) if reason == "undecodable" else len(oversized)
        assert entry["size_bytes"] == expected_size
        assert isinstance(entry["timestamp_ms"], int)
        assert not any(MARKER in (v or b"") for _k, v in msg.headers() or [])

    by_offset = {int((kafka.header(m, "scrub.source") or "").rsplit("/", 1)[1]): m for m in clean}
    for offset, reason in ((1, "undecodable"), (4, "oversized")):  # the bad records
        msg = by_offset[offset]
        assert kafka.header(msg, "scrub.status") == reason
        assert MARKER not in (msg.value() or b"")
        assert b"[MASKED-" in (msg.value() or b"")
        assert not any(MARKER in (v or b"") for _k, v in msg.headers() or [])
    for offset in (0, 2, 3, 5, 6):
        assert kafka.json_value(by_offset[offset])["msg"] == "fine"
        assert kafka.header(by_offset[offset], "scrub.status") == "ok"
    assert log_has_no(MARKER, proc.log())


def log_has_no(secret: bytes, log: str) -> bool:
    """True when the processor's log does not contain ``secret``."""
    return secret.decode() not in log
