"""The debug-access event contract: what parses, and what is refused with which reason."""

from __future__ import annotations

import json

import pytest

from processor.errors import AccessEventError
from processor.monitor.access_event import parse_access_event
from scripts.access_events import access_message, ocsf_body

SECRET = "4111-1111-1111-1111-hunter2"


def _with(body: dict[str, object], headers: list[tuple[str, bytes]] | None = None,
          key: bytes = b"alice@example.com") -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    _k, _v, h = access_message()
    return key, json.dumps(body).encode(), headers if headers is not None else h


def test_parse__debug_api_event_yields_every_contract_field() -> None:
    """A denied ViewRecords event keeps actor, groups, operation, workflows, ticket and time."""
    key, value, headers = access_message(
        "bob", decision="deny", operation="ViewRecords", groups=("oncall-payments",),
        workflows=("pay/1", "pay/2"), policy_ids=("records-need-ticket",), ticket="INC-1",
        justification="outage", mutating=True, time_ms=1_700_000_000_123,
    )  # fmt: skip
    ev = parse_access_event(key, value, headers)
    assert (ev.actor, ev.decision, ev.operation) == ("bob", "deny", "ViewRecords")
    assert ev.groups == ("oncall-payments",)
    assert ev.workflows == ("pay/1", "pay/2")
    assert ev.policy_ids == ("records-need-ticket",)
    assert (ev.ticket, ev.justification, ev.session_mode, ev.mutating) == (
        "INC-1", "outage", "ro", True)
    assert ev.time_s == pytest.approx(1_700_000_000.123)
    assert ev.src_ip == "10.1.2.3"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda b, h: h.__setitem__(0, ("ce_id", b"")), "cloudevents_headers"),
        (lambda b, h: h.append(("ce_type", b"dev.other.v1")), "type"),
        (lambda b, h: b.__setitem__("class_uid", 3002), "class_uid"),
        (lambda b, h: b["authorizations"][0].__setitem__("decision", "maybe"), "decision"),
        (lambda b, h: b.__setitem__("authorizations", []), "authorizations"),
        (lambda b, h: b.__setitem__("time", "yesterday"), "time"),
        (lambda b, h: b["actor"]["user"].__setitem__("uid", ""), "actor"),
        (lambda b, h: b["unmapped"].__setitem__("mutating", "no"), "mutating"),
        (lambda b, h: b.__setitem__("api", None), "api"),
    ],
)
def test_parse__broken_contract__refused_with_reason_code(change, reason) -> None:
    """Each broken part of the envelope or body raises AccessEventError with a fixed code."""
    body = ocsf_body("alice@example.com")
    _k, _v, headers = access_message()
    headers = list(headers)
    if reason == "type":
        headers = [(k, v) for k, v in headers if k != "ce_type"]
    change(body, headers)
    with pytest.raises(AccessEventError) as info:
        parse_access_event(b"alice@example.com", json.dumps(body).encode(), headers)
    assert info.value.reason == reason


def test_parse__key_differs_from_actor__refused() -> None:
    """The Kafka key is the actor by contract; an event keyed otherwise is refused."""
    key, value, headers = _with(ocsf_body("alice@example.com"), key=b"mallory")
    with pytest.raises(AccessEventError) as info:
        parse_access_event(key, value, headers)
    assert info.value.reason == "key_not_actor"


def test_parse__hostile_values__never_echoed_in_the_error() -> None:
    """An attacker's text in the event never appears in the exception message."""
    body = ocsf_body("alice@example.com")
    body["time"] = SECRET
    key, value, headers = _with(body)
    with pytest.raises(AccessEventError) as info:
        parse_access_event(key, value, headers)
    assert SECRET not in str(info.value) and SECRET not in repr(info.value)
    with pytest.raises(AccessEventError) as info2:
        parse_access_event(key, SECRET.encode(), headers)
    assert info2.value.reason == "json" and SECRET not in str(info2.value)


def test_parse__oversized_or_missing_value__refused() -> None:
    """A value over 64 KiB, or none at all, is refused before it is parsed."""
    key, _value, headers = access_message()
    for value in (None, b"{" + b" " * 70_000 + b"}"):
        with pytest.raises(AccessEventError) as info:
            parse_access_event(key, value, headers)
        assert info.value.reason == "size"


def test_parse__reveal_decrypt_event__accepted() -> None:
    """A reveal's OCSF 6005 Decrypt event, as the debug API writes it, counts as Reveal."""
    from processor.debugapi.audit_event import AccessRecord, to_kafka_message

    rec = AccessRecord(method="POST", path="/api/v1/reveal", src_ip="10.0.0.1", actor="alice",
                       groups=("oncall-payments",), operation="Reveal", decision="allow",
                       ticket="INC-1", status_code=200,
                       resources=[("Workflow", "charge-1/r1")],
                       reveals=[("CREDIT_CARD", "k1-abc123", "revealed")])
    msg = to_kafka_message(rec)
    event = parse_access_event(msg.key, msg.value, list(msg.headers.items()))
    assert (event.operation, event.decision, event.actor) == ("Reveal", "allow", "alice")
    assert event.workflows == ("charge-1/r1",)
