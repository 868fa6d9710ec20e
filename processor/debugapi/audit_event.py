"""The audit event of one request: OCSF API Activity (class 6003) in a CloudEvent.

A reveal is OCSF Datastore Activity (class 6005), activity Decrypt, with the same
actor, api, authorisation and ``unmapped`` fields plus, per token, its entity type,
kid and outcome.

Pure functions. The payload names who asked for what and what was decided; it never
holds record content, tokens, revealed values or query values beyond the resource ids.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from cloudevents.core.bindings.kafka import KafkaMessage, to_binary_event
from cloudevents.core.v1.event import CloudEvent

import processor

__all__ = ["CE_SOURCE", "CE_TYPE", "AccessRecord", "ocsf_payload", "to_kafka_message"]

CE_TYPE = "dev.logscrub.debug.access.v1"
CE_SOURCE = "logscrub/debug-api"
ANONYMOUS = "anonymous"

# OCSF API Activity: class 6003 in category 6 (Application Activity).
_CLASS_UID, _CATEGORY_UID = 6003, 6
_ACTIVITY_READ, _ACTIVITY_OTHER = 2, 99
# OCSF Datastore Activity: class 6005, activity Decrypt.
_DATASTORE_UID, _ACTIVITY_DECRYPT = 6005, 10
_OCSF_VERSION = "1.3.0"


@dataclass(slots=True)
class AccessRecord:
    """What the middleware and the handler learn about one request."""

    method: str
    path: str
    src_ip: str
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    time_ms: int = field(default_factory=lambda: int(time.time() * 1000))
    actor: str = ANONYMOUS
    groups: tuple[str, ...] = ()
    auth_method: str = "none"
    operation: str = ""
    resources: list[tuple[str, str]] = field(default_factory=list)  # (type, uid)
    decision: str = "deny"
    policy_ids: tuple[str, ...] = ()
    reason: str = ""
    ticket: str = ""
    justification: str = ""
    mutating: bool = False
    status_code: int = 0
    #: Reveal only: (entity, kid, outcome) per token; outcome ``revealed``, ``denied``
    #: or a reason code such as ``unknown_key``
    reveals: list[tuple[str, str, str]] = field(default_factory=list)


def ocsf_payload(rec: AccessRecord) -> dict[str, Any]:
    """The OCSF object of one request: 6005 Decrypt for a reveal, 6003 otherwise."""
    if rec.operation == "Reveal":
        return _reveal_payload(rec)
    return ocsf_payload_api(rec)


def ocsf_payload_api(rec: AccessRecord) -> dict[str, Any]:
    """The OCSF 6003 object of one request."""
    success = 200 <= rec.status_code < 400
    activity = _ACTIVITY_OTHER if rec.mutating else _ACTIVITY_READ
    denied = rec.decision != "allow"
    authorization: dict[str, Any] = {"decision": rec.decision}
    if rec.policy_ids:
        authorization["policy"] = {"uid": rec.policy_ids[0], "name": rec.policy_ids[0]}
    return {
        "class_uid": _CLASS_UID,
        "class_name": "API Activity",
        "category_uid": _CATEGORY_UID,
        "category_name": "Application Activity",
        "activity_id": activity,
        "activity_name": "Other" if rec.mutating else "Read",
        "type_uid": _CLASS_UID * 100 + activity,
        "severity_id": 3 if denied else 1,
        "time": rec.time_ms,
        "status_id": 1 if success else 2,
        "status": "Success" if success else "Failure",
        "status_code": str(rec.status_code),
        "message": rec.reason or ("allowed" if not denied else "denied"),
        "metadata": {
            "version": _OCSF_VERSION,
            "uid": rec.request_id,
            "product": {"name": "logscrub debug-api", "vendor_name": "logscrub",
                        "version": processor.__version__},
        },
        "actor": {
            "user": {"uid": rec.actor, "groups": [{"name": g} for g in rec.groups]},
        },
        "api": {"operation": rec.operation or f"{rec.method} {rec.path}",
                "request": {"uid": rec.request_id}},
        "resources": [{"type": t, "uid": u} for t, u in rec.resources],
        "src_endpoint": {"ip": rec.src_ip},
        "http_request": {"http_method": rec.method, "url": {"path": rec.path}},
        "http_response": {"code": rec.status_code},
        "authorizations": [{**authorization, "policy_ids": list(rec.policy_ids)}],
        "unmapped": {
            "ticket": rec.ticket,
            "justification": rec.justification,
            "session_mode": "ro",
            "mutating": rec.mutating,
            "auth_method": rec.auth_method,
            "policy_ids": list(rec.policy_ids),
        },
    }


def _reveal_payload(rec: AccessRecord) -> dict[str, Any]:
    """OCSF 6005 Datastore Activity, activity Decrypt, for one reveal request."""
    payload = ocsf_payload_api(rec)
    payload.update(
        class_uid=_DATASTORE_UID, class_name="Datastore Activity",
        activity_id=_ACTIVITY_DECRYPT, activity_name="Decrypt",
        type_uid=_DATASTORE_UID * 100 + _ACTIVITY_DECRYPT,
    )
    payload["unmapped"]["reveals"] = [
        {"entity": entity, "kid": kid, "outcome": outcome}
        for entity, kid, outcome in rec.reveals
    ]
    payload["unmapped"]["entities"] = sorted({e for e, _k, _o in rec.reveals if e})
    payload["unmapped"]["kids"] = sorted({k for _e, k, _o in rec.reveals if k})
    return payload


def to_kafka_message(rec: AccessRecord) -> KafkaMessage:
    """The CloudEvents 1.0 binary-mode Kafka message, keyed by the actor."""
    event = CloudEvent(
        attributes={
            "type": CE_TYPE,
            "source": CE_SOURCE,
            "id": rec.request_id,
            "subject": rec.actor,
            "datacontenttype": "application/json",
        },
        data=ocsf_payload(rec),
    )
    return to_binary_event(event, key_mapper=lambda _e: rec.actor)
