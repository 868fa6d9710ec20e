"""The stream's batch step with the format-aware scrubber: pins, findings and quarantine."""

from __future__ import annotations

import json

import pytest
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest

from processor.errors import ConfigError
from processor.formats.factory import build_format_scrubber
from processor.pipeline import Scrubber
from processor.settings import FormatSettings, load_settings
from processor.stream.batch import transform_batch
from tests.unit.stream.fakes import FakeMessage

from .otlp_builders import request


def test_pinned_and_detected_topics_in_one_batch(scrubber: Scrubber) -> None:
    """OTLP on a pinned topic, OTLP detected elsewhere and a JSON line share one batch."""
    fs = build_format_scrubber(scrubber, FormatSettings(topics={"otel.raw": "otlp_proto"}))
    otlp = request("mail bob@example.com").SerializeToString()
    msgs = [
        FakeMessage(otlp, _topic="otel.raw", _offset=0),
        FakeMessage(b"garbage", _topic="otel.raw", _offset=1),
        FakeMessage(otlp, _topic="logs.raw", _offset=2),
        FakeMessage(b'{"password": "pw"}', _topic="logs.raw", _offset=3),
    ]
    out = transform_batch(msgs, fs, output_topic="clean", quarantine_topic="q",
                          output_partitions=1)
    clean = [r for r in out.records if r.topic == "clean"]
    quarantine = [r for r in out.records if r.topic == "q"]
    for rec in (clean[0], clean[2]):
        body = ExportLogsServiceRequest.FromString(rec.value or b"")
        lr = body.resource_logs[0].scope_logs[0].log_records[0]
        assert lr.body.string_value == "mail [MASKED-EMAIL]"
        assert dict(rec.headers or [])["scrub.findings"] == b"EMAIL=1"
    assert clean[1].value == b"[MASKED-RECORD]"
    assert json.loads(clean[3].value or b"") == {"password": "[MASKED-PASSWORD]"}
    assert len(quarantine) == 1
    entry = json.loads(quarantine[0].value or b"")
    assert (entry["reason"], entry["source"]["offset"]) == ("undecodable", 1)
    assert out.quarantined == {("otel.raw", "undecodable"): 1}
    assert out.findings["otel.raw"][("email-address", "EMAIL")] == 1


def test_a_topic_pinned_to_avro_needs_a_registry() -> None:
    """Pinning a topic to avro without a schema registry refuses to start."""
    with pytest.raises(ConfigError, match="schema_registry_url"):
        load_settings(overrides={"formats": {"topics": {"t": "avro"}}}, environ={})


def test_topic_pins_come_from_the_environment() -> None:
    """LOGSCRUB_FORMATS__TOPICS takes a YAML mapping of topic to encoding."""
    s = load_settings(environ={"LOGSCRUB_FORMATS__TOPICS": "{otel.raw: otlp_json}"})
    assert s.formats.topics == {"otel.raw": "otlp_json"}


def test_a_registry_url_with_credentials_is_refused() -> None:
    """User info in the registry URL would be printed by config check, so it is refused."""
    with pytest.raises(ConfigError, match="schema_registry_url"):
        load_settings(overrides={"formats": {"schema_registry_url": "http://u:pw@reg:8081"}},
                      environ={})
    ok = load_settings(overrides={"formats": {"schema_registry_url": "http://reg:8081/api"}},
                       environ={})
    assert ok.formats.schema_registry_url == "http://reg:8081/api"
