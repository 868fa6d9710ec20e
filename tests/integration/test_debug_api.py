"""End to end on the real broker: raw logs → run → index → debug-api, and the audit trail."""

from __future__ import annotations

import json
import uuid

import pytest
from debugapi_harness import (
    free_port,
    indexed,
    run_index,
    run_start,
    seed_store,
    start_api,
    write_settings,
)
from kafka_broker import create_topic

pytestmark = pytest.mark.integration
__all__ = ["indexed"]  # the shared fixture, imported so pytest finds it

TIMELINE = "/api/v1/workflows/charge-100/runs/run-1/timeline"
RECORDS = "/api/v1/records?workflow_id=charge-100&run_id=run-1"
SHIP_RECORDS = "/api/v1/records?workflow_id=ship-5&run_id=run-9"


def test_end_to_end__timeline_drilldown_policies_and_audit(indexed, kafka, tmp_path):
    """The timeline is right, records are masked, each policy outcome holds and is audited."""
    topics, config, audit, secrets, port = indexed
    # Restarting the indexer indexes nothing twice.
    second = run_index(config, tmp_path / "index-2.log", idle=3)
    assert "0 records indexed" in second
    api = start_api(config, port, tmp_path / "api.log")
    expected: dict[str, tuple[str, str, int]] = {}  # request id -> actor, decision, status

    def call(path, who=None, method="GET", headers=None, decision="allow", status=200):
        code, hdrs, body = api.request(path, who, method, headers)
        assert code == status, (path, who, code, body)
        expected[hdrs["x-request-id"]] = (who or "anonymous", decision, status)
        return body

    try:
        runs = call("/api/v1/workflows", "alice")["runs"]
        assert [(r["workflow_id"], r["status"]) for r in runs] == [("charge-100", "completed")]
        tl = call(TIMELINE, "alice")
        t0 = run_start().isoformat(timespec="milliseconds").replace("+00:00", "Z")
        assert tl["status"] == "completed" and tl["started_at"] == t0
        assert [(s["step"], s["attempt"], s["status"]) for s in tl["steps"]] == [
            ("validate", 1, "completed"), ("charge", 1, "failed"), ("charge", 2, "completed")]
        assert tl["steps"][0]["duration_ms"] == 110

        recs = call(RECORDS, "alice", headers={"X-Debug-Ticket": "INC-1",
                                               "X-Debug-Justification": "failed charge"})
        assert len(recs["records"]) == 8
        blob = json.dumps(recs).encode()
        assert not any(s in blob for s in secrets)
        assert "[MASKED-EMAIL]" in blob.decode()
        assert all(r["scrub.source"].startswith(f"{topics.raw}/") for r in recs["records"])

        call(TIMELINE, None, decision="deny", status=401)
        call("/api/v1/workflows/ship-5/runs/run-9/timeline", "alice", decision="deny",
             status=403)
        call(RECORDS, "alice", decision="deny", status=403)  # no ticket
        call(SHIP_RECORDS, "sam", headers={"X-Debug-Ticket": "INC-2"}, decision="deny",
             status=403)
        call(SHIP_RECORDS, "dana", headers={"X-Debug-Ticket": "INC-7"})  # live grant
        call(SHIP_RECORDS, "erin", headers={"X-Debug-Ticket": "INC-8"}, decision="deny",
             status=403)  # expired grant
        call(TIMELINE, "alice", method="DELETE", decision="deny", status=405)
        status = call("/api/v1/status", "sam")
        assert status["auth"]["local_dev"] is True and status["index"]["records"] == 10
        assert status["index"]["lag"] == 0 and status["processor"]["lag"] == 0
        assert len(status["ruleset"]) >= 8
    finally:
        api.stop()

    events = kafka.read(audit, expect=len(expected), settle=2)
    by_id = {}
    for msg in events:
        headers = {k: v.decode() for k, v in msg.headers() or []}
        assert headers["ce_type"] == "dev.logscrub.debug.access.v1"
        assert headers["ce_specversion"] == "1.0"
        payload = json.loads(msg.value())
        assert msg.key().decode() == payload["actor"]["user"]["uid"]
        by_id[headers["ce_id"]] = payload
    assert set(expected) <= set(by_id)
    for request_id, (actor, decision, status) in expected.items():
        p = by_id[request_id]
        assert p["class_uid"] == 6003 and p["actor"]["user"]["uid"] == actor
        assert p["authorizations"][0]["decision"] == decision, (request_id, p)
        assert p["http_response"]["code"] == status
        assert p["unmapped"]["session_mode"] == "ro"
        assert p["unmapped"]["mutating"] is (status == 405)
    grant_event = next(p for p in by_id.values() if p["actor"]["user"]["uid"] == "dana")
    assert grant_event["unmapped"]["policy_ids"] == ["grant:live"]
    assert grant_event["unmapped"]["ticket"] == "INC-7"
    assert not any(s in json.dumps(list(by_id.values())).encode() for s in secrets)


@pytest.mark.parametrize("case", ["rejected", "missing"])
def test_audit_unwritable__503_with_no_data(bootstrap, tmp_path, case):
    """When the audit topic rejects the event, or does not exist, requests get 503 and no data."""
    audit = f"it-audit-{case}-{uuid.uuid4().hex[:8]}"
    if case == "rejected":
        # The broker refuses every event as too large for this topic.
        create_topic(bootstrap, audit, 1, config={"max.message.bytes": "64"})
    port = free_port()
    config = write_settings(tmp_path / "broken.yaml", bootstrap, "it-clean-unused",
                            tmp_path / "index.db", audit_topic=audit, port=port,
                            audit_timeout_ms=1500)
    seed_store(tmp_path / "index.db")
    api = start_api(config, port, tmp_path / "api-broken.log")
    try:
        for path, who in ((TIMELINE, "alice"), (RECORDS, "alice"), ("/api/v1/workflows", "sam")):
            code, _h, body = api.request(path, who, headers={"X-Debug-Ticket": "INC-1"})
            assert code == 503
            assert body == {"error": "audit_unavailable"}
        assert "audit event not" in api.log()
    finally:
        api.stop()
