"""Debug-access events exactly as the debug API writes them (issue 9, section 6).

CloudEvents 1.0 binary mode (built with the cloudevents SDK), key = actor, OCSF API
Activity 6003 body. A stand-in producer for the demo and the monitor's tests.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from cloudevents.core.bindings.kafka import to_binary_event
from cloudevents.core.v1.event import CloudEvent

ACCESS_TYPE = "dev.logscrub.debug.access.v1"


def ocsf_body(
    actor: str = "alice@example.com",
    *,
    decision: str = "allow",
    operation: str = "ViewTimeline",
    groups: tuple[str, ...] = ("support",),
    workflows: tuple[str, ...] = ("orders/run-1",),
    policy_ids: tuple[str, ...] = ("support-view-timelines",),
    ticket: str = "",
    justification: str = "",
    mutating: bool = False,
    time_ms: int | None = None,
) -> dict[str, Any]:
    """The OCSF 6003 payload of one debug-API request."""
    ms = int(time.time() * 1000) if time_ms is None else time_ms
    return {
        "class_uid": 6003,
        "category_uid": 6,
        "activity_id": 99 if mutating else 2,
        "type_uid": 600399 if mutating else 600302,
        "severity_id": 3 if decision == "deny" else 1,
        "time": ms,
        "metadata": {"version": "1.3.0", "product": {"name": "logscrub debug-api"}},
        "status_id": 1 if decision == "allow" else 2,
        "actor": {"user": {"uid": actor, "groups": [{"name": g} for g in groups]}},
        "api": {"operation": operation, "request": {"uid": uuid.uuid4().hex}},
        "resources": [{"type": "Workflow", "uid": w} for w in workflows],
        "src_endpoint": {"ip": "10.1.2.3"},
        "authorizations": [{"decision": decision, "policy_ids": list(policy_ids)}],
        "unmapped": {
            "ticket": ticket,
            "justification": justification,
            "session_mode": "ro",
            "mutating": mutating,
        },
    }


def access_message(
    actor: str = "alice@example.com", **fields: Any
) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    """``(key, value, headers)`` of one access event in CloudEvents binary mode."""
    event = CloudEvent(
        attributes={
            "type": ACCESS_TYPE,
            "source": "logscrub/debug-api",
            "id": uuid.uuid4().hex,
            "subject": actor,
            "datacontenttype": "application/json",
        },
        data=ocsf_body(actor, **fields),
    )
    msg = to_binary_event(event, key_mapper=lambda _e: actor)
    key = msg.key.encode() if isinstance(msg.key, str) else (msg.key or b"")
    return key, msg.value, sorted(msg.headers.items())
