"""The audit event: CloudEvents binary mode around an OCSF 6003 payload."""

from __future__ import annotations

import json

from processor.debugapi.audit_event import CE_TYPE, AccessRecord, ocsf_payload, to_kafka_message


def _record(**kw):
    rec = AccessRecord(method="GET", path="/api/v1/records", src_ip="127.0.0.1", actor="alice",
                       groups=("oncall-payments",), operation="ViewRecords",
                       resources=[("Workflow", "charge-1/r1")], decision="allow",
                       policy_ids=("oncall-payments-view",), ticket="INC-1",
                       justification="failed charge", status_code=200)
    for k, v in kw.items():
        setattr(rec, k, v)
    return rec


def test_ocsf__required_and_issue_fields():
    """Every field the access monitor relies on is present with the right value."""
    p = ocsf_payload(_record())
    assert (p["class_uid"], p["category_uid"], p["activity_id"], p["type_uid"]) == (
        6003, 6, 2, 600302)
    assert p["actor"]["user"] == {"uid": "alice", "groups": [{"name": "oncall-payments"}]}
    assert p["api"]["operation"] == "ViewRecords"
    assert p["resources"] == [{"type": "Workflow", "uid": "charge-1/r1"}]
    assert p["src_endpoint"] == {"ip": "127.0.0.1"} and p["status_id"] == 1
    assert p["authorizations"][0]["decision"] == "allow"
    assert p["authorizations"][0]["policy_ids"] == ["oncall-payments-view"]
    assert p["unmapped"] == {"ticket": "INC-1", "justification": "failed charge",
                             "session_mode": "ro", "mutating": False, "auth_method": "none",
                             "policy_ids": ["oncall-payments-view"]}
    assert isinstance(p["time"], int) and p["metadata"]["version"]


def test_ocsf__denied_mutating_attempt():
    """A mutating attempt is activity Other, status Failure, decision deny."""
    p = ocsf_payload(_record(method="DELETE", mutating=True, decision="deny", status_code=405,
                             policy_ids=("read-only-session",)))
    assert (p["activity_id"], p["type_uid"], p["status_id"]) == (99, 600399, 2)
    assert p["authorizations"][0]["decision"] == "deny" and p["unmapped"]["mutating"] is True


def test_cloudevent__binary_mode_keyed_by_actor():
    """ce_* headers, JSON content type, the payload as value and the actor as key."""
    msg = to_kafka_message(_record())
    headers = {k: v.decode() for k, v in msg.headers.items()}
    assert headers["ce_type"] == CE_TYPE == "dev.logscrub.debug.access.v1"
    assert headers["ce_specversion"] == "1.0" and headers["content-type"] == "application/json"
    assert {"ce_id", "ce_source", "ce_time"} <= set(headers)
    assert msg.key in ("alice", b"alice")
    assert json.loads(msg.value)["class_uid"] == 6003
