"""Confluent-framed Avro through the format-aware scrubber, with a stand-in registry."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from fastavro import parse_schema, schemaless_reader, schemaless_writer

from processor.errors import StreamError
from processor.formats.factory import build_format_scrubber
from processor.formats.registry import SchemaRegistry
from processor.formats.router import FormatScrubber
from processor.pipeline import Scrubber
from processor.records import FALLBACK_TOKEN, ScrubResult
from processor.settings import FormatSettings

USER = {"type": "record", "name": "Customer", "fields": [
    {"name": "name", "type": "string"},
    {"name": "tier", "type": {"type": "enum", "name": "Tier", "symbols": ["GOLD", "BASIC"]}},
]}
LOG = {"type": "record", "name": "Log", "namespace": "com.example", "fields": [
    {"name": "msg", "type": "string"},
    {"name": "password", "type": ["null", "string"]},
    {"name": "customer", "type": USER},
    {"name": "tags", "type": {"type": "array", "items": "string"}},
    {"name": "labels", "type": {"type": "map", "values": "string"}},
    {"name": "payload", "type": "bytes"},
    {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
    {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9,
                                "scale": 2}},
    {"name": "card_number", "type": ["null", "long"]},
    {"name": "account_number", "type": ["null", "long", "string"]},
    {"name": "attempt", "type": "int"},
]}
STRICT = {"type": "record", "name": "Strict", "fields": [
    {"name": "msg", "type": "string"}, {"name": "cc", "type": "long"}]}
SCHEMAS = {1: LOG, 2: STRICT, 3: "PROTO"}


def _datum(**over: Any) -> dict[str, Any]:
    base = {"msg": "login by bob@example.com", "password": "hunter2",
            "customer": {"name": "Jane Roe", "tier": "GOLD"},
            "tags": ["ok", "from 10.1.2.3"], "labels": {"api_key": "k-1", "zone": "eu"},
            "payload": b"mail ann@example.org", "at": 1_700_000_000_123,
            "amount": b"\x01\x00", "card_number": 4111111111111111,
            "account_number": 12345678901234, "attempt": 2}
    return {**base, **over}


def frame(schema_id: int, datum: dict[str, Any], schema: Any = None) -> bytes:
    """A Confluent wire-format value."""
    out = io.BytesIO()
    out.write(b"\x00" + schema_id.to_bytes(4, "big"))
    schemaless_writer(out, parse_schema(schema or SCHEMAS[schema_id]), datum)
    return out.getvalue()


def _read(value: bytes, schema_id: int = 1) -> Any:
    assert value[:5] == b"\x00" + schema_id.to_bytes(4, "big")
    from processor.formats.registry import physical_schema
    return schemaless_reader(io.BytesIO(value[5:]), parse_schema(physical_schema(
        SCHEMAS[schema_id])), None)


class Stub:
    """A registry stand-in: the schemas above, 404 otherwise; counts requests."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def __call__(self, url: str, timeout: float) -> tuple[int, bytes]:
        self.urls.append(url)
        schema = SCHEMAS.get(int(url.rsplit("/", 1)[1]))
        if schema is None:
            return 404, b""
        if schema == "PROTO":
            return 200, json.dumps({"schema": "syntax", "schemaType": "PROTOBUF"}).encode()
        return 200, json.dumps({"schema": json.dumps(schema)}).encode()


@pytest.fixture
def stub() -> Stub:
    """A fresh stand-in registry."""
    return Stub()


@pytest.fixture
def avro(scrubber: Scrubber, stub: Stub) -> FormatScrubber:
    """The bundled rules, Avro detected per record, topic ``pinned`` pinned to avro."""
    registry = SchemaRegistry("http://registry.test:8081", fetch=stub)
    settings = FormatSettings(topics={"pinned": "avro"},
                              schema_registry_url="http://registry.test:8081")
    return build_format_scrubber(scrubber, settings, registry)


def _one(fs: FormatScrubber, value: bytes, topic: str = "t") -> ScrubResult:
    return fs.scrub_many_from([value], [topic])[0]


def test_every_string_field_is_scrubbed_with_its_name(avro: FormatScrubber) -> None:
    """Strings, nested ones included, are masked with the field name as context."""
    result = _one(avro, frame(1, _datum()))
    assert (result.format, result.fallback) == ("avro", None)
    out = _read(result.output)
    assert out["msg"] == "login by [MASKED-EMAIL]"
    assert out["password"] == "[MASKED-PASSWORD]"
    assert out["customer"] == {"name": "[MASKED-PERSON]", "tier": "GOLD"}
    assert out["tags"] == ["ok", "from [MASKED-IP_ADDRESS]"]
    assert out["labels"] == {"api_key": "[MASKED-API_KEY]", "zone": "eu"}
    assert out["payload"] == b"mail [MASKED-EMAIL]"


