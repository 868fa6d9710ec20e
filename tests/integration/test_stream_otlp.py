"""OTLP logs end to end on the real broker: SDK-encoded records in, masked OTLP out."""

from __future__ import annotations

import json

import pytest
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from otlp_producer import otlp_batches, to_otlp_json

pytestmark = pytest.mark.integration


def _records(req: ExportLogsServiceRequest) -> list:  # type: ignore[type-arg]
    return [lr for rl in req.resource_logs for sl in rl.scope_logs for lr in sl.log_records]


def _by_offset(kafka, msgs) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return {int((kafka.header(m, "scrub.source") or "").rsplit("/", 1)[1]): m for m in msgs}


def test_pinned_otlp_proto_topic_is_masked_with_trace_context_intact(
    topics_factory, start_processor, kafka
):
    """Every OTLP record comes back as parseable OTLP with secrets masked and ids unchanged."""
    topics = topics_factory(raw_partitions=1, clean_partitions=1)
    batches = otlp_batches(6)
    garbage = b"\n\xff not otlp customer-x@example.com"
    values = [b.request.SerializeToString() for b in batches]
    kafka.produce(topics.raw, [(None, v, None) for v in values[:3]] + [(None, garbage, None)]
                  + [(None, v, None) for v in values[3:]])

    pin = json.dumps({topics.raw: "otlp_proto"})
    proc = start_processor(topics, env={"LOGSCRUB_FORMATS__TOPICS": pin})
    assert proc.wait(timeout=120) == 0, proc.log()

    clean = _by_offset(kafka, kafka.read(topics.clean, expect=7, settle=2))
    assert sorted(clean) == list(range(7))
    offsets = [0, 1, 2, 4, 5, 6]
    for batch, offset in zip(batches, offsets, strict=True):
        raw = clean[offset].value() or b""
        for secret in batch.secrets:
            assert secret.encode() not in raw
        out = ExportLogsServiceRequest.FromString(raw)  # what a collector's receiver parses
        records = _records(out)
        assert tuple(r.trace_id for r in records) == batch.trace_ids
        assert tuple(r.span_id for r in records) == batch.span_ids
        src = _records(batch.request)
        assert [r.time_unix_nano for r in records] == [r.time_unix_nano for r in src]
        assert [r.severity_number for r in records] == [17] * len(src)
        attrs = {kv.key: kv.value.string_value for kv in records[0].attributes}
        assert attrs["user.email"] == "[MASKED-EMAIL]"
        assert attrs["db.password"] == "[MASKED-PASSWORD]"
        assert attrs["workflow.id"] == src[0].attributes[3].value.string_value
        findings = kafka.header(clean[offset], "scrub.findings") or ""
        assert "EMAIL=" in findings and "PASSWORD=" in findings
    assert clean[3].value() == b"[MASKED-RECORD]"

    quarantine = kafka.read(topics.quarantine, expect=1, settle=1)
    assert [json.loads(m.value() or b"")["reason"] for m in quarantine] == ["undecodable"]
    assert b"customer-x@example.com" not in (quarantine[0].value() or b"")
    assert "customer0@example.com" not in proc.log()


def test_otlp_json_is_detected_without_a_pin(topics_factory, start_processor, kafka):
    """OTLP/JSON records on an unpinned topic are recognised and stay OTLP/JSON."""
    topics = topics_factory(raw_partitions=1, clean_partitions=1)
    batches = otlp_batches(3)
    plain = json.dumps({"msg": "login", "password": "pw-123456"}).encode()
    kafka.produce(topics.raw, [(None, to_otlp_json(b.request), None) for b in batches]
                  + [(None, plain, None)])

    proc = start_processor(topics)
    assert proc.wait(timeout=120) == 0, proc.log()

    clean = _by_offset(kafka, kafka.read(topics.clean, expect=4, settle=2))
    for offset, batch in enumerate(batches):
        raw = clean[offset].value() or b""
        for secret in batch.secrets:
            assert secret.encode() not in raw
        doc = json.loads(raw)
        records = doc["resourceLogs"][0]["scopeLogs"][0]["logRecords"]
        assert [r["traceId"] for r in records] == [t.hex() for t in batch.trace_ids]
        assert [r["spanId"] for r in records] == [s.hex() for s in batch.span_ids]
        body = {kv["key"]: kv["value"] for kv in records[0]["body"]["kvlistValue"]["values"]}
        assert body["event"] == {"stringValue": "charge.failed"}
    assert json.loads(clean[3].value() or b"") == {"msg": "login", "password": "[MASKED-PASSWORD]"}
