"""Avro in the Confluent wire format: magic byte 0, a 4-byte big-endian schema id, the body.

The body is read with the writer schema from the registry (``fastavro``), shown to the
scrubber as a JSON view (record fields and map keys are the field names; bytes are
scanned as text), and written again with the same schema and the same schema id.

When a masked value no longer fits its field (the fallback rule):
- a string field keeps the mask token; bytes take the token's UTF-8 bytes;
- any other field (number, enum, fixed) that held a secret takes a string branch of its
  union if it has one, else null if the union allows null;
- otherwise the record cannot be written safely: it is masked whole and quarantined
  with reason ``avro_unfit``.
A field the scrubber dropped (the ``drop`` operator) follows the same rule, with an
empty string for a string field.
"""

from __future__ import annotations

import io
from typing import Any

from fastavro import schemaless_reader, schemaless_writer

from processor.errors import FormatError
from processor.formats._keys import MISSING, match_keys
from processor.formats.otlp_view import bytes_text
from processor.formats.registry import SchemaRegistry
from processor.records import FALLBACK_TOKEN, RecordFormat

__all__ = ["AvroRecord", "UnfitValueError", "decode_avro"]

_MAGIC = 0
_HEADER = 5
_MISSING: Any = MISSING
_NUMBERS = frozenset({"int", "long", "float", "double"})
# numbers shorter than this cannot hold a card, SSN or account number (as in the pipeline)
_MIN_SENSITIVE_NUMBER = 10**6


class UnfitValueError(FormatError):
    """A masked value fits neither its field type nor a fallback of it."""

    reason = "avro_unfit"


def decode_avro(raw: bytes, registry: SchemaRegistry) -> AvroRecord | None:
    """The decoded record; None when ``raw`` is not Confluent-framed; FormatError if broken."""
    if len(raw) < _HEADER or raw[0] != _MAGIC:
        return None
    schema = registry.schema(int.from_bytes(raw[1:_HEADER], "big"))
    body = io.BytesIO(raw[_HEADER:])
    try:
        datum = schemaless_reader(body, schema, None)
    except Exception as exc:  # fastavro raises many types on bad bytes; name none of the data
        raise FormatError(f"Avro body does not match its schema ({type(exc).__name__})") from None
    if body.tell() != len(raw) - _HEADER:
        raise FormatError("trailing bytes after the Avro body")
    return AvroRecord(raw, schema, datum)


