"""Reusable FastAPI dependencies: the caller's identity, the request context, the gate."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from processor.debugapi.audit_event import AccessRecord
from processor.debugapi.auth import Identity
from processor.debugapi.policies import (
    Action,
    Decision,
    PolicyEngine,
    RequestContext,
    WorkflowResource,
)

__all__ = ["Access", "Caller", "Context", "authorize", "record_decision"]


def _access(request: Request) -> AccessRecord:
    rec = getattr(request.state, "access", None)
    if not isinstance(rec, AccessRecord):  # the Guard middleware always sets it
        raise HTTPException(500, "internal_error")
    return rec


def _identity(request: Request) -> Identity:
    identity = getattr(request.state, "identity", None)
    if not isinstance(identity, Identity):
        _access(request).reason = getattr(request.state, "auth_error", "") or "missing_token"
        raise HTTPException(401, "unauthenticated", headers={"WWW-Authenticate": "Bearer"})
    return identity


def _context(request: Request) -> RequestContext:
    rec = _access(request)
    return RequestContext(ticket=rec.ticket, justification=rec.justification)


Access = Annotated[AccessRecord, Depends(_access)]
Caller = Annotated[Identity, Depends(_identity)]
Context = Annotated[RequestContext, Depends(_context)]


def record_decision(rec: AccessRecord, operation: str, decisions: list[Decision]) -> None:
    """Put the outcome into the audit record: allow only if every decision allowed."""
    rec.operation = operation
    allowed = bool(decisions) and all(d.allowed for d in decisions)
    rec.decision = "allow" if allowed else "deny"
    rec.policy_ids = tuple(sorted({p for d in decisions for p in d.policy_ids}))
    if not allowed:
        rec.reason = "denied_by_policy"


def authorize(
    engine: PolicyEngine,
    rec: AccessRecord,
    identity: Identity,
    action: Action,
    resource: WorkflowResource | None,
    context: RequestContext,
) -> None:
    """Ask Cedar; record the outcome; raise 403 when denied."""
    decision = engine.decide(identity, action, resource, context)
    rec.resources.append(("Workflow", resource.uid) if resource else ("System", "debug-api"))
    record_decision(rec, action, [decision])
    if not decision.allowed:
        raise HTTPException(403, "forbidden")
