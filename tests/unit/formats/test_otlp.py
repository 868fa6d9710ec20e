"""OTLP logs (protobuf and JSON) through the format-aware scrubber, on the bundled rules."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest

from processor.formats.router import FormatScrubber
from processor.pipeline import Scrubber
from processor.records import FALLBACK_TOKEN
from processor.settings import BUNDLED_RULES

from .otlp_builders import SPAN_ID, TIME_NS, TRACE_ID, attrs, plain, request

SECRET_ATTRS = {
    "user.email": "alice@example.org",
    "http.request.header.authorization": "opaque-credential-1234",
    "db.statement": "UPDATE users SET password='hunter2' WHERE id=7",
    "user.name": "Jane Roe",
}
PLAIN_ATTRS = {"service.name": "checkout", "http.status_code": 500, "retry": True, "ratio": 0.5}


@pytest.fixture(scope="module")
def otlp(scrubber: Scrubber) -> FormatScrubber:
    """The bundled rules (no NER), with OTLP detected per record."""
    return FormatScrubber(scrubber)


def _scrub(fs: FormatScrubber, req: ExportLogsServiceRequest) -> ExportLogsServiceRequest:
    result = fs.scrub_many([req.SerializeToString()])[0]
    assert result.fallback is None and result.format == "otlp_proto"
    return ExportLogsServiceRequest.FromString(result.output)


def _record(req: ExportLogsServiceRequest):  # type: ignore[no-untyped-def]
    return req.resource_logs[0].scope_logs[0].log_records[0]


def test_attribute_keys_count_as_field_names(otlp: FormatScrubber) -> None:
    """Dotted attribute keys are read like JSON keys: their last segment is the field name."""
    out = _record(_scrub(otlp, request("checkout failed", {**SECRET_ATTRS, **PLAIN_ATTRS})))
    got = attrs(out.attributes)
    assert got["user.email"] == "[MASKED-EMAIL]"
    assert got["http.request.header.authorization"] == "[MASKED-AUTHORIZATION]"
    assert got["db.statement"] == "UPDATE users SET password='[MASKED-PASSWORD]' WHERE id=7"
    assert got["user.name"] == "[MASKED-PERSON]"
    assert {k: got[k] for k in PLAIN_ATTRS} == PLAIN_ATTRS
    assert list(got) == [*SECRET_ATTRS, *PLAIN_ATTRS]


def test_trace_context_timestamps_and_severity_stay_byte_equal(otlp: FormatScrubber) -> None:
    """Only masked values change; ids, times, severity, flags and the scope stay equal."""
    src = request("card 4111 1111 1111 1111 declined", {"user.email": "a@b.io"})
    out = _scrub(otlp, src)
    lr, lr_src = _record(out), _record(src)
    assert (lr.trace_id, lr.span_id, lr.time_unix_nano) == (TRACE_ID, SPAN_ID, TIME_NS)
    assert lr.observed_time_unix_nano == lr_src.observed_time_unix_nano
    assert (lr.severity_number, lr.severity_text, lr.flags) == (17, "ERROR", 1)
    assert out.resource_logs[0].scope_logs[0].scope == src.resource_logs[0].scope_logs[0].scope
    assert lr.body.string_value == "card [MASKED-CREDIT_CARD-1111] declined"


def test_nested_kvlist_and_array_bodies_are_scrubbed_recursively(otlp: FormatScrubber) -> None:
    """Secrets deep in a structured body are masked; everything else in it stays equal."""
    body = {
        "event": "signup",
        "user": {"password": "hunter2", "contacts": ["ok", "bob@example.com", 3]},
        "headers": [{"name": "Authorization", "value": "Basic dXNlcjpwYXNz"}],
        "payload": {"card_number": 4111111111111111, "count": 2},
    }
    out = plain(_record(_scrub(otlp, request(body))).body)
    assert out["event"] == "signup"
    assert out["user"]["password"] == "[MASKED-PASSWORD]"
    assert out["user"]["contacts"] == ["ok", "[MASKED-EMAIL]", 3]
    assert out["headers"][0]["value"] != "Basic dXNlcjpwYXNz"
    assert out["headers"][0]["name"] == "Authorization"
    assert out["payload"] == {"card_number": "[MASKED-CREDIT_CARD-1111]", "count": 2}


def test_resource_and_scope_attributes_are_scrubbed(otlp: FormatScrubber) -> None:
    """Resource and scope attributes are scanned like log attributes."""
    out = _scrub(otlp, request("x", resource={"owner.email": "ops@example.com", "host": "h1"},
                               scope={"api_key": "k-123"}))
    assert attrs(out.resource_logs[0].resource.attributes) == {
        "owner.email": "[MASKED-EMAIL]", "host": "h1"}
    assert attrs(out.resource_logs[0].scope_logs[0].scope.attributes) == {
        "api_key": "[MASKED-API_KEY]"}


def test_record_with_nothing_to_mask_comes_back_byte_for_byte(otlp: FormatScrubber) -> None:
    """A clean OTLP record is passed on unchanged."""
    raw = request({"msg": "order shipped", "items": [1, 2]}, PLAIN_ATTRS).SerializeToString()
    result = otlp.scrub_many([raw])[0]
    assert (result.output, result.fallback, sum(result.counts.values())) == (raw, None, 0)


def test_repeated_kvlist_keys_are_all_scanned(otlp: FormatScrubber) -> None:
    """A kvlist with a repeated key (legal on the wire) has every value scanned."""
    req = request({"note": "x"})
    body = _record(req).body.kvlist_value.values
    body[0].value.string_value = "first a@b.io"
    body.add(key="note").value.string_value = "second c@d.io"
    out = _record(_scrub(otlp, req)).body.kvlist_value.values
    assert [v.value.string_value for v in out] == ["first [MASKED-EMAIL]", "second [MASKED-EMAIL]"]


def test_bytes_values_are_scanned_as_text(otlp: FormatScrubber) -> None:
    """A bytes attribute holding a secret is replaced by the mask string."""
    out = _record(_scrub(otlp, request("x", {"raw": b"to bob@example.com", "blob": b"\x00\x01"})))
    assert attrs(out.attributes) == {"raw": "to [MASKED-EMAIL]", "blob": b"\x00\x01"}


def test_drop_operator_removes_the_attribute(scrubber_factory: Callable[..., Scrubber]) -> None:
    """An entity configured to be dropped removes its attribute (and clears a body)."""
    s = scrubber_factory(rules_dir=BUNDLED_RULES, operators={"PASSWORD": {"operator": "drop"}})
    out = _record(_scrub(FormatScrubber(s), request(None, {"password": "pw", "keep": "k"})))
    assert attrs(out.attributes) == {"keep": "k"}


def test_otlp_json_keeps_hex_ids_and_masks_values(otlp: FormatScrubber) -> None:
    """OTLP/JSON comes back as OTLP/JSON: hex trace ids, string nanos, integer severity."""
    doc = {"resourceLogs": [{"resource": {"attributes": [
        {"key": "service.name", "value": {"stringValue": "checkout"}}]},
        "scopeLogs": [{"scope": {"name": "s"}, "logRecords": [{
            "timeUnixNano": str(TIME_NS), "severityNumber": 17, "severityText": "ERROR",
            "traceId": TRACE_ID.hex(), "spanId": SPAN_ID.hex(),
            "body": {"stringValue": "mail bob@example.com"},
            "attributes": [{"key": "user.email", "value": {"stringValue": "a@b.io"}},
                           {"key": "n", "value": {"intValue": "7"}}]}]}]}]}
    result = otlp.scrub_many([json.dumps(doc).encode()])[0]
    assert (result.format, result.fallback) == ("otlp_json", None)
    lr = json.loads(result.output)["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0]
    assert (lr["traceId"], lr["spanId"]) == (TRACE_ID.hex(), SPAN_ID.hex())
    assert (lr["timeUnixNano"], lr["severityNumber"]) == (str(TIME_NS), 17)
    assert lr["body"] == {"stringValue": "mail [MASKED-EMAIL]"}
    assert lr["attributes"] == [
        {"key": "user.email", "value": {"stringValue": "[MASKED-EMAIL]"}},
        {"key": "n", "value": {"intValue": "7"}}]


def test_unknown_json_fields_are_dropped_not_passed_on(otlp: FormatScrubber) -> None:
    """A field this OTLP version does not know cannot be scrubbed, so it is dropped."""
    doc = {"resourceLogs": [{"scopeLogs": [{"logRecords": [
        {"body": {"stringValue": "ok"}, "futureField": "bob@example.com"}]}]}]}
    result = otlp.scrub_many([json.dumps(doc).encode()])[0]
    assert result.fallback is None and b"bob@example.com" not in result.output
    assert b'"stringValue":"ok"' in result.output


def test_unknown_proto_fields_are_dropped(otlp: FormatScrubber) -> None:
    """Unknown protobuf fields in a log record never reach the clean topic."""
    req = request("ok")
    raw = req.SerializeToString()
    lr = _record(req)
    extra = b"\xfa\x06\x0fbob@example.com"  # field 111, length-delimited
    lr_bytes = lr.SerializeToString() + extra
    tampered = ExportLogsServiceRequest()
    tampered.ParseFromString(raw)
    _record(tampered).ParseFromString(lr_bytes)
    result = FormatScrubber(otlp._scrubber, {"t": "otlp_proto"}).scrub_many_from(
        [tampered.SerializeToString()], ["t"])[0]
    assert result.fallback is None and b"bob@example.com" not in result.output
    assert _record(ExportLogsServiceRequest.FromString(result.output)).body.string_value == "ok"


def test_undecodable_value_on_a_pinned_topic_is_masked_whole(otlp: FormatScrubber) -> None:
    """A value a pinned OTLP topic cannot parse is the fallback token, reason undecodable."""
    fs = FormatScrubber(otlp._scrubber, {"otel": "otlp_proto", "otel.json": "otlp_json"})
    results = fs.scrub_many_from([b"\xff\xffpassword=x", b"{not json"], ["otel", "otel.json"])
    assert [(r.output, r.fallback) for r in results] == [
        (FALLBACK_TOKEN.encode(), "undecodable")] * 2


def test_expired_budget_masks_every_value_but_keeps_trace_context(
    scrubber_factory: Callable[..., Scrubber],
) -> None:
    """The fail-closed output is still valid OTLP: every value masked, trace ids intact."""
    s = scrubber_factory(rules_dir=BUNDLED_RULES, record_budget_ms=0.000001)
    raw = request({"msg": "hello", "n": 5, "ok": True}, {"k": "v"}).SerializeToString()
    result = FormatScrubber(s).scrub_many([raw])[0]
    assert result.fallback == "budget"
    lr = _record(ExportLogsServiceRequest.FromString(result.output))
    assert (lr.trace_id, lr.span_id, lr.time_unix_nano) == (TRACE_ID, SPAN_ID, TIME_NS)
    body = lr.body.kvlist_value.values
    assert [plain(kv.value) for kv in body] == [FALLBACK_TOKEN, FALLBACK_TOKEN, True]
    assert [plain(kv.value) for kv in lr.attributes] == [FALLBACK_TOKEN]


def test_other_formats_pass_through_the_plain_pipeline(otlp: FormatScrubber) -> None:
    """JSON, logfmt and text records come out exactly as the plain scrubber makes them."""
    values = [b'{"password": "x", "a": 1}', b"level=info user=bob@example.com", b"\n plain",
              b"\xff\xfe"]
    got = [(r.output, r.fallback) for r in otlp.scrub_many(values)]
    want = [(r.output, r.fallback) for r in otlp._scrubber.scrub_many(values)]
    assert got == want


def test_a_view_that_cannot_be_written_back_masks_the_record(otlp: FormatScrubber) -> None:
    """A scrubber output that does not fit the record fails closed as detector_error."""

    class Broken:
        ruleset_version = "v"

        def scrub_many(self, values):  # type: ignore[no-untyped-def]
            from processor.records import ScrubResult
            return [ScrubResult(b'{"resource_logs": []}', "json") for _ in values]

        def scrub_text(self, text):  # type: ignore[no-untyped-def]
            raise AssertionError

    raw = request("bob@example.com").SerializeToString()
    result = FormatScrubber(Broken()).scrub_many([raw])[0]
    assert result.fallback == "detector_error"
    assert _record(ExportLogsServiceRequest.FromString(result.output)).body.string_value == (
        FALLBACK_TOKEN)


def test_secrets_used_as_keys_are_masked_in_place(otlp: FormatScrubber) -> None:
    """An attribute or kvlist key holding a secret is renamed to its mask; order stays."""
    out = _record(_scrub(otlp, request(
        {"ok": 1, "bob@example.com": "seen", "carol@example.com": "seen"},
        {"user.dave@example.com": "x", "plain.key": "y"})))
    assert [kv.key for kv in out.body.kvlist_value.values] == [
        "ok", "[MASKED-EMAIL]", "[MASKED-EMAIL]#2"]
    assert [kv.value.string_value for kv in out.body.kvlist_value.values][1:] == ["seen"] * 2
    keys = [kv.key for kv in out.attributes]
    assert keys[1] == "plain.key" and "dave@example.com" not in keys[0]
    assert [kv.value.string_value for kv in out.attributes] == ["x", "y"]


def test_masked_whole_output_masks_keys_too(otlp: FormatScrubber) -> None:
    """When the record must be masked whole by the encoder itself, keys go as well."""
    from processor.formats.otlp import decode_otlp
    from processor.formats.structured import OtlpAdapter

    raw = request({"bob@example.com": "v"}, {"a": "b", "c": 1}).SerializeToString()
    masked = ExportLogsServiceRequest.FromString(
        OtlpAdapter(decode_otlp(raw, "otlp_proto"), raw).masked_whole())
    lr = _record(masked)
    assert [kv.key for kv in lr.attributes] == [FALLBACK_TOKEN, f"{FALLBACK_TOKEN}#2"]
    assert [kv.key for kv in lr.body.kvlist_value.values] == [FALLBACK_TOKEN]
    assert lr.trace_id == TRACE_ID
