"""The OTLP/JSON fast path gives exactly what the generic protobuf JSON mapping gives."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from google.protobuf import json_format
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest

from processor.formats.otlp_json import fast_dump, fast_load

from .otlp_builders import request


def _generic_dump(req: ExportLogsServiceRequest) -> dict[str, Any]:
    doc = json_format.MessageToDict(req, use_integers_for_enums=True)
    for rl in doc.get("resourceLogs", []):
        for sl in rl.get("scopeLogs", []):
            for lr in sl.get("logRecords", []):
                for key in ("traceId", "spanId"):
                    if key in lr:
                        lr[key] = base64.b64decode(lr[key]).hex()
    return doc


def _requests() -> list[ExportLogsServiceRequest]:
    full = request(
        {"s": "x", "i": -7, "d": 2.5, "b": True, "f": False, "raw": b"\x00\xff", "none": None,
         "nested": {"list": [1, "two", [], {}], "empty": {}}},
        {"user.email": "a@b.io", "n": 0, "zero": 0.0, "bytes": b""},
        resource={"service.name": "svc"}, scope={"k": "v"})
    lr = full.resource_logs[0].scope_logs[0].log_records[0]
    lr.event_name = "order.created"
    lr.dropped_attributes_count = 3
    full.resource_logs[0].schema_url = "https://opentelemetry.io/schemas/1.30.0"
    bare = ExportLogsServiceRequest()
    bare.resource_logs.add().scope_logs.add().log_records.add()
    return [full, request(None), request("plain"), bare, ExportLogsServiceRequest()]


@pytest.mark.parametrize("index", range(5))
def test_fast_dump_and_load_match_the_generic_mapping(index: int) -> None:
    """Dumping and loading agree with json_format (plus hex ids) on every value kind."""
    req = _requests()[index]
    generic = _generic_dump(req)
    assert fast_dump(req) == generic
    loaded = fast_load(json.loads(json.dumps(generic)))
    assert loaded is not None and loaded == req


@pytest.mark.parametrize("doc", [
    {"resource_logs": []},
    {"resourceLogs": [{"scopeLogs": [{"logRecords": [{"severityNumber": "WARN"}]}]}]},
    {"resourceLogs": [{"scopeLogs": [{"logRecords": [{"unknown": 1}]}]}]},
    {"resourceLogs": [{"scopeLogs": [{"logRecords": [{"body": {"doubleValue": "NaN"}}]}]}]},
    {"resourceLogs": [{"scopeLogs": [{"logRecords": [{"traceId": "zz"}]}]}]},
    {"resourceLogs": "x"},
])
def test_fast_load_hands_anything_unusual_to_the_generic_path(doc: dict[str, Any]) -> None:
    """Snake case, enum names, unknown fields, odd doubles and bad ids are not guessed at."""
    assert fast_load(doc) is None
