"""Replay through the debug API on the real broker: policy, ticket, staging only, audit."""

from __future__ import annotations

import json
import time
import uuid

import pytest
import yaml
from debugapi_harness import indexed, start_api
from kafka_broker import create_topic

pytestmark = pytest.mark.integration

__all__ = ["indexed"]  # the shared fixture, imported so pytest finds it

SEC_TOKEN = "it-sec-token-0123456789ab"


def _with_security_engineer(config):
    data = yaml.safe_load(config.read_text())
    data["debug_api"]["auth"]["static_tokens"].append(
        {"token": SEC_TOKEN, "sub": "sec", "groups": ["security"]})
    config.write_text(yaml.safe_dump(data))


def test_replay_api__policy_ticket_staging_and_audit(indexed, kafka, bootstrap, tmp_path):
    """A security engineer with a ticket replays a run into staging and polls it to the end;
    no ticket, a non-staging target and an on-call engineer are refused; all are audited."""
    topics, config, audit, secrets, port = indexed
    _with_security_engineer(config)
    staging = f"staging-{uuid.uuid4().hex[:10]}"
    create_topic(bootstrap, staging, 1)
    api = start_api(config, port, tmp_path / "api.log")
    sec = {"Authorization": f"Bearer {SEC_TOKEN}", "Content-Type": "application/json"}
    body = json.dumps({"workflow_id": "charge-100", "run_id": "run-1",
                       "output": staging}).encode()
    try:
        code, _h, denied = api.request("/api/v1/replays", method="POST", headers=sec, body=body)
        assert (code, denied) == (403, {"error": "forbidden"})  # no ticket
        code, _h, _b = api.request("/api/v1/replays", "alice", method="POST", body=body,
                                   headers={"X-Debug-Ticket": "INC-1",
                                            "Content-Type": "application/json"})
        assert code == 403  # on-call may read records, not replay
        clean_body = json.dumps({"workflow_id": "charge-100", "run_id": "run-1",
                                 "output": topics.clean}).encode()
        code, _h, refused = api.request("/api/v1/replays", method="POST", body=clean_body,
                                        headers={**sec, "X-Debug-Ticket": "INC-9"})
        assert (code, refused) == (400, {"error": "refused_target"})

        code, _h, started = api.request("/api/v1/replays", method="POST", body=body,
                                        headers={**sec, "X-Debug-Ticket": "INC-9"})
        assert code == 202, started
        replay_id = started["id"]
        deadline = time.monotonic() + 90
        while True:
            code, _h, state = api.request(f"/api/v1/replays/{replay_id}",
                                          headers={**sec, "X-Debug-Ticket": "INC-9"})
            assert code == 200, state
            if state["status"] in ("done", "failed"):
                break
            assert time.monotonic() < deadline, f"replay never finished: {state}\n{api.log()}"
            time.sleep(0.5)
        assert state["status"] == "done", state
        assert (state["total"], state["done"], state["started_by"]) == (8, 8, "sec")
        code, _h, _b = api.request("/api/v1/replays/rp-000000000000",
                                   headers={**sec, "X-Debug-Ticket": "INC-9"})
        assert code == 404
    finally:
        api.stop()

    out = kafka.read(staging, expect=8, settle=1)
    assert len(out) == 8
    assert {kafka.header(m, "scrub.replay") for m in out} == {replay_id}
    assert not any(s in (m.value() or b"") for m in out for s in secrets)
    events = [json.loads(m.value()) for m in kafka.read(audit, settle=2)]
    replays = [e for e in events if e["api"]["operation"] == "Replay"]
    outcomes = sorted((e["actor"]["user"]["uid"], e["authorizations"][0]["decision"],
                       e["http_response"]["code"]) for e in replays)
    assert ("alice", "deny", 403) in outcomes and ("sec", "deny", 403) in outcomes
    assert ("sec", "allow", 202) in outcomes and ("sec", "deny", 400) in outcomes
    started_event = next(e for e in replays if e["http_response"]["code"] == 202)
    assert started_event["unmapped"]["mutating"] is True
    assert started_event["unmapped"]["ticket"] == "INC-9"
