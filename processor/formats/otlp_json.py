"""A fast path between OTLP/JSON documents and the ``opentelemetry-proto`` messages.

The generic protobuf JSON mapping (``json_format``) walks descriptors by reflection and
costs about a millisecond per record, more than scrubbing it. This module converts the
shape the collector writes (camelCase keys, hex ids, integer enums, 64-bit integers as
strings) directly. It is strict: anything else (snake_case keys, enum names, non-finite
doubles, unknown fields, wrong types) returns None, and the caller takes the generic
path, so both paths give the same message.
"""

from __future__ import annotations

import base64
import binascii
import math
from typing import Any

from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue

__all__ = ["fast_dump", "fast_load"]

_RECORD_INTS = {"timeUnixNano": "time_unix_nano",
                "observedTimeUnixNano": "observed_time_unix_nano",
                "droppedAttributesCount": "dropped_attributes_count", "flags": "flags",
                "severityNumber": "severity_number"}
_RECORD_STRS = {"severityText": "severity_text", "eventName": "event_name"}
_RECORD_KEYS = frozenset({*_RECORD_INTS, *_RECORD_STRS, "body", "attributes", "traceId",
                          "spanId"})


class _Bail(Exception):
    """The document is outside the fast path's shape."""


def fast_load(doc: dict[str, Any]) -> ExportLogsServiceRequest | None:
    """The message for an OTLP/JSON document with hex ids, or None to use json_format."""
    try:
        return _load(doc)
    except (_Bail, KeyError, TypeError, ValueError, OverflowError, binascii.Error):
        return None


def _load(doc: dict[str, Any]) -> ExportLogsServiceRequest:
    _only(doc, {"resourceLogs"})
    req = ExportLogsServiceRequest()
    for rl_doc in _list(doc.get("resourceLogs")):
        _only(rl_doc, {"resource", "scopeLogs", "schemaUrl"})
        rl = req.resource_logs.add()
        rl.schema_url = _str(rl_doc.get("schemaUrl", ""))
        if "resource" in rl_doc:
            res = _dict(rl_doc["resource"])
            _only(res, {"attributes", "droppedAttributesCount"})
            rl.resource.SetInParent()
            rl.resource.attributes.extend(_kvs(res.get("attributes")))
            rl.resource.dropped_attributes_count = _int(res.get("droppedAttributesCount", 0))
        for sl_doc in _list(rl_doc.get("scopeLogs")):
            _only(sl_doc, {"scope", "logRecords", "schemaUrl"})
            sl = rl.scope_logs.add()
            sl.schema_url = _str(sl_doc.get("schemaUrl", ""))
            if "scope" in sl_doc:
                scope = _dict(sl_doc["scope"])
                _only(scope, {"name", "version", "attributes", "droppedAttributesCount"})
                sl.scope.SetInParent()
                sl.scope.name = _str(scope.get("name", ""))
                sl.scope.version = _str(scope.get("version", ""))
                sl.scope.attributes.extend(_kvs(scope.get("attributes")))
                sl.scope.dropped_attributes_count = _int(scope.get("droppedAttributesCount", 0))
            for lr_doc in _list(sl_doc.get("logRecords")):
                _only(lr_doc, _RECORD_KEYS)
                lr = sl.log_records.add()
                for key, name in _RECORD_INTS.items():
                    if key in lr_doc:
                        setattr(lr, name, _int(lr_doc[key]))
                for key, name in _RECORD_STRS.items():
                    if key in lr_doc:
                        setattr(lr, name, _str(lr_doc[key]))
                lr.trace_id = bytes.fromhex(_str(lr_doc.get("traceId", "")))
                lr.span_id = bytes.fromhex(_str(lr_doc.get("spanId", "")))
                if "body" in lr_doc:
                    lr.body.CopyFrom(_any(lr_doc["body"]))
                lr.attributes.extend(_kvs(lr_doc.get("attributes")))
    return req


def _only(node: Any, keys: set[str] | frozenset[str]) -> None:
    if not isinstance(node, dict) or not set(node) <= keys:
        raise _Bail


