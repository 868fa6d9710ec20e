"""A consumed batch turned into clean and quarantine records, without Kafka."""

from __future__ import annotations

import json

from processor.stream.batch import transform_batch

from .fakes import FakeMessage, ScriptedScrubber


def _run(messages, scrubber=None, **kw):  # type: ignore[no-untyped-def]
    kw.setdefault("output_partitions", 4)
    return transform_batch(
        messages, scrubber or ScriptedScrubber(), output_topic="clean",
        quarantine_topic="quar", **kw,
    )  # fmt: skip


def test_clean_record_keeps_key_timestamp_and_gains_scrub_headers() -> None:
    """Key and timestamp are kept; scrub.source/ruleset/findings are added."""
    msg = FakeMessage(b"a SECRET and SECRET", _key=b"user-1", _offset=41, _partition=2,
                      _headers=[("trace", b"SECRET here")])
    out = _run([msg])
    (rec,) = out.records
    assert rec.topic == "clean" and rec.key == b"user-1" and rec.partition is None
    assert rec.timestamp == 1_700_000_000_000
    assert rec.value == b"a [MASKED-TOKEN] and [MASKED-TOKEN]"
    headers = dict(rec.headers or [])
    assert headers["trace"] == b"[MASKED-TOKEN] here"
    assert headers["scrub.source"] == b"logs.raw/2/41"
    assert headers["scrub.ruleset"] == b"abc123"
    assert headers["scrub.findings"] == b"TOKEN=3"
    assert out.next_offsets == {("logs.raw", 2): 42}
    assert out.first_offsets == {("logs.raw", 2): 41}


def test_forged_scrub_headers_are_replaced() -> None:
    """Incoming scrub.* headers cannot forge a clean record's provenance."""
    msg = FakeMessage(b"x", _headers=[("scrub.source", b"fake/0/0"), ("scrub.findings", b"")])
    headers = _run([msg]).records[0].headers or []
    assert [k for k, _ in headers].count("scrub.source") == 1
    assert dict(headers)["scrub.source"] == b"logs.raw/0/0"


def test_undecodable_header_value_is_masked_whole() -> None:
    """A header value that is not UTF-8 is replaced by the fallback token."""
    msg = FakeMessage(b"x", _headers=[("h", b"\xff\xfeSECRET")])
    assert dict(_run([msg]).records[0].headers or [])["h"] == b"[MASKED-RECORD]"


def test_unkeyed_records_keep_their_partition_modulo_output() -> None:
    """An unkeyed record goes to its source partition number modulo the output partitions."""
    out = _run([FakeMessage(b"x", _key=None, _partition=6)], output_partitions=4)
    assert out.records[0].partition == 2


def test_fallback_record_is_quarantined_without_raw_value_key_or_headers() -> None:
    """The quarantine entry has reason, coordinates and size, and never the raw bytes."""
    raw = b"\xff password=hunter2 jane@example.com"
    scrubber = ScriptedScrubber(reasons={raw: "undecodable"})
    msg = FakeMessage(raw, _key=b"jane@example.com", _offset=7, _headers=[("h", b"hunter2")])
    out = _run([msg], scrubber)
    clean = [r for r in out.records if r.topic == "clean"]
    quarantine = [r for r in out.records if r.topic == "quar"]
    assert len(clean) == 1 and len(quarantine) == 1
    assert clean[0].value == b"[MASKED-RECORD]"
    q = quarantine[0]
    assert q.key is None
    blob = (q.value or b"") + b"".join(v or b"" for _k, v in q.headers or [])
    for fragment in (b"hunter2", b"jane@example.com", b"\xff"):
        assert fragment not in blob
    entry = json.loads(q.value or b"")
    assert entry["reason"] == "undecodable"
    assert entry["source"] == {"topic": "logs.raw", "partition": 0, "offset": 7}
    assert entry["size_bytes"] == len(raw)
    assert out.quarantined == {("logs.raw", "undecodable"): 1}


def test_output_larger_than_the_producer_allows_falls_back() -> None:
    """A scrubbed value over max_value_bytes becomes the fallback and is quarantined oversized."""
    out = _run([FakeMessage(b"y" * 5000)], max_value_bytes=1024)
    values = {r.topic: r.value for r in out.records}
    assert values["clean"] == b"[MASKED-RECORD]"
    assert json.loads(values["quar"] or b"")["reason"] == "oversized"


def test_tombstone_stays_a_tombstone() -> None:
    """A record without a value is passed on as a tombstone with the scrub headers."""
    out = _run([FakeMessage(None, _key=b"k")])
    (rec,) = out.records
    assert rec.value is None and rec.key == b"k"
    assert dict(rec.headers or [])["scrub.findings"] == b""


def test_real_engine_batch_masks_secrets(scrubber) -> None:  # type: ignore[no-untyped-def]
    """With the bundled rules, the clean records and their headers hold no injected secret."""
    secrets = [b"jane.doe@example.com", b"4111 1111 1111 1111"]
    msgs = [
        FakeMessage(b'{"msg":"by jane.doe@example.com","card":"4111 1111 1111 1111"}', _offset=0),
        FakeMessage(b"user=jane.doe@example.com status=ok", _offset=1,
                    _headers=[("who", b"jane.doe@example.com")]),
    ]
    out = _run(msgs, scrubber)
    assert len(out.records) == 2
    for rec in out.records:
        blob = (rec.value or b"") + b"".join(v or b"" for _k, v in rec.headers or [])
        assert not any(s in blob for s in secrets)
    assert json.loads(out.records[0].value or b"")["card"].startswith("[MASKED-")
