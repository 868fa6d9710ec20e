"""Small builders of OTLP logs requests for the format tests."""

from __future__ import annotations

from typing import Any

from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue
from opentelemetry.proto.logs.v1.logs_pb2 import LogRecord

TRACE_ID = bytes.fromhex("5b8efff798038103d269b633813fc60c")
SPAN_ID = bytes.fromhex("eee19b7ec3c1b174")
TIME_NS = 1_700_000_000_123_456_789


def any_value(value: Any) -> AnyValue:
    """An AnyValue from a Python value (dict -> kvlist, list -> array)."""
    if isinstance(value, bool):
        return AnyValue(bool_value=value)
    if isinstance(value, int):
        return AnyValue(int_value=value)
    if isinstance(value, float):
        return AnyValue(double_value=value)
    if isinstance(value, bytes):
        return AnyValue(bytes_value=value)
    if isinstance(value, dict):
        out = AnyValue()
        out.kvlist_value.values.extend(kv(k, v) for k, v in value.items())
        return out
    if isinstance(value, list):
        out = AnyValue()
        out.array_value.values.extend(any_value(v) for v in value)
        return out
    return AnyValue(string_value=value)


def kv(key: str, value: Any) -> KeyValue:
    """One attribute."""
    return KeyValue(key=key, value=any_value(value))


def request(
    body: Any,
    attributes: dict[str, Any] | None = None,
    resource: dict[str, Any] | None = None,
    scope: dict[str, Any] | None = None,
) -> ExportLogsServiceRequest:
    """A request with one resource, one scope and one log record carrying trace context."""
    req = ExportLogsServiceRequest()
    rl = req.resource_logs.add()
    rl.resource.attributes.extend(kv(k, v) for k, v in (resource or {}).items())
    sl = rl.scope_logs.add()
    sl.scope.name = "checkout.logger"
    sl.scope.version = "1.2.3"
    sl.scope.attributes.extend(kv(k, v) for k, v in (scope or {}).items())
    lr: LogRecord = sl.log_records.add()
    lr.time_unix_nano = TIME_NS
    lr.observed_time_unix_nano = TIME_NS + 1
    lr.severity_number = 17
    lr.severity_text = "ERROR"
    lr.trace_id = TRACE_ID
    lr.span_id = SPAN_ID
    lr.flags = 1
    if body is not None:
        lr.body.CopyFrom(any_value(body))
    lr.attributes.extend(kv(k, v) for k, v in (attributes or {}).items())
    return req


def plain(value: AnyValue) -> Any:
    """An AnyValue as a Python value again."""
    kind = value.WhichOneof("value")
    if kind == "kvlist_value":
        return {item.key: plain(item.value) for item in value.kvlist_value.values}
    if kind == "array_value":
        return [plain(v) for v in value.array_value.values]
    return getattr(value, kind) if kind else None


def attrs(kvs: Any) -> dict[str, Any]:
    """Attributes as a dict."""
    return {item.key: plain(item.value) for item in kvs}
