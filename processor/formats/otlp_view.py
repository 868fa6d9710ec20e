"""OTLP log data as a JSON view for the scrubber, and the masked view written back.

One Kafka record (an ``ExportLogsServiceRequest``) becomes one JSON object, so the
record keeps its own time budget and falls back as a whole, exactly like a JSON record:

```
{"resource_logs": [{"resource": [ATTR, ...],
                    "scope_logs": [{"scope": [ATTR, ...],
                                    "log_records": [{"body": BODY, "attributes": [ATTR, ...],
                                                     "event_name": "..."}]}]}]}
```

An attribute ``http.request.header.authorization = v`` is the chain
``{"http": {"request": {"header": {"authorization": v}}}}``: the scrubber sees its last
segment as the field name and the segment before it as the parent, the way it reads
JSON keys (so ``user.email`` is an email field and ``user.name`` a person, as
``{"user": {"name": ...}}`` would be). A body is a string, an object (kvlist) or an array,
recursively. Bytes are scanned as text. Everything the view does not show (trace and
span ids, timestamps, severity, flags, scope name and version, schema URLs) is never
touched.

Writing back: a string that changed is replaced; a number or bytes value that was
masked becomes the mask string; a value the scrubber dropped is removed (an attribute
or kvlist entry) or cleared (a body). A view whose shape no longer matches the message
raises ``FormatError``, and the caller masks the record whole.
"""

from __future__ import annotations

from collections.abc import MutableSequence
from typing import Any

from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue

from processor.errors import FormatError
from processor.records import FALLBACK_TOKEN

__all__ = ["apply_request_view", "bytes_text", "mask_request", "request_view"]

_MISSING = object()


# -- message -> view ----------------------------------------------------------------------


def request_view(req: ExportLogsServiceRequest) -> dict[str, Any]:
    """The JSON view of every scrubbed string and number in ``req``."""
    return {
        "resource_logs": [
            {
                "resource": _attrs_view(rl.resource.attributes),
                "scope_logs": [
                    {
                        "scope": _attrs_view(sl.scope.attributes),
                        "log_records": [_record_view(lr) for lr in sl.log_records],
                    }
                    for sl in rl.scope_logs
                ],
            }
            for rl in req.resource_logs
        ]
    }


def _record_view(lr: Any) -> dict[str, Any]:
    return {
        "body": _any_view(lr.body),
        "attributes": _attrs_view(lr.attributes),
        "event_name": lr.event_name,
    }


def _any_view(v: AnyValue) -> Any:
    kind = v.WhichOneof("value")
    if kind == "string_value":
        return v.string_value
    if kind in ("int_value", "double_value", "bool_value"):
        return getattr(v, kind)
    if kind == "bytes_value":
        return bytes_text(v.bytes_value)
    if kind == "kvlist_value":
        return _kvlist_view(v.kvlist_value.values)
    if kind == "array_value":
        return [_any_view(x) for x in v.array_value.values]
    return None  # unset, or a string-table index (profiles only): nothing to scan


def bytes_text(data: bytes) -> str:
    """Bytes as text to scan: UTF-8 when they are, else one character per byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # every byte maps to one character: nothing hides


def _kvlist_view(kvs: MutableSequence[KeyValue]) -> Any:
    """An object keyed like the kvlist; a list of one-key objects when keys repeat."""
    keys = [kv.key for kv in kvs]
    if len(set(keys)) == len(keys):
        return {kv.key: _any_view(kv.value) for kv in kvs}
    return [{kv.key: _any_view(kv.value)} for kv in kvs]


def _attrs_view(kvs: MutableSequence[KeyValue]) -> list[dict[str, Any]]:
    return [_chain(kv.key, _any_view(kv.value)) for kv in kvs]


def _chain(key: str, leaf: Any) -> dict[str, Any]:
    node: Any = leaf
    for part in reversed(key.split(".")):
        node = {part: node}
    result: dict[str, Any] = node
    return result


# -- masked view -> message -----------------------------------------------------------------


def apply_request_view(req: ExportLogsServiceRequest, view: Any) -> None:
    """Write the scrubber's masked view back into ``req``; FormatError when shapes differ."""
    rls = _list_at(view, "resource_logs", len(req.resource_logs))
    for rl, rl_view in zip(req.resource_logs, rls, strict=True):
        _apply_attrs(rl.resource.attributes, _list_at(rl_view, "resource", None))
        sls = _list_at(rl_view, "scope_logs", len(rl.scope_logs))
        for sl, sl_view in zip(rl.scope_logs, sls, strict=True):
            _apply_attrs(sl.scope.attributes, _list_at(sl_view, "scope", None))
            lrs = _list_at(sl_view, "log_records", len(sl.log_records))
            for lr, lr_view in zip(sl.log_records, lrs, strict=True):
                if not isinstance(lr_view, dict):
                    raise FormatError("log record view changed shape")
                if not _apply_any(lr.body, lr_view.get("body", _MISSING)):
                    lr.ClearField("body")
                _apply_attrs(lr.attributes, _list_at(lr_view, "attributes", None))
                event = lr_view.get("event_name", "")
                lr.event_name = event if isinstance(event, str) else FALLBACK_TOKEN


