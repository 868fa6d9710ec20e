"""OTLP logs on Kafka: one ``ExportLogsServiceRequest`` per record, as the collector's
Kafka exporter writes it (``otlp_proto``: protobuf; ``otlp_json``: OTLP/JSON).

Decoding and encoding use the ``opentelemetry-proto`` messages. OTLP/JSON differs from
the plain protobuf JSON mapping in one place that matters here: trace and span ids are
hex strings, not base64, so they are converted on the way in and out.

Fields this version of OTLP does not know cannot be scrubbed, so they are dropped:
such a record is always re-encoded. A record with nothing masked and nothing dropped
comes back byte for byte.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any, Literal

import orjson
from google.protobuf import json_format
from google.protobuf.message import DecodeError
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest

from processor.errors import FormatError
from processor.formats.otlp_json import fast_dump, fast_load

__all__ = ["OtlpEncoding", "OtlpRecord", "decode_otlp", "encode_otlp", "sniff_otlp"]

OtlpEncoding = Literal["otlp_proto", "otlp_json"]

_ID_KEYS = ("traceId", "trace_id", "spanId", "span_id")
_JSON_TOP_KEYS = frozenset({"resourceLogs", "resource_logs"})


@dataclass(slots=True)
class OtlpRecord:
    """A decoded record: the message, its encoding, and whether decoding dropped fields."""

    request: ExportLogsServiceRequest
    encoding: OtlpEncoding
    dropped_unknown: bool


def decode_otlp(raw: bytes, encoding: OtlpEncoding) -> OtlpRecord:
    """Parse one Kafka value; FormatError (naming no content) when it is not OTLP logs."""
    if encoding == "otlp_proto":
        return _decode_proto(raw)
    return _decode_json(raw)


def encode_otlp(record: OtlpRecord) -> bytes:
    """The message in the record's encoding."""
    if record.encoding == "otlp_proto":
        return record.request.SerializeToString()
    doc = fast_dump(record.request)
    if doc is None:
        doc = json_format.MessageToDict(record.request, use_integers_for_enums=True)
        _convert_ids(doc, _base64_to_hex)
    return orjson.dumps(doc)


def sniff_otlp(raw: bytes) -> OtlpRecord | None:
    """The record when ``raw`` is clearly OTLP logs (for topics that pin no encoding)."""
    head = raw[:64]
    if head[:1] == b"\n":
        try:
            record = _decode_proto(raw)
        except FormatError:
            return None
        # plain text starting with a newline almost never parses; demand a clean parse
        ok = not record.dropped_unknown and len(record.request.resource_logs) > 0
        return record if ok else None
    if head.lstrip()[:1] == b"{" and (b'"resourceLogs"' in head or b'"resource_logs"' in head):
        try:
            return _decode_json(raw)
        except FormatError:
            return None
    return None


def _decode_proto(raw: bytes) -> OtlpRecord:
    req = ExportLogsServiceRequest()
    try:
        req.ParseFromString(raw)
    except (DecodeError, RecursionError, ValueError):
        raise FormatError("not an OTLP logs protobuf") from None
    size = req.ByteSize()
    req.DiscardUnknownFields()
    return OtlpRecord(req, "otlp_proto", req.ByteSize() != size)


def _decode_json(raw: bytes) -> OtlpRecord:
    try:
        doc = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise FormatError("not JSON") from None
    if not isinstance(doc, dict) or not set(doc) <= _JSON_TOP_KEYS:
        raise FormatError("not an OTLP/JSON logs request")
    fast = fast_load(doc)
    if fast is not None:
        return OtlpRecord(fast, "otlp_json", False)
    _convert_ids(doc, _hex_to_base64)
    req = ExportLogsServiceRequest()
    try:
        json_format.ParseDict(doc, req)
        dropped = False
    except (json_format.ParseError, RecursionError, ValueError, TypeError):
        req = ExportLogsServiceRequest()
        try:  # fields from a newer OTLP version: drop them (they cannot be scrubbed)
            json_format.ParseDict(doc, req, ignore_unknown_fields=True)
        except (json_format.ParseError, RecursionError, ValueError, TypeError):
            raise FormatError("not an OTLP/JSON logs request") from None
        dropped = True
    return OtlpRecord(req, "otlp_json", dropped)


def _convert_ids(doc: dict[str, Any], convert: Any) -> None:
    """Convert the trace and span ids of every log record in an OTLP/JSON document."""
    for rl in _dicts(doc.get("resourceLogs", doc.get("resource_logs"))):
        for sl in _dicts(rl.get("scopeLogs", rl.get("scope_logs"))):
            for lr in _dicts(sl.get("logRecords", sl.get("log_records"))):
                for key in _ID_KEYS:
                    value = lr.get(key)
                    if isinstance(value, str) and value:
                        lr[key] = convert(value)


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _hex_to_base64(value: str) -> str:
    try:
        return base64.b64encode(bytes.fromhex(value)).decode("ascii")
    except ValueError:
        raise FormatError("trace or span id is not hex") from None


def _base64_to_hex(value: str) -> str:
    try:
        return base64.b64decode(value, validate=True).hex()
    except (binascii.Error, ValueError):
        raise FormatError("trace or span id is not base64") from None
