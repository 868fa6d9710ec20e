"""A consumed batch turned into clean and quarantine records by the real engine, without Kafka."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from processor.pipeline import Scrubber
from processor.settings import BUNDLED_RULES
from processor.stream.batch import BatchOutput, rejected_batch, transform_batch
from processor.stream.partitioning import key_partition

from .fakes import FakeMessage

EMAIL = b"jane.doe@example.com"
CARD = b"4111 1111 1111 1111"


@pytest.fixture
def run(scrubber: Scrubber) -> Callable[..., BatchOutput]:
    """transform_batch with the bundled rules (no NER), 4 output partitions."""

    def _run(messages: list[FakeMessage], engine: Scrubber | None = None,
             **kw: Any) -> BatchOutput:
        kw.setdefault("output_partitions", 4)
        return transform_batch(messages, engine or scrubber, output_topic="clean",
                               quarantine_topic="quar", **kw)

    return _run


def _headers(rec: Any) -> dict[str, bytes | None]:
    return dict(rec.headers or [])


def _blob(rec: Any) -> bytes:
    return (rec.key or b"") + (rec.value or b"") + b"".join(v or b"" for _k, v in rec.headers or [])


def test_clean_record_masks_key_keeps_timestamp_and_gains_scrub_headers(run, scrubber) -> None:
    """The key is scrubbed like the value; timestamp kept; scrub.* headers added."""
    msg = FakeMessage(b"login by " + EMAIL, _key=EMAIL, _offset=41, _partition=2,
                      _headers=[("trace", b"contact " + EMAIL)])
    out = run([msg])
    (rec,) = out.records
    assert rec.topic == "clean" and rec.key == b"[MASKED-EMAIL]"
    assert rec.timestamp == 1_700_000_000_000
    assert rec.value == b"login by [MASKED-EMAIL]"
    headers = _headers(rec)
    assert headers["trace"] == b"contact [MASKED-EMAIL]"
    assert headers["scrub.source"] == b"logs.raw/2/41"
    assert headers["scrub.ruleset"] == scrubber.ruleset_version.encode()
    assert headers["scrub.findings"] == b"EMAIL=3"
    assert headers["scrub.status"] == b"ok"
    assert EMAIL not in _blob(rec)
    assert out.next_offsets == {("logs.raw", 2): 42}
    assert out.first_offsets == {("logs.raw", 2): 41}


def test_partition_follows_the_raw_key_not_the_masked_one(run) -> None:
    """Keys that mask alike still go to the partitions their raw keys hash to."""
    keys = [f"user{i}@example.com".encode() for i in range(40)]
    out = run([FakeMessage(b"x", _key=k, _offset=i) for i, k in enumerate(keys)],
              output_partitions=7)
    assert {r.key for r in out.records} == {b"[MASKED-EMAIL]"}
    assert [r.partition for r in out.records] == [key_partition(k, 7) for k in keys]
    assert len({r.partition for r in out.records}) > 1
    again = run([FakeMessage(b"y", _key=keys[3])], output_partitions=7)
    assert again.records[0].partition == out.records[3].partition


def test_json_key_is_scrubbed_like_a_json_value(run) -> None:
    """A JSON key keeps its structure and loses its secrets."""
    key = b'{"customer":"' + EMAIL + b'","password":"hunter2"}'
    (rec,) = run([FakeMessage(b"x", _key=key)]).records
    parsed = json.loads(rec.key or b"")
    assert set(parsed) == {"customer", "password"}
    assert b"hunter2" not in (rec.key or b"") and EMAIL not in (rec.key or b"")


def test_forged_scrub_headers_are_replaced(run) -> None:
    """Incoming scrub.* headers cannot forge a clean record's provenance or status."""
    msg = FakeMessage(b"x", _headers=[("scrub.source", b"fake/0/0"), ("scrub.findings", b""),
                                      ("scrub.status", b"ok")])
    headers = run([msg]).records[0].headers or []
    names = [k for k, _ in headers]
    assert names.count("scrub.source") == 1 and names.count("scrub.status") == 1
    assert dict(headers)["scrub.source"] == b"logs.raw/0/0"


def test_undecodable_header_value_is_masked_whole(run) -> None:
    """A header value that is not UTF-8 is replaced by the fallback token."""
    msg = FakeMessage(b"x", _headers=[("h", b"\xff\xfe" + EMAIL)])
    assert _headers(run([msg]).records[0])["h"] == b"[MASKED-RECORD]"


def test_unkeyed_records_keep_their_partition_modulo_output(run) -> None:
    """An unkeyed record goes to its source partition number modulo the output partitions."""
    out = run([FakeMessage(b"x", _key=None, _partition=6)], output_partitions=4)
    assert out.records[0].partition == 2 and out.records[0].key is None


