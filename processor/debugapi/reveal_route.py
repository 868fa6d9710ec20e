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

import re
from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from processor.debugapi.audit_event import AccessRecord
from processor.debugapi.auth import Identity
from processor.debugapi.deps import Access, Caller, Context, record_decision
from processor.debugapi.policies import Decision, RequestContext, WorkflowResource
from processor.debugapi.services import Services, Svc
from processor.masking.encryption import ParsedToken

__all__ = ["PERMITTED_PATH", "REVEAL_PATH", "router"]

REVEAL_PATH = "/api/v1/reveal"
PERMITTED_PATH = "/api/v1/reveal/permitted"
router = APIRouter(prefix="/api/v1")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# A token found in more records than this is refused: its workflows cannot all be checked.
_MAX_RECORDS_PER_TOKEN = 200


class RevealBody(BaseModel):
    """Tokens to reveal and why."""

    model_config = ConfigDict(extra="forbid")
    tokens: list[str] = Field(min_length=1, max_length=200)
    reason: str = Field(min_length=1, max_length=500)


async def _decide(svc: Services, caller: Identity, ctx: RequestContext, rec: AccessRecord,
                  token: str, parsed: ParsedToken) -> tuple[list[Decision], str | None]:
    """Cedar's Reveal verdicts for every workflow run holding ``token``, or a problem code."""
    rows = await run_in_threadpool(svc.store.find_records_with, token,
                                   _MAX_RECORDS_PER_TOKEN + 1)
    if not rows:
        return [], "token_not_indexed"
    if len(rows) > _MAX_RECORDS_PER_TOKEN:
        return [], "token_too_widespread"
    resources = {WorkflowResource(r.workflow_id, r.run_id, r.service, r.namespace,
                                  r.workflow_type) for r in rows}
    context = RequestContext(ctx.ticket, ctx.justification, ctx.now_s, parsed.entity,
                             parsed.kid)
    targets: list[WorkflowResource | None] = [*sorted(resources, key=lambda w: w.uid)]
    rec.resources += sorted({("Workflow", w.uid) for w in resources})
    return svc.engine.decide_many(caller, "Reveal", targets, context), None


class PermittedBody(BaseModel):
    """Tokens shown on the page, to learn which ones the caller may reveal."""

    model_config = ConfigDict(extra="forbid")
    tokens: list[str] = Field(min_length=1, max_length=50)


@router.post(PERMITTED_PATH.removeprefix("/api/v1"),
             summary="Which tokens the caller may reveal now (decrypts nothing)")
async def reveal_permitted(svc: Svc, caller: Caller, ctx: Context, rec: Access,
                           body: PermittedBody) -> dict[str, Any]:
    """One boolean per token: would Reveal be allowed (the budget aside)? For the page."""
    rec.operation = "CheckReveal"
    if svc.revealer is None:
        return {"permitted": [False] * len(body.tokens)}
    out: list[bool] = []
    decisions: list[Decision] = []
    for token in body.tokens:
        parsed = svc.revealer.parse(token)
        if parsed is None:
            out.append(False)
            continue
        verdicts, problem = await _decide(svc, caller, ctx, rec, token, parsed)
        decisions += verdicts
        out.append(problem is None and all(v.allowed for v in verdicts))
    rec.resources = sorted(set(rec.resources))
    record_decision(rec, "CheckReveal", decisions)
    rec.decision, rec.reason = "allow", ""  # answering the question is allowed
    return {"permitted": out}


@router.post(REVEAL_PATH.removeprefix("/api/v1"),
             summary="Decrypt ENC tokens (Cedar Reveal, ticket, grant, budget; audited)")
async def reveal(svc: Svc, caller: Caller, ctx: Context, rec: Access,
                 body: RevealBody) -> Any:
    """The values of the tokens, or why not; never cached."""
    rec.operation = "Reveal"
    rec.justification = rec.justification or _CONTROL.sub(" ", body.reason)[:500]
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
    # the entity types asked for, as resources of type Entity (the audit report counts them)
    rec.resources += sorted({("Entity", p.entity) for p in parsed if p is not None})
    decisions = []
    for token, p in zip(tokens, parsed, strict=True):
        assert p is not None
        verdicts, problem = await _decide(svc, caller, ctx, rec, token, p)
        decisions += verdicts
        if problem is not None or not all(v.allowed for v in verdicts):
            rec.reveals.append((p.entity, p.kid, "denied"))
            if problem is not None:
                rec.reason = problem
                raise HTTPException(404 if problem == "token_not_indexed" else 403, problem)
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
