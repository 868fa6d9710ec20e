"""The debug-access event contract: CloudEvents binary-mode headers and an OCSF body
(6003 API Activity, or 6005 Datastore Activity for a reveal).

:func:`parse_access_event` turns one Kafka record into an :class:`AccessEvent` or raises
:class:`AccessEventError` with a fixed reason code. Nothing from the record is ever
copied into an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from processor.errors import AccessEventError

__all__ = ["ACCESS_EVENT_TYPE", "AccessEvent", "parse_access_event"]

ACCESS_EVENT_TYPE = "dev.logscrub.debug.access.v1"
OCSF_API_ACTIVITY = 6003
#: A reveal of encrypted values is OCSF Datastore Activity (6005), activity Decrypt.
OCSF_DATASTORE_ACTIVITY = 6005
MAX_VALUE_BYTES = 64 * 1024
MAX_TEXT = 256
MAX_RESOURCES = 1000
_REQUIRED_HEADERS = ("ce_specversion", "ce_type", "ce_source", "ce_id")

RawHeaders = Iterable[tuple[str, bytes | str | None]] | Mapping[str, Any] | None


@dataclass(frozen=True, slots=True)
class AccessEvent:
    """One audited debug-API request, as the monitor needs it."""

    actor: str
    groups: tuple[str, ...]
    operation: str
    workflows: tuple[str, ...]
    resources: tuple[tuple[str, str], ...]  # (type, uid), every resource of the request
    src_ip: str
    status_id: int
    decision: str  # "allow" or "deny"
    policy_ids: tuple[str, ...]
    ticket: str
    justification: str
    session_mode: str
    mutating: bool
    time_s: float  # event time, seconds since the epoch


def _headers(raw: RawHeaders) -> dict[str, str]:
    items = raw.items() if isinstance(raw, Mapping) else (raw or ())
    out: dict[str, str] = {}
    for name, value in items:
        if isinstance(value, bytes):
            try:
                value = value.decode("utf-8")
            except UnicodeDecodeError:
                raise AccessEventError("header_encoding") from None
        out[str(name).lower()] = "" if value is None else str(value)
    return out


def _text(value: Any, reason: str, *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or len(value) > MAX_TEXT or (required and not value):
        raise AccessEventError(reason)
    return value


def _obj(value: Any, reason: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise AccessEventError(reason)
    return value


def _groups(user: dict[str, Any]) -> tuple[str, ...]:
    raw = user.get("groups") or []
    if not isinstance(raw, list) or len(raw) > MAX_RESOURCES:
        raise AccessEventError("actor_groups")
    # OCSF groups are objects with a name; plain strings are accepted as well.
    names = [g.get("name") if isinstance(g, dict) else g for g in raw]
    return tuple(_text(n, "actor_groups") for n in names)


def _resources(body: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    raw = body.get("resources") or []
    if not isinstance(raw, list) or len(raw) > MAX_RESOURCES:
        raise AccessEventError("resources")
    out: list[tuple[str, str]] = []
    for item in raw:
        res = _obj(item, "resources")
        kind = _text(res.get("type"), "resources", required=False) or "Workflow"
        out.append((kind, _text(res.get("uid"), "resources")))
    return tuple(out)


def _authorization(body: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    auths = body.get("authorizations")
    if not isinstance(auths, list) or not auths:
        raise AccessEventError("authorizations")
    first = _obj(auths[0], "authorizations")
    decision = first.get("decision")
    if decision not in ("allow", "deny"):
        raise AccessEventError("decision")
    ids = first.get("policy_ids") or []
    if not isinstance(ids, list) or len(ids) > MAX_RESOURCES:
        raise AccessEventError("policy_ids")
    return decision, tuple(_text(i, "policy_ids") for i in ids)


def _time_s(value: Any) -> float:
    # OCSF timestamps are milliseconds since the epoch.
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise AccessEventError("time")
    return float(value) / 1000.0


def parse_access_event(
    key: bytes | str | None,
    value: bytes | None,
    headers: RawHeaders,
) -> AccessEvent:
    """Check the CloudEvents envelope and the OCSF body; raise AccessEventError if broken."""
    hdr = _headers(headers)
    if any(not hdr.get(name) for name in _REQUIRED_HEADERS):
        raise AccessEventError("cloudevents_headers")
    if hdr["ce_specversion"] != "1.0":
        raise AccessEventError("specversion")
    if hdr["ce_type"] != ACCESS_EVENT_TYPE:
        raise AccessEventError("type")
    if not hdr.get("content-type", "").startswith("application/json"):
        raise AccessEventError("content_type")
    if value is None or len(value) > MAX_VALUE_BYTES:
        raise AccessEventError("size")
    try:
        body = _obj(orjson.loads(value), "body")
    except orjson.JSONDecodeError:
        raise AccessEventError("json") from None
    if body.get("class_uid") not in (OCSF_API_ACTIVITY, OCSF_DATASTORE_ACTIVITY):
        raise AccessEventError("class_uid")
    user = _obj(_obj(body.get("actor"), "actor").get("user"), "actor")
    actor = _text(user.get("uid"), "actor")
    key_text = key.decode("utf-8", "replace") if isinstance(key, bytes) else key
    if key_text != actor:
        raise AccessEventError("key_not_actor")
    decision, policy_ids = _authorization(body)
    unmapped = body.get("unmapped") or {}
    unmapped = _obj(unmapped, "unmapped")
    mutating = unmapped.get("mutating", False)
    status_id = body.get("status_id", 0)
    if not isinstance(mutating, bool):
        raise AccessEventError("mutating")
    if isinstance(status_id, bool) or not isinstance(status_id, int):
        raise AccessEventError("status_id")
    resources = _resources(body)
    return AccessEvent(
        actor=actor,
        groups=_groups(user),
        operation=_text(_obj(body.get("api"), "api").get("operation"), "operation"),
        workflows=tuple(uid for kind, uid in resources if kind.lower() == "workflow"),
        resources=resources,
        src_ip=_text(_obj(body.get("src_endpoint"), "src_endpoint").get("ip"), "src_ip",
                     required=False),
        status_id=status_id,
        decision=decision,
        policy_ids=policy_ids,
        ticket=_text(unmapped.get("ticket"), "ticket", required=False),
        justification=_text(unmapped.get("justification"), "justification", required=False),
        session_mode=_text(unmapped.get("session_mode"), "session_mode", required=False),
        mutating=mutating,
        time_s=_time_s(body.get("time")),
    )
