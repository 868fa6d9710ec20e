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
``{"http": {"request": {"header": {"authorization": v}}}}`` (a key whose dotted segments
are not all plain names, such as ``user.bob@example.com``, stays one key and is scanned
whole, as a JSON key would be): the scrubber sees its last
segment as the field name and the segment before it as the parent, the way it reads
JSON keys (so ``user.email`` is an email field and ``user.name`` a person, as
``{"user": {"name": ...}}`` would be). A body is a string, an object (kvlist) or an array,
recursively. Bytes are scanned as text. Everything the view does not show (trace and
span ids, timestamps, severity, flags, scope name and version, schema URLs) is never
touched.

Writing back: a string that changed is replaced; a number or bytes value that was
masked becomes the mask string; a key that was masked is renamed; a value the scrubber
dropped is removed (an attribute or kvlist entry) or cleared (a body). A view whose
shape no longer matches the message raises ``FormatError``, and the caller masks the
record whole.
"""

from __future__ import annotations

from collections.abc import MutableSequence
from typing import Any

import regex
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, KeyValue

from processor.errors import FormatError
from processor.formats._keys import MISSING, match_keys, unique_masked_keys
from processor.records import FALLBACK_TOKEN

__all__ = ["apply_request_view", "bytes_text", "mask_request", "request_view"]

_MISSING = MISSING
# a dotted key splits into a chain only when every segment is a plain name, so that
# "user.bob@example.com" stays one key and is scanned whole, as a JSON key would be
_NAME = regex.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


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


def _key_parts(key: str) -> list[str]:
    parts = key.split(".")
    return parts if all(_NAME.fullmatch(p) for p in parts) else [key]


def _chain(key: str, leaf: Any) -> dict[str, Any]:
    node: Any = leaf
    for part in reversed(_key_parts(key)):
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
        names: list[str] = []
        for _part in _key_parts(kv.key):
            if not isinstance(node, dict) or len(node) > 1:
                raise FormatError("attribute view changed shape")
            if not node:  # the scrubber dropped the value
                node = _MISSING
                break
            ((name, node),) = node.items()
            names.append(name)
        if not _apply_any(kv.value, node):
            dropped.append(i)
        elif ".".join(names) != kv.key:  # a key holding a secret comes back masked
            kv.key = ".".join(names)
    for i in reversed(dropped):
        del kvs[i]


def _apply_kvlist(kvs: MutableSequence[KeyValue], view: Any) -> None:
    if isinstance(view, dict):
        matched = match_keys([kv.key for kv in kvs], view)
    elif isinstance(view, list) and len(view) == len(kvs):
        matched = [_single(item) for item in view]
    else:
        raise FormatError("kvlist view changed shape")
    dropped: list[int] = []
    for i, (kv, (name, new)) in enumerate(zip(kvs, matched, strict=True)):
        if name is None or not _apply_any(kv.value, new):
            dropped.append(i)
        elif name != kv.key:
            kv.key = name
    for i in reversed(dropped):
        del kvs[i]


def _single(item: Any) -> tuple[str | None, Any]:
    if not isinstance(item, dict) or len(item) > 1:
        raise FormatError("kvlist view changed shape")
    return next(iter(item.items())) if item else (None, _MISSING)


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
    """Mask every key and every string, number and bytes value the view covers.

    This is the fail-closed output when the scrubber's own masked view cannot be used.

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
    """Mask every value and every key (keys were not scanned: a secret can hide there)."""
    for kv, key in zip(kvs, unique_masked_keys(len(kvs)), strict=True):
        kv.key = key
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