def test_fallback_record_is_quarantined_without_raw_value_key_or_headers(run) -> None:
    """An undecodable value: masked whole, status names the reason, quarantine has no raw bytes."""
    raw = b"\xff password=hunter2 " + EMAIL
    msg = FakeMessage(raw, _key=EMAIL, _offset=7, _headers=[("h", b"password=hunter2")])
    out = run([msg])
    clean = [r for r in out.records if r.topic == "clean"]
    quarantine = [r for r in out.records if r.topic == "quar"]
    assert len(clean) == 1 and len(quarantine) == 1
    assert clean[0].value == b"[MASKED-RECORD]"
    assert _headers(clean[0])["scrub.status"] == b"undecodable"
    q = quarantine[0]
    assert q.key is None
    for fragment in (b"hunter2", EMAIL, b"\xff"):
        assert fragment not in _blob(q) and fragment not in _blob(clean[0])
    entry = json.loads(q.value or b"")
    assert entry["reason"] == "undecodable"
    assert entry["source"] == {"topic": "logs.raw", "partition": 0, "offset": 7}
    assert entry["size_bytes"] == len(raw)
    assert out.quarantined == {("logs.raw", "undecodable"): 1}


def test_undecodable_key_is_masked_whole_and_quarantined(run) -> None:
    """A key the engine cannot scrub becomes the fallback token; partition uses the raw key."""
    key = b"\xfe\xff" + EMAIL
    out = run([FakeMessage(b"fine " + EMAIL, _key=key)])
    clean = next(r for r in out.records if r.topic == "clean")
    assert clean.key == b"[MASKED-RECORD]" and clean.value == b"fine [MASKED-EMAIL]"
    assert clean.partition == key_partition(key, 4)
    assert _headers(clean)["scrub.status"] == b"key_undecodable"
    assert out.quarantined == {("logs.raw", "key_undecodable"): 1}


def test_oversized_record_falls_back_with_its_reason(run, scrubber_factory) -> None:
    """A record over scrub.max_record_bytes is masked whole, status and quarantine 'oversized'."""
    small = scrubber_factory(rules_dir=BUNDLED_RULES, max_record_bytes=64)
    out = run([FakeMessage(b"password=hunter2 " + b"y" * 100)], engine=small)
    values = {r.topic: r for r in out.records}
    assert values["clean"].value == b"[MASKED-RECORD]"
    assert _headers(values["clean"])["scrub.status"] == b"oversized"
    assert json.loads(values["quar"].value or b"")["reason"] == "oversized"


def test_output_larger_than_the_producer_allows_falls_back(run) -> None:
    """A scrubbed value over max_value_bytes becomes the fallback and is quarantined oversized."""
    out = run([FakeMessage(b"y" * 5000)], max_value_bytes=1024)
    values = {r.topic: r.value for r in out.records}
    assert values["clean"] == b"[MASKED-RECORD]"
    assert json.loads(values["quar"] or b"")["reason"] == "oversized"


def test_tombstone_stays_a_tombstone(run) -> None:
    """A record without a value is passed on as a tombstone with the scrub headers."""
    (rec,) = run([FakeMessage(None, _key=b"k")]).records
    assert rec.value is None and rec.key == b"k"
    assert _headers(rec)["scrub.findings"] == b"" and _headers(rec)["scrub.status"] == b"ok"


def test_real_engine_batch_masks_secrets(run) -> None:
    """With the bundled rules, the clean records, keys and headers hold no injected secret."""
    msgs = [
        FakeMessage(b'{"msg":"by ' + EMAIL + b'","card":"' + CARD + b'"}', _offset=0,
                    _key=CARD),
        FakeMessage(b"user=" + EMAIL + b" status=ok", _offset=1, _headers=[("who", EMAIL)]),
    ]
    out = run(msgs)
    assert len(out.records) == 2
    for rec in out.records:
        assert EMAIL not in _blob(rec) and CARD not in _blob(rec)
    assert json.loads(out.records[0].value or b"")["card"].startswith("[MASKED-")
    assert out.findings["logs.raw"][("email-address", "EMAIL")] >= 2


def test_rejected_record_becomes_a_masked_stand_in_and_a_quarantine_entry() -> None:
    """A record the broker refuses: fallback value and key, no input headers, reason 'rejected'."""
    msg = FakeMessage(b"password=hunter2 " + b"z" * 1000, _key=EMAIL, _offset=9,
                      _headers=[("h", b"hunter2")])
    out = rejected_batch(msg, "v1", output_topic="clean", quarantine_topic="quar",
                         output_partitions=4)
    by_topic = {r.topic: r for r in out.records}
    clean, quar = by_topic["clean"], by_topic["quar"]
    assert (clean.value, clean.key) == (b"[MASKED-RECORD]", b"[MASKED-RECORD]")
    assert clean.partition == key_partition(EMAIL, 4)
    assert [k for k, _ in clean.headers or []] == [
        "scrub.source", "scrub.ruleset", "scrub.findings", "scrub.status"]
    assert _headers(clean)["scrub.status"] == b"rejected"
    assert json.loads(quar.value or b"")["reason"] == "rejected"
    for rec in (clean, quar):
        assert b"hunter2" not in _blob(rec) and EMAIL not in _blob(rec)
    assert out.next_offsets == {("logs.raw", 0): 10}
    assert out.quarantined == {("logs.raw", "rejected"): 1}