def test_unmasked_values_and_logical_types_round_trip_exactly(avro: FormatScrubber) -> None:
    """Timestamps, decimals, enums and small numbers come back unchanged."""
    out = _read(_one(avro, frame(1, _datum())).output)
    assert (out["at"], out["amount"], out["attempt"]) == (1_700_000_000_123, b"\x01\x00", 2)


def test_a_record_with_nothing_to_mask_comes_back_byte_for_byte(avro: FormatScrubber) -> None:
    """A clean Avro record is passed on unchanged, schema id included."""
    raw = frame(1, _datum(msg="ok", password=None, customer={"name": "", "tier": "BASIC"},
                          tags=[], labels={}, payload=b"", card_number=None,
                          account_number=None))
    result = _one(avro, raw)
    assert (result.output, result.fallback) == (raw, None)


def test_a_masked_number_becomes_null_or_a_string_where_the_union_allows(
    avro: FormatScrubber,
) -> None:
    """The fallback rule: a string branch takes the token, else null takes the value."""
    out = _read(_one(avro, frame(1, _datum())).output)
    assert out["card_number"] is None
    assert out["account_number"] == "[MASKED-IBAN-1234]"


def test_a_masked_value_that_fits_nowhere_quarantines_the_record(avro: FormatScrubber) -> None:
    """A required long that held a card number: masked whole, reason avro_unfit."""
    result = _one(avro, frame(2, {"msg": "hi", "cc": 4111111111111111}))
    assert result.fallback == "avro_unfit"
    assert b"4111" not in result.output and b"hi" not in result.output


def test_schemas_are_fetched_once_per_id(avro: FormatScrubber, stub: Stub) -> None:
    """The registry is asked once per schema id, however many records use it."""
    avro.scrub_many([frame(1, _datum()) for _ in range(5)] + [frame(2, {"msg": "x", "cc": 1})])
    assert stub.urls == ["http://registry.test:8081/schemas/ids/1",
                         "http://registry.test:8081/schemas/ids/2"]


def test_unknown_schema_ids_are_asked_for_once(avro: FormatScrubber, stub: Stub) -> None:
    """Records with an id the registry lacks cost one request, not one per record."""
    results = avro.scrub_many([frame(9, _datum(), LOG) for _ in range(4)])
    assert {r.fallback for r in results} == {"undecodable"}
    assert stub.urls == ["http://registry.test:8081/schemas/ids/9"]


def test_undecodable_avro_is_masked_whole(avro: FormatScrubber) -> None:
    """Unknown ids, non-Avro schemas, trailing bytes and unframed values on a pinned topic."""
    values = [frame(1, _datum())[:5] + b"\x00" * 3, frame(9, _datum(), LOG),
              frame(3, {"msg": "a", "cc": 1}, STRICT), frame(2, {"msg": "a", "cc": 1}) + b"x",
              b"password=hunter2"]
    results = avro.scrub_many_from(values, ["pinned"] * len(values))
    assert [(r.output, r.fallback) for r in results] == [
        (FALLBACK_TOKEN.encode(), "undecodable")] * len(values)


def test_an_unreachable_registry_stops_the_batch(scrubber: Scrubber) -> None:
    """No schema, no guess: the worker aborts the batch and retries (StreamError)."""

    def down(url: str, timeout: float) -> tuple[int, bytes]:
        raise OSError("connection refused")

    fs = build_format_scrubber(scrubber, FormatSettings(), SchemaRegistry("http://r", fetch=down))
    with pytest.raises(StreamError, match="unreachable"):
        fs.scrub_many([frame(1, _datum())])


def test_text_starting_with_nul_is_not_taken_for_avro_without_a_registry(
    scrubber: Scrubber,
) -> None:
    """Without a registry nothing is read as Avro: the plain pipeline decides."""
    fs = build_format_scrubber(scrubber, FormatSettings())
    value = b"\x00\x00\x00\x00\x01 mail bob@example.com"
    assert fs.scrub_many([value])[0].output == scrubber.scrub(value).output


def test_a_secret_used_as_a_map_key_is_renamed(avro: FormatScrubber) -> None:
    """Map keys holding secrets come back masked, with their values in place."""
    raw = frame(1, _datum(labels={"bob@example.com": "vip", "zone": "eu"}))
    out = _read(_one(avro, raw).output)
    assert out["labels"] == {"[MASKED-EMAIL]": "vip", "zone": "eu"}
