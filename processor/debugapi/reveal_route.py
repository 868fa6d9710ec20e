"""``POST /api/v1/reveal``: decrypt ``ENC[...]`` tokens, for those policy allows.

Order: parse the tokens (nothing is echoed back for a malformed one); find every indexed
record holding each token; ask Cedar ``Reveal`` for every workflow the token appears in
(a token copied into another workflow's logs gains nothing: the caller must be allowed
on all of them) with the token's entity and kid in the context; spend the actor's reveal
budget (429 past it); decrypt. The Guard middleware then writes the audit event (OCSF
6005, Decrypt) and sends this response only once Kafka acknowledged it; otherwise the
client gets 503 and no plaintext. Every outcome, allowed or not, is audited.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from processor.debugapi.deps import Access, Caller, Context, record_decision
from processor.debugapi.policies import RequestContext, WorkflowResource
from processor.debugapi.services import Svc

__all__ = ["REVEAL_PATH", "router"]

REVEAL_PATH = "/api/v1/reveal"
router = APIRouter(prefix="/api/v1")
# A token found in more records than this is refused: its workflows cannot all be checked.
_MAX_RECORDS_PER_TOKEN = 200


class RevealBody(BaseModel):
    """Tokens to reveal and why."""

    model_config = ConfigDict(extra="forbid")
    tokens: list[str] = Field(min_length=1, max_length=200)
    reason: str = Field(min_length=1, max_length=500)


@router.post(REVEAL_PATH.removeprefix("/api/v1"),
             summary="Decrypt ENC tokens (Cedar Reveal, ticket, grant, budget; audited)")
async def reveal(svc: Svc, caller: Caller, ctx: Context, rec: Access,
                 body: RevealBody) -> Any:
    """The values of the tokens, or why not; never cached."""
    rec.operation = "Reveal"
    rec.justification = rec.justification or body.reason.replace("\n", " ")[:500]
    revealer, budget = svc.revealer, svc.reveal_budget
    if revealer is None or budget is None:
        rec.reason = "reveal_not_configured"
        raise HTTPException(404, "reveal_not_configured")
    tokens = list(dict.fromkeys(body.tokens))
    if len(tokens) > svc.settings.debug_api.reveal_max_tokens:
        rec.reason = "too_many_tokens"
        raise HTTPException(400, "too_many_tokens")
    parsed = [revealer.parse(t) for t in tokens]
    if any(p is None for p in parsed):
        rec.reason = "malformed_token"
        raise HTTPException(400, "malformed_token")
    decisions = []
    for token, p in zip(tokens, parsed, strict=True):
        assert p is not None
        rows = await run_in_threadpool(svc.store.find_records_with, token,
                                       _MAX_RECORDS_PER_TOKEN + 1)
        if not rows or len(rows) > _MAX_RECORDS_PER_TOKEN:
            rec.reveals.append((p.entity, p.kid, "denied"))
            rec.reason = "token_not_indexed" if not rows else "token_too_widespread"
            raise HTTPException(404 if not rows else 403, rec.reason)
        resources = {WorkflowResource(r.workflow_id, r.run_id, r.service, r.namespace,
                                      r.workflow_type) for r in rows}
        context = RequestContext(ctx.ticket, ctx.justification, ctx.now_s, p.entity, p.kid)
        targets: list[WorkflowResource | None] = [
            *sorted(resources, key=lambda w: w.uid)]
        verdicts = svc.engine.decide_many(caller, "Reveal", targets, context)
        decisions += verdicts
        rec.resources += sorted({("Workflow", w.uid) for w in resources})
        if not all(v.allowed for v in verdicts):
            rec.reveals.append((p.entity, p.kid, "denied"))
            record_decision(rec, "Reveal", decisions)
            raise HTTPException(403, "forbidden")
    record_decision(rec, "Reveal", decisions)
    if not budget.take(caller.sub, len(tokens)):
        rec.decision, rec.reason = "deny", "reveal_budget_exceeded"
        rec.reveals += [(p.entity, p.kid, "over_budget") for p in parsed if p is not None]
        raise HTTPException(429, "reveal_budget_exceeded")
    outcomes = [await run_in_threadpool(revealer.reveal, t) for t in tokens]
    results: list[dict[str, Any]] = []
    for o in outcomes:
        rec.reveals.append((o.entity, o.kid, "revealed" if o.error is None else o.error))
        item: dict[str, Any] = {"token": o.token, "entity": o.entity, "kid": o.kid}
        item.update({"value": o.value} if o.error is None else {"error": o.error})
        results.append(item)
    if all(o.error is not None for o in outcomes):
        rec.reason = "unrecoverable"
        return JSONResponse({"error": "unrecoverable", "results": results}, 410)
    return {"results": results}
