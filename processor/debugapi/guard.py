"""The ASGI middleware around every request: identity, limits, audit, headers, access log.

Order per request: authenticate (the result is kept for the handlers), rate-limit per
actor, cap the body, refuse any mutating method (405), run the app with its response
held back, write the audit event and wait for the broker's acknowledgement, and only
then send the response, with security headers. When the audit event cannot be written
in time the client gets 503 and no data.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from processor.debugapi.audit_event import AccessRecord
from processor.debugapi.audit_sink import AuditSink
from processor.debugapi.auth import Authenticator
from processor.debugapi.metrics import DebugApiMetrics
from processor.errors import AuditError, AuthError

__all__ = [
    "EXPLAIN_PATH",
    "READ_ONLY_POSTS",
    "REPLAYS_PATH",
    "SAFE_METHODS",
    "SECURITY_HEADERS",
    "Guard",
    "RateLimiter",
]

log = logging.getLogger(__name__)
access_log = logging.getLogger("logscrub.debugapi.access")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
EXPLAIN_PATH = "/api/v1/explain"
REVEAL_PATH = "/api/v1/reveal"
#: POST endpoints that change nothing (their input is too large or too secret for a URL)
READ_ONLY_POSTS = frozenset({EXPLAIN_PATH, REVEAL_PATH, REVEAL_PATH + "/permitted"})
#: The one endpoint that writes (to staging topics only): audited as mutating, not refused.
REPLAYS_PATH = "/api/v1/replays"
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"content-security-policy",
     b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     b"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"),
)
_TICKET = re.compile(r"^[A-Za-z0-9._:/-]{1,64}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class RateLimiter:
    """A token bucket per actor: ``per_minute`` requests, refilled continuously."""

    def __init__(self, per_minute: int, max_actors: int = 10_000) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.max_actors = max_actors
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        """Take one token for ``key``; False when its bucket is empty."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            while len(self._buckets) > self.max_actors:
                self._buckets.popitem(last=False)
            return allowed


def _json_response(status: int, error: str) -> tuple[Message, bytes]:
    body = json.dumps({"error": error}).encode()
    start: Message = {
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode())],
    }
    return start, body


def header_text(headers: Headers, name: str, limit: int) -> str:
    """A request header as audit-safe text: control characters dropped, length capped."""
    return _CONTROL.sub("", headers.get(name, ""))[:limit]


class Guard:
    """Pure ASGI middleware; see the module docstring for the order of steps."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        authenticator: Authenticator,
        sink: AuditSink,
        limiter: RateLimiter,
        max_body_bytes: int,
        public: dict[str, str] | None = None,
        mask_text: Callable[[str], str] | None = None,
        metrics: DebugApiMetrics | None = None,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.authenticator = authenticator
        self.sink = sink
        self.limiter = limiter
        self.max_body_bytes = max_body_bytes
        self.public = dict(public or {})
        self.mask_text = mask_text or (lambda text: text)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.monotonic()
        headers = Headers(scope=scope)
        method, path = scope["method"], scope["path"]
        client = scope.get("client") or ("", 0)
        rec = AccessRecord(method=method, path=path[:300], src_ip=str(client[0]))
        rec.mutating = method not in SAFE_METHODS and not (
            method == "POST" and path in READ_ONLY_POSTS
        )
        ticket = header_text(headers, "x-debug-ticket", 64)
        rec.ticket = ticket if _TICKET.match(ticket) else ""
        rec.justification = header_text(headers, "x-debug-justification", 500)
        auth_error = ""
        identity = None
        try:
            identity = self.authenticator.authenticate(headers.get("authorization"))
            rec.actor, rec.groups, rec.auth_method = identity.sub, identity.groups, identity.method
        except AuthError as exc:
            auth_error = exc.reason
        if path in self.public and method in SAFE_METHODS:
            rec.operation, rec.decision, rec.policy_ids = self.public[path], "allow", ("public",)
        state = scope.setdefault("state", {})
        state.update(identity=identity, auth_error=auth_error, access=rec)

        status, held_start, held_body = await self._dispatch(scope, receive, rec, headers, ticket)
        rec.status_code = status
        # caller-typed text is scrubbed before it is audited or logged (a pasted secret)
        rec.justification = self.mask_text(rec.justification)
        rec.path = self.mask_text(rec.path)
        if status >= 400:  # ids then come from the request, not from the (masked) index
            rec.resources = [(kind, self.mask_text(uid)) for kind, uid in rec.resources]
        try:
            await self.sink.emit(rec)
        except AuditError as exc:
            log.error("request %s refused: %s", rec.request_id, exc)
            if self.metrics is not None:
                self.metrics.audit_write_failures.inc()
            held_start, held_body = _json_response(503, "audit_unavailable")
            rec.status_code = 503
        extra = [(b"x-request-id", rec.request_id.encode())]
        held_start = {**held_start,
                      "headers": [*held_start.get("headers", []), *SECURITY_HEADERS, *extra]}
        await send(held_start)
        await send({"type": "http.response.body", "body": held_body, "more_body": False})
        if self.metrics is not None:
            self.metrics.answered(rec.status_code)
        access_log.info(json.dumps({
            "request_id": rec.request_id, "method": method, "path": rec.path,
            "status": rec.status_code, "actor": rec.actor, "decision": rec.decision,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
        }))

    async def _dispatch(
        self, scope: Scope, receive: Receive, rec: AccessRecord, headers: Headers, ticket: str
    ) -> tuple[int, Message, bytes]:
        """Run the checks and the app; return the status, start message and whole body."""
        key = rec.actor if rec.auth_method != "none" else f"ip:{rec.src_ip}"
        refusal: tuple[int, str] | None = None
        if not self.limiter.allow(key):
            refusal = (429, "rate_limited")
        elif rec.mutating and not (scope["method"] == "POST" and scope["path"] == REPLAYS_PATH):
            refusal = (405, "method_not_allowed")
            rec.policy_ids = ("read-only-session",)
        elif ticket and not rec.ticket:
            refusal = (400, "invalid_ticket")
        else:
            length = headers.get("content-length")
            if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
                refusal = (413, "body_too_large")
        if refusal is not None:
            rec.decision, rec.reason = "deny", refusal[1]
            start, body = _json_response(*refusal)
            if refusal[0] == 405:
                start["headers"].append((b"allow", b"GET, HEAD"))
            return refusal[0], start, body

        received = 0

        async def capped_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise _BodyTooLarge
            return message

        held: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def hold(message: Message) -> None:
            if message["type"] == "http.response.start":
                held["start"] = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await self.app(scope, capped_receive, hold)
        except _BodyTooLarge:
            rec.decision, rec.reason = "deny", "body_too_large"
            start, body = _json_response(413, "body_too_large")
            return 413, start, body
        except Exception as exc:  # any failure becomes a generic 500
            log.error("request %s failed: %s", rec.request_id, type(exc).__name__)
            rec.decision, rec.reason = "deny", "internal_error"
            start, body = _json_response(500, "internal_error")
            return 500, start, body
        start = held.get("start") or _json_response(500, "internal_error")[0]
        return int(start["status"]), start, b"".join(chunks)


class _BodyTooLarge(Exception):
    """Raised inside the app's receive when the body passes the cap."""
