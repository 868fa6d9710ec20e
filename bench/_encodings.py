"""The benchmark's log lines as OTLP records: one log record per Kafka record.

Each line becomes the body of one log record with trace context, a severity and three
attributes (one of them an email), under a resource with a service name, in the
encoding the collector's Kafka exporter writes (``otlp_proto`` or ``otlp_json``).
"""

from __future__ import annotations

import json

from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue

__all__ = ["ENCODINGS", "encode_lines"]

ENCODINGS = ("json", "otlp_proto", "otlp_json")


def encode_lines(lines: list[bytes], encoding: str) -> list[bytes]:
    """``lines`` as records of ``encoding`` (``json``: the lines as they are)."""
    if encoding == "json":
        return lines
    return [_request(i, line, encoding) for i, line in enumerate(lines)]


def _request(i: int, line: bytes, encoding: str) -> bytes:
    req = ExportLogsServiceRequest()
    rl = req.resource_logs.add()
    rl.resource.attributes.append(
        KeyValue(key="service.name", value=AnyValue(string_value=f"svc-{i % 16}")))
    sl = rl.scope_logs.add()
    sl.scope.name = "bench"
    lr = sl.log_records.add()
    lr.time_unix_nano = 1_700_000_000_000_000_000 + i
    lr.severity_number = 9
    lr.trace_id = i.to_bytes(16, "big")
    lr.span_id = (i + 1).to_bytes(8, "big")
    lr.body.string_value = line.decode("utf-8", "replace")
    lr.attributes.extend([
        KeyValue(key="user.email", value=AnyValue(string_value=f"user{i}@example.com")),
        KeyValue(key="http.status_code", value=AnyValue(int_value=200 + i % 5)),
        KeyValue(key="k8s.pod.name", value=AnyValue(string_value=f"worker-{i % 7}")),
    ])
    if encoding == "otlp_proto":
        return req.SerializeToString()
    from google.protobuf import json_format

    doc = json_format.MessageToDict(req, use_integers_for_enums=True)
    record = doc["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0]
    record["traceId"], record["spanId"] = lr.trace_id.hex(), lr.span_id.hex()
    return json.dumps(doc).encode()
