"""Read-only routes, limits and headers of the debug API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from starlette.routing import Route

from processor.debugapi.guard import RateLimiter

from .conftest import bearer


def _walk(routes: list[Any]) -> Iterator[Route]:
    for route in routes:
        if hasattr(route, "original_router"):  # an included router
            yield from _walk(route.original_router.routes)
        else:
            assert isinstance(route, Route), type(route)  # no mounts, no websockets
            yield route


def test_route_table__nothing_can_change_state(api_factory):
    """Walk every route: only GET/HEAD, plus POST on explain and reveal (which store
    nothing) and on replays (the one endpoint that writes, to staging topics only)."""
    client, _ = api_factory()
    seen = set()
    for route in _walk(client.app.routes):
        methods = set(route.methods or ())
        seen.add(route.path)
        if route.path in ("/api/v1/explain", "/api/v1/reveal", "/api/v1/reveal/permitted",
                          "/api/v1/replays"):
            assert methods == {"POST"}
        else:
            assert methods <= {"GET", "HEAD"}, route.path
    assert {"/api/v1/workflows", "/api/v1/records", "/api/v1/status", "/"} <= seen


def test_mutating_methods__405_audited_as_mutating(api_factory):
    """PUT, PATCH, DELETE and POST on any API path answer 405 and are audited as mutating."""
    client, sink = api_factory()
    for method in ("PUT", "PATCH", "DELETE", "POST"):
        for path in ("/api/v1/workflows", "/api/v1/records", "/api/v1/status",
                     "/api/v1/workflows/charge-1/runs/r1/timeline"):
            resp = client.request(method, path, headers=bearer("alice"))
            assert resp.status_code == 405, (method, path)
            rec = sink.records[-1]
            assert rec.mutating and rec.decision == "deny" and rec.actor == "alice"
    assert client.get("/api/v1/explain", headers=bearer("sec")).status_code == 405


def test_rate_limit__per_actor(api_factory):
    """An actor past its budget gets 429 while another actor is still served."""
    client, sink = api_factory(rate_limit_per_minute=3)
    codes = [client.get("/api/v1/workflows", headers=bearer("alice")).status_code
             for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    assert sink.records[-1].reason == "rate_limited"
    assert client.get("/api/v1/workflows", headers=bearer("sam")).status_code == 200


def test_rate_limiter__refills_over_time():
    """A bucket refills at per_minute/60 tokens a second."""
    limiter = RateLimiter(60)
    assert all(limiter.allow("a", now=0.0) for _ in range(60))
    assert not limiter.allow("a", now=0.0)
    assert limiter.allow("a", now=1.01)


def test_body_cap__413(api_factory):
    """A body over max_body_bytes is refused before the handler sees it."""
    client, _ = api_factory(max_body_bytes=1024)
    resp = client.post("/api/v1/explain", content=b'{"text":"' + b"a" * 5000 + b'"}',
                       headers=bearer("sec", **{"Content-Type": "application/json"}))
    assert resp.status_code == 413


def test_security_headers_and_no_cors(api_factory):
    """Every answer carries the security headers and no CORS grant."""
    client, _ = api_factory()
    for path in ("/", "/api/v1/workflows", "/nope"):
        resp = client.get(path, headers=bearer("alice", Origin="https://evil.example"))
        assert resp.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in resp.headers["content-security-policy"]
        assert resp.headers["cache-control"] == "no-store"
        assert "access-control-allow-origin" not in resp.headers


def test_openapi__served_and_lists_the_endpoints(api_factory):
    """The OpenAPI document is at /api/v1/openapi.json and names every endpoint."""
    client, sink = api_factory()
    spec = client.get("/api/v1/openapi.json").json()
    assert set(spec["paths"]) == {
        "/api/v1/workflows", "/api/v1/workflows/{workflow_id}/runs/{run_id}/timeline",
        "/api/v1/records", "/api/v1/explain", "/api/v1/status", "/api/v1/reveal",
        "/api/v1/reveal/permitted", "/api/v1/replays", "/api/v1/replays/{replay_id}"}
    assert sink.records[-1].operation == "ViewApiSpec"


def test_status__says_local_dev_mode(api_factory):
    """Status needs ViewStatus and reports the local-dev mode."""
    client, _ = api_factory()
    assert client.get("/api/v1/status", headers=bearer("eve")).status_code == 403
    assert client.get("/api/v1/status", headers=bearer("sam")).json()["auth"]["local_dev"]


def test_access_log__no_token_no_query(api_factory, caplog):
    """The access log names actor and status, never the token or query values."""
    client, _ = api_factory()
    with caplog.at_level("INFO", logger="logscrub.debugapi.access"):
        client.get("/api/v1/workflows", params={"service": "payments-secret-q"},
                   headers=bearer("alice"))
    text = caplog.text
    assert '"actor": "alice"' in text and '"status": 200' in text
    assert "alice-token" not in text and "payments-secret-q" not in text