def _dict(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Bail
    return value


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Bail
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise _Bail
    return value


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise _Bail
    if isinstance(value, str) and not value.lstrip("-").isdigit():
        raise _Bail
    return int(value)


def _kvs(value: Any) -> list[KeyValue]:
    out = []
    for item in _list(value):
        _only(item, {"key", "value"})
        kv = KeyValue(key=_str(item.get("key", "")))
        if "value" in item:
            kv.value.CopyFrom(_any(item["value"]))
        out.append(kv)
    return out


def _any(doc: Any) -> AnyValue:
    if not isinstance(doc, dict) or len(doc) > 1:
        raise _Bail
    if not doc:
        return AnyValue()
    ((kind, value),) = doc.items()
    if kind == "stringValue":
        return AnyValue(string_value=_str(value))
    if kind == "boolValue" and isinstance(value, bool):
        return AnyValue(bool_value=value)
    if kind == "intValue":
        return AnyValue(int_value=_int(value))
    if kind == "doubleValue" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return AnyValue(double_value=float(value))
    if kind == "bytesValue":
        return AnyValue(bytes_value=base64.b64decode(_str(value), validate=True))
    if kind in ("arrayValue", "kvlistValue"):
        inner = _dict(value)
        _only(inner, {"values"})
        out = AnyValue()
        if kind == "arrayValue":
            out.array_value.SetInParent()
            out.array_value.values.extend(_any(v) for v in _list(inner.get("values")))
        else:
            out.kvlist_value.SetInParent()
            out.kvlist_value.values.extend(_kvs(inner.get("values")))
        return out
    raise _Bail


# -- message -> document --------------------------------------------------------------------


def fast_dump(req: ExportLogsServiceRequest) -> dict[str, Any] | None:
    """The OTLP/JSON document (hex ids) as json_format would write it, or None to use it."""
    try:
        return _dump(req)
    except _Bail:
        return None


def _dump(req: ExportLogsServiceRequest) -> dict[str, Any]:
    if req.ListFields() and [f.name for f, _ in req.ListFields()] != ["resource_logs"]:
        raise _Bail
    rls = []
    for rl in req.resource_logs:
        rl_doc: dict[str, Any] = {}
        if rl.HasField("resource"):
            res: dict[str, Any] = {}
            _put(res, "attributes", [_kv(kv) for kv in rl.resource.attributes])
            _put(res, "droppedAttributesCount", rl.resource.dropped_attributes_count)
            if rl.resource.entity_refs:
                raise _Bail
            rl_doc["resource"] = res
        sls = []
        for sl in rl.scope_logs:
            sl_doc: dict[str, Any] = {}
            if sl.HasField("scope"):
                scope: dict[str, Any] = {}
                _put(scope, "name", sl.scope.name)
                _put(scope, "version", sl.scope.version)
                _put(scope, "attributes", [_kv(kv) for kv in sl.scope.attributes])
                _put(scope, "droppedAttributesCount", sl.scope.dropped_attributes_count)
                sl_doc["scope"] = scope
            _put(sl_doc, "logRecords", [_record(lr) for lr in sl.log_records])
            _put(sl_doc, "schemaUrl", sl.schema_url)
            sls.append(sl_doc)
        _put(rl_doc, "scopeLogs", sls)
        _put(rl_doc, "schemaUrl", rl.schema_url)
        rls.append(rl_doc)
    return {"resourceLogs": rls} if rls else {}


def _record(lr: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    _put(doc, "timeUnixNano", str(lr.time_unix_nano) if lr.time_unix_nano else "")
    _put(doc, "severityNumber", lr.severity_number)
    _put(doc, "severityText", lr.severity_text)
    if lr.HasField("body"):
        doc["body"] = _anyv(lr.body)
    _put(doc, "attributes", [_kv(kv) for kv in lr.attributes])
    _put(doc, "droppedAttributesCount", lr.dropped_attributes_count)
    _put(doc, "flags", lr.flags)
    _put(doc, "traceId", lr.trace_id.hex())
    _put(doc, "spanId", lr.span_id.hex())
    _put(doc, "observedTimeUnixNano",
         str(lr.observed_time_unix_nano) if lr.observed_time_unix_nano else "")
    _put(doc, "eventName", lr.event_name)
    return doc


def _put(doc: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key`` unless ``value`` is its type's default, which OTLP/JSON leaves out."""
    if value:
        doc[key] = value


def _kv(kv: KeyValue) -> dict[str, Any]:
    if kv.key_strindex:
        raise _Bail
    doc: dict[str, Any] = {}
    _put(doc, "key", kv.key)
    if kv.HasField("value"):
        doc["value"] = _anyv(kv.value)
    return doc


def _anyv(v: AnyValue) -> dict[str, Any]:
    kind = v.WhichOneof("value")
    if kind is None:
        return {}
    if kind == "string_value":
        return {"stringValue": v.string_value}
    if kind == "bool_value":
        return {"boolValue": v.bool_value}
    if kind == "int_value":
        return {"intValue": str(v.int_value)}
    if kind == "double_value":
        if not math.isfinite(v.double_value):
            raise _Bail
        return {"doubleValue": v.double_value}
    if kind == "bytes_value":
        return {"bytesValue": base64.b64encode(v.bytes_value).decode("ascii")}
    if kind == "array_value":
        values = [_anyv(x) for x in v.array_value.values]
        return {"arrayValue": {"values": values} if values else {}}
    if kind == "kvlist_value":
        kvs = [_kv(x) for x in v.kvlist_value.values]
        return {"kvlistValue": {"values": kvs} if kvs else {}}
    raise _Bail