class AvroRecord:
    """One decoded Avro record as a ``Structured`` record."""

    def __init__(self, raw: bytes, schema: dict[str, Any], datum: Any) -> None:
        self._raw = raw
        self._schema = schema
        self._named: dict[str, Any] = schema.get("__named_schemas", {})
        self._datum = datum

    @property
    def format(self) -> RecordFormat:
        return "avro"

    def view(self) -> dict[str, Any]:
        view = _view(self._datum)
        return view if isinstance(view, dict) else {"value": view}

    def apply(self, masked: Any) -> bytes:
        if not isinstance(self._datum, dict):
            masked = masked.get("value", _MISSING) if isinstance(masked, dict) else _MISSING
        return self._encode(self._fit(self._schema, self._datum, masked))

    def unchanged(self) -> bytes:
        return self._raw

    def masked_whole(self) -> bytes:
        """Strings and bytes masked, big numbers nulled; the plain token if that cannot fit."""
        try:
            return self.apply(_mask_all(self.view()))
        except FormatError:
            return FALLBACK_TOKEN.encode("ascii")

    def _encode(self, datum: Any) -> bytes:
        out = io.BytesIO()
        out.write(self._raw[:_HEADER])
        try:
            schemaless_writer(out, self._schema, datum)
        except Exception as exc:
            raise UnfitValueError(f"re-encoding failed ({type(exc).__name__})") from None
        return out.getvalue()

    # -- fitting masked values back into the schema ---------------------------------------

    def _fit(self, schema: Any, orig: Any, new: Any) -> Any:
        if isinstance(schema, str) and schema in self._named:
            schema = self._named[schema]
        if isinstance(schema, list):
            return self._fit_union(schema, orig, new)
        kind = schema if isinstance(schema, str) else schema["type"]
        if kind == "record":  # a field name the scrubber masked keeps its schema name
            fields = schema["fields"]
            matched = match_keys([f["name"] for f in fields], new)
            return {
                f["name"]: self._fit(f["type"], orig[f["name"]], value)
                for f, (_name, value) in zip(fields, matched, strict=True)
            }
        if kind == "map":  # a map key the scrubber masked is renamed; a dropped one goes
            matched = match_keys(list(orig), new)
            return {
                name: self._fit(schema["values"], value, new_value)
                for value, (name, new_value) in zip(orig.values(), matched, strict=True)
                if name is not None
            }
        if kind == "array":
            if not isinstance(new, list) or len(new) != len(orig):
                raise UnfitValueError("array view changed shape")
            return [self._fit(schema["items"], o, n) for o, n in zip(orig, new, strict=True)]
        return _fit_scalar(kind, orig, new)

    def _fit_union(self, union: list[Any], orig: Any, new: Any) -> Any:
        try:
            return self._fit(self._branch(union, orig), orig, new)
        except UnfitValueError:
            kinds = {b if isinstance(b, str) else b.get("type") for b in union}
            if "string" in kinds and isinstance(new, str):
                return new
            if "null" in kinds:
                return None
            raise

    def _branch(self, union: list[Any], value: Any) -> Any:
        """The branch of ``union`` a decoded value came from."""
        for branch in union:
            schema = self._named.get(branch, branch) if isinstance(branch, str) else branch
            if _matches(schema, value):
                return branch
        raise UnfitValueError("no union branch matches the decoded value")


def _matches(schema: Any, value: Any) -> bool:
    kind = schema if isinstance(schema, str) else schema["type"]
    if value is None:
        return bool(kind == "null")
    if isinstance(value, bool):
        return bool(kind == "boolean")
    if isinstance(value, int):
        return kind in ("int", "long")
    if isinstance(value, float):
        return kind in ("float", "double")
    if isinstance(value, str):
        return kind == "string" or (kind == "enum" and value in schema["symbols"])
    if isinstance(value, bytes):
        return kind == "bytes" or (kind == "fixed" and len(value) == schema["size"])
    if isinstance(value, list):
        return bool(kind == "array")
    if isinstance(value, dict):
        if kind == "record":
            return {f["name"] for f in schema["fields"]} == set(value)
        return bool(kind == "map")
    return False


def _fit_scalar(kind: str, orig: Any, new: Any) -> Any:
    if kind == "string":
        if new is _MISSING:
            return ""
        if not isinstance(new, str):
            raise UnfitValueError("string view changed type")
        return new
    if kind == "bytes" and isinstance(new, str):
        return orig if new == bytes_text(orig) else new.encode("utf-8")
    if kind in ("fixed", "enum"):
        current = bytes_text(orig) if isinstance(orig, bytes) else orig
        if new == current:
            return orig
        raise UnfitValueError(f"a masked value does not fit a {kind} field")
    if kind in _NUMBERS:
        if new is _MISSING or isinstance(new, str):
            raise UnfitValueError("a masked value does not fit a number field")
        return orig
    if new is _MISSING:
        raise UnfitValueError("a dropped value leaves a required field empty")
    return orig


def _view(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _view(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_view(v) for v in value]
    if isinstance(value, bytes):
        return bytes_text(value)
    return value


def _mask_all(view: Any) -> Any:
    if isinstance(view, dict):
        return {k: _mask_all(v) for k, v in view.items()}
    if isinstance(view, list):
        return [_mask_all(v) for v in view]
    if isinstance(view, str):
        return FALLBACK_TOKEN
    if isinstance(view, (int, float)) and not isinstance(view, bool):
        return FALLBACK_TOKEN if abs(view) >= _MIN_SENSITIVE_NUMBER else view
    return view
