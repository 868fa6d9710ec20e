"""The debug API's endpoints through a test client: policy outcomes, shapes, audit records."""

from __future__ import annotations

from .conftest import bearer

TIMELINE = "/api/v1/workflows/charge-1/runs/r1/timeline"


def test_list__only_runs_the_policy_allows(api_factory):
    """On-call for payments lists the payments runs but not the shipping one."""
    client, sink = api_factory()
    resp = client.get("/api/v1/workflows", headers=bearer("alice"))
    assert resp.status_code == 200
    runs = resp.json()["runs"]
    assert [r["workflow_id"] for r in runs] == ["charge-2", "charge-1"]
    assert set(runs[0]) == {"workflow_id", "run_id", "service", "status", "started_at",
                            "ended_at"}
    assert runs[0]["status"] == "failed" and runs[1]["status"] == "completed"
    assert sink.records[-1].decision == "allow"


def test_list__cursor_pages_through_every_run(api_factory):
    """limit=1 pages through all three runs for platform-like support access."""
    client, _ = api_factory()
    seen, cursor = [], None
    for _ in range(5):
        params = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/workflows", params=params, headers=bearer("sam")).json()
        seen += [r["workflow_id"] for r in body["runs"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == ["ship-1", "charge-2", "charge-1"]


def test_timeline__steps_attempts_and_status(api_factory):
    """The timeline shows each attempt with its status, duration and record count."""
    client, _ = api_factory()
    body = client.get(TIMELINE, headers=bearer("alice")).json()
    assert body["status"] == "completed"
    steps = [(s["step"], s["attempt"], s["status"], s["duration_ms"], s["records"])
             for s in body["steps"]]
    assert steps == [("validate", 1, "completed", 100, 2), ("charge", 1, "failed", 280, 2),
                     ("charge", 2, "completed", 400, 2)]
    assert body["started_at"].endswith("Z")


def test_timeline__403_for_other_service_and_404_only_after_the_check(api_factory):
    """A denied run gives 403, an unknown run 403 too unless a policy would allow it."""
    client, sink = api_factory()
    assert client.get("/api/v1/workflows/ship-1/runs/r3/timeline",
                      headers=bearer("alice")).status_code == 403
    assert sink.records[-1].decision == "deny"
    assert client.get("/api/v1/workflows/nope/runs/x/timeline",
                      headers=bearer("alice")).status_code == 403
    assert client.get("/api/v1/workflows/nope/runs/x/timeline",
                      headers=bearer("sam")).status_code == 404


def test_records__need_a_ticket_and_return_masked_values(api_factory):
    """Records are denied without a ticket and returned, masked, with one."""
    client, sink = api_factory()
    params = {"workflow_id": "charge-1", "run_id": "r1", "step": "charge"}
    denied = client.get("/api/v1/records", params=params, headers=bearer("alice"))
    assert denied.status_code == 403 and denied.json() == {"error": "forbidden"}
    assert sink.records[-1].policy_ids == ("records-need-ticket",)
    ok = client.get("/api/v1/records", params=params,
                    headers=bearer("alice", **{"X-Debug-Ticket": "INC-1"}))
    assert ok.status_code == 200
    records = ok.json()["records"]
    assert len(records) == 4 and all("[MASKED-EMAIL]" in r["record"] for r in records)
    assert records[0]["scrub.source"] == "raw/0/3"
    assert sink.records[-1].ticket == "INC-1" and sink.records[-1].decision == "allow"


def test_support__timeline_yes_records_no(api_factory):
    """Support may view timelines but never records, even with a ticket."""
    client, _ = api_factory()
    assert client.get(TIMELINE, headers=bearer("sam")).status_code == 200
    resp = client.get("/api/v1/records", params={"workflow_id": "charge-1", "run_id": "r1"},
                      headers=bearer("sam", **{"X-Debug-Ticket": "INC-1"}))
    assert resp.status_code == 403


def test_no_token__401_and_audited_as_anonymous(api_factory):
    """No or a wrong token gives 401; the audit record says who (nobody) and why."""
    client, sink = api_factory()
    assert client.get(TIMELINE).status_code == 401
    assert (sink.records[-1].actor, sink.records[-1].reason) == ("anonymous", "missing_token")
    assert client.get(TIMELINE, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert sink.records[-1].reason == "invalid_token"


def test_explain__masks_and_stores_nothing(api_factory):
    """Explain names the rule and entity and returns only masked output."""
    client, _ = api_factory()
    text = "mail bob@example.com now"
    resp = client.post("/api/v1/explain", json={"text": text}, headers=bearer("sec"))
    assert resp.status_code == 200
    body = resp.json()
    assert "bob@example.com" not in resp.text
    assert body["findings"][0]["entity"] == "EMAIL" and "[MASKED-EMAIL]" in body["masked"]
    assert client.post("/api/v1/explain", json={"text": text},
                       headers=bearer("alice")).status_code == 403


def test_audit_failure__503_without_data(api_factory):
    """When the audit event cannot be written the answer is 503 and holds no data."""
    client, sink = api_factory()
    sink.broken = True
    resp = client.get(TIMELINE, headers=bearer("alice"))
    assert resp.status_code == 503
    assert resp.json() == {"error": "audit_unavailable"}
    assert "charge" not in resp.text
    registry = sink.metrics.registry
    assert registry.get_sample_value("logscrub_debug_audit_write_failures_total") == 1
    assert registry.get_sample_value(
        "logscrub_debug_api_requests_total", {"status_class": "5xx"}) == 1


def test_answers__counted_by_status_class(api_factory):
    """/metrics counts answers by status class, with no actor or path in any label."""
    client, sink = api_factory()
    assert client.get(TIMELINE, headers=bearer("alice")).status_code == 200
    assert client.get(TIMELINE).status_code == 401
    registry = sink.metrics.registry
    assert registry.get_sample_value(
        "logscrub_debug_api_requests_total", {"status_class": "2xx"}) == 1
    assert registry.get_sample_value(
        "logscrub_debug_api_requests_total", {"status_class": "4xx"}) == 1
    assert registry.get_sample_value("logscrub_debug_audit_write_failures_total") == 0


def test_validation_errors__never_echo_values(api_factory):
    """A bad query parameter is named, its value is not repeated."""
    client, _ = api_factory()
    resp = client.get("/api/v1/workflows", params={"limit": "4111111111111111x"},
                      headers=bearer("alice"))
    assert resp.status_code == 422
    assert "4111" not in resp.text and resp.json()["fields"] == ["query.limit"]
    bad_cursor = client.get("/api/v1/workflows", params={"cursor": "secret@example.com"},
                            headers=bearer("alice"))
    assert bad_cursor.status_code == 400 and "example" not in bad_cursor.text


def test_audit__pasted_secrets_in_justification_and_path_are_masked(api_factory):
    """A secret typed into the justification or the URL path never reaches the audit trail."""
    client, sink = api_factory()
    client.get("/api/v1/workflows", headers=bearer(
        "alice", **{"X-Debug-Justification": "customer bob@example.com card 4111111111111111"}))
    rec = sink.records[-1]
    assert "bob@example.com" not in rec.justification and "[MASKED-EMAIL]" in rec.justification
    assert "4111111111111111" not in rec.justification
    client.get("/api/v1/workflows/carol@example.com/runs/r/timeline", headers=bearer("sam"))
    assert "carol@example.com" not in sink.records[-1].path
    assert "carol@example.com" not in str(sink.records[-1].resources)


def test_records__byte_budget_pages_without_losing_records(api_factory, monkeypatch):
    """With a tiny page budget, cursors still walk every record exactly once."""
    from processor.debugapi import routes

    monkeypatch.setattr(routes, "_MAX_PAGE_BYTES", 150)
    client, _ = api_factory()
    for params in ({"workflow_id": "charge-1", "run_id": "r1"}, {"workflow_id": "charge-1"}):
        seen, cursor = [], None
        for _ in range(20):
            page = client.get("/api/v1/records",
                              params={**params, **({"cursor": cursor} if cursor else {})},
                              headers=bearer("alice", **{"X-Debug-Ticket": "INC-1"})).json()
            assert len(page["records"]) <= 2
            seen += [r["id"] for r in page["records"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == sorted(set(seen)) and len(seen) == 7, params