def _list_at(node: Any, key: str, length: int | None) -> list[Any]:
    value = node.get(key) if isinstance(node, dict) else None
    if not isinstance(value, list) or (length is not None and len(value) != length):
        raise FormatError(f"view lost its {key} list")
    return value


def _apply_attrs(kvs: MutableSequence[KeyValue], chains: list[Any]) -> None:
    if len(chains) != len(kvs):
        raise FormatError("attribute view changed length")
    dropped: list[int] = []
    for i, (kv, chain) in enumerate(zip(kvs, chains, strict=True)):
        node: Any = chain
        for part in kv.key.split("."):
            node = node.get(part, _MISSING) if isinstance(node, dict) else _MISSING
            if node is _MISSING:
                break
        if not _apply_any(kv.value, node):
            dropped.append(i)
    for i in reversed(dropped):
        del kvs[i]


def _apply_kvlist(kvs: MutableSequence[KeyValue], view: Any) -> None:
    dropped: list[int] = []
    for i, kv in enumerate(kvs):
        if isinstance(view, dict):
            new = view.get(kv.key, _MISSING)
        elif isinstance(view, list) and len(view) == len(kvs) and isinstance(view[i], dict):
            new = view[i].get(kv.key, _MISSING)
        else:
            raise FormatError("kvlist view changed shape")
        if not _apply_any(kv.value, new):
            dropped.append(i)
    for i in reversed(dropped):
        del kvs[i]


def _apply_any(v: AnyValue, new: Any) -> bool:
    """Write ``new`` into ``v``; False when the scrubber dropped the value."""
    if new is _MISSING:
        return False
    kind = v.WhichOneof("value")
    if kind == "kvlist_value":
        _apply_kvlist(v.kvlist_value.values, new)
    elif kind == "array_value":
        items = v.array_value.values
        if not isinstance(new, list) or len(new) != len(items):
            raise FormatError("array view changed shape")
        for item, item_view in zip(items, new, strict=True):
            if not _apply_any(item, item_view):
                item.string_value = ""
    elif kind == "string_value":
        if not isinstance(new, str):
            raise FormatError("string view changed type")
        if new != v.string_value:
            v.string_value = new
    elif kind == "bytes_value":
        if not isinstance(new, str):
            raise FormatError("bytes view changed type")
        if new != bytes_text(v.bytes_value):
            v.string_value = new
    elif kind in ("int_value", "double_value") and isinstance(new, str):
        v.string_value = new  # a masked number is a mask string now
    return True


# -- fallback ---------------------------------------------------------------------------------


def mask_request(req: ExportLogsServiceRequest) -> None:
    """Mask every string, number and bytes value the view covers (the fail-closed output).

    Trace context, timestamps and severity stay, so the record is still valid OTLP.
    """
    for rl in req.resource_logs:
        _mask_kvs(rl.resource.attributes)
        for sl in rl.scope_logs:
            _mask_kvs(sl.scope.attributes)
            for lr in sl.log_records:
                if lr.HasField("body"):
                    _mask_any(lr.body)
                _mask_kvs(lr.attributes)
                if lr.event_name:
                    lr.event_name = FALLBACK_TOKEN


def _mask_kvs(kvs: MutableSequence[KeyValue]) -> None:
    for kv in kvs:
        _mask_any(kv.value)


def _mask_any(v: AnyValue) -> None:
    kind = v.WhichOneof("value")
    if kind == "kvlist_value":
        _mask_kvs(v.kvlist_value.values)
    elif kind == "array_value":
        for item in v.array_value.values:
            _mask_any(item)
    elif kind in ("string_value", "bytes_value", "int_value", "double_value"):
        v.string_value = FALLBACK_TOKEN
