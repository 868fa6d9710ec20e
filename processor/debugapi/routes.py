"""The read-only endpoints under ``/api/v1``. Every handler asks Cedar first."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from processor.debugapi.deps import Access, Caller, Context, authorize, record_decision
from processor.debugapi.policies import WorkflowResource
from processor.debugapi.services import Svc
from processor.index.store import (
    RecordQuery,
    RecordRow,
    RunQuery,
    RunRow,
    decode_cursor,
    encode_cursor,
)

__all__ = ["router"]

router = APIRouter(prefix="/api/v1")

Limit = Annotated[int, Query(ge=1, le=10_000)]
Since = Annotated[datetime | None, Query(description="ISO 8601, inclusive")]
Until = Annotated[datetime | None, Query(description="ISO 8601, exclusive")]
Ident = Annotated[str | None, Query(max_length=200)]
_MAX_SCANS = 20
#: A page of records stops growing past this many bytes of record text (the response is
#: held in memory until its audit event is acknowledged).
_MAX_PAGE_BYTES = 4 * 1024 * 1024


def _within_budget(rows: list[RecordRow]) -> list[RecordRow]:
    """The leading rows whose record text fits in one page (always at least one)."""
    size = 0
    for i, row in enumerate(rows):
        size += len(row.value)
        if i and size > _MAX_PAGE_BYTES:
            return rows[:i]
    return rows


def iso(ms: int | None) -> str | None:
    """Milliseconds since the epoch as ISO 8601 UTC."""
    if ms is None:
        return None
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def _ms(value: datetime | None) -> int | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp() * 1000)


def _cursor(cursor: str | None, types: tuple[type, ...]) -> Any:
    if cursor is None:
        return None
    try:
        return decode_cursor(cursor, types)
    except ValueError:
        raise HTTPException(400, "invalid_cursor") from None


def _run_resource(row: RunRow) -> WorkflowResource:
    return WorkflowResource(row.workflow_id, row.run_id, row.service, row.namespace,
                            row.workflow_type)


def _record_resource(row: RecordRow) -> WorkflowResource:
    return WorkflowResource(row.workflow_id, row.run_id, row.service, row.namespace,
                            row.workflow_type)


@router.get("/workflows", summary="List workflow runs the caller may see, newest first")
async def list_workflows(
    svc: Svc, caller: Caller, ctx: Context, rec: Access,
    service: Ident = None,
    status: Literal["running", "completed", "failed"] | None = None,
    since: Since = None, until: Until = None, limit: Limit = 50, cursor: str | None = None,
) -> dict[str, Any]:
    """Runs filtered by ``ViewTimeline`` per run; pages by cursor."""
    limit = min(limit, svc.settings.debug_api.page_size_max)
    key = _cursor(cursor, (int, str, str))
    runs: list[dict[str, Any]] = []
    decisions = []
    next_cursor: str | None = None
    for _ in range(_MAX_SCANS):
        query = RunQuery(service, status, _ms(since), _ms(until), limit, key)
        rows = await run_in_threadpool(svc.store.list_runs, query)
        verdicts = await run_in_threadpool(svc.engine.decide_many, caller, "ViewTimeline",
                                           [_run_resource(r) for r in rows], ctx)
        for row, verdict in zip(rows, verdicts, strict=True):
            key = (row.started_ms, row.workflow_id, row.run_id)
            if verdict.allowed:
                decisions.append(verdict)
                rec.resources.append(("Workflow", f"{row.workflow_id}/{row.run_id}"))
                runs.append({"workflow_id": row.workflow_id, "run_id": row.run_id,
                             "service": row.service, "status": row.status,
                             "started_at": iso(row.started_ms), "ended_at": iso(row.ended_ms)})
            if len(runs) == limit:
                break
        if len(rows) < limit:
            key = None
            break
        if len(runs) == limit:
            break
    if key is not None:
        next_cursor = encode_cursor(*key)
    record_decision(rec, "ListWorkflows", decisions)
    rec.decision = "allow"  # listing is allowed; each run was filtered by ViewTimeline
    rec.reason = ""
    return {"runs": runs, "next_cursor": next_cursor}


@router.get("/workflows/{workflow_id}/runs/{run_id}/timeline",
            summary="One run's steps on a time axis")
async def timeline(
    svc: Svc, caller: Caller, ctx: Context, rec: Access, workflow_id: str, run_id: str,
) -> dict[str, Any]:
    """403 unless ``ViewTimeline`` allows this run; 404 (after the check) when unknown."""
    row = await run_in_threadpool(svc.store.get_run, workflow_id, run_id)
    resource = _run_resource(row) if row else WorkflowResource(workflow_id, run_id)
    authorize(svc.engine, rec, caller, "ViewTimeline", resource, ctx)
    tl = await run_in_threadpool(svc.store.timeline, workflow_id, run_id)
    if row is None or tl is None:
        raise HTTPException(404, "not_found")
    return {
        "workflow_id": workflow_id, "run_id": run_id, "status": tl.status,
        "started_at": iso(tl.started_ms), "ended_at": iso(tl.ended_ms),
        "steps": [{"step": s.step, "attempt": s.attempt, "status": s.status,
                   "started_at": iso(s.started_ms), "ended_at": iso(s.ended_ms),
                   "duration_ms": s.duration_ms, "records": s.records} for s in tl.steps],
    }


def _record_json(row: RecordRow) -> dict[str, Any]:
    return {"id": row.id, "workflow_id": row.workflow_id, "run_id": row.run_id,
            "step": row.step, "attempt": row.attempt, "event": row.event,
            "time": iso(row.ts_ms), "service": row.service, "trace_id": row.trace_id,
            "scrub.source": row.source, "record": row.value}


@router.get("/records", summary="The masked records of a run, step or trace, oldest first")
async def records(
    svc: Svc, caller: Caller, ctx: Context, rec: Access,
    workflow_id: Ident = None, run_id: Ident = None, step: Ident = None,
    trace_id: Ident = None, since: Since = None, until: Until = None,
    limit: Limit = 50, cursor: str | None = None,
) -> dict[str, Any]:
    """``ViewRecords`` on one run (403 when denied), or per record across runs."""
    limit = min(limit, svc.settings.debug_api.page_size_max)
    key = _cursor(cursor, (int, int))
    if workflow_id is not None and run_id is not None:
        row = await run_in_threadpool(svc.store.get_run, workflow_id, run_id)
        resource = _run_resource(row) if row else WorkflowResource(workflow_id, run_id)
        authorize(svc.engine, rec, caller, "ViewRecords", resource, ctx)
        query = RecordQuery(workflow_id, run_id, step, trace_id, _ms(since), _ms(until),
                            limit, key)
        found = await run_in_threadpool(svc.store.list_records, query)
        kept = _within_budget(found)
        more = len(kept) < len(found) or len(found) == limit
        nxt = encode_cursor(kept[-1].ts_ms, kept[-1].id) if more and kept else None
        return {"records": [_record_json(r) for r in kept], "next_cursor": nxt}
    out: list[dict[str, Any]] = []
    decisions = []
    size = 0
    for _ in range(_MAX_SCANS):
        query = RecordQuery(workflow_id, run_id, step, trace_id, _ms(since), _ms(until),
                            limit, key)
        rows = await run_in_threadpool(svc.store.list_records, query)
        verdicts = await run_in_threadpool(svc.engine.decide_many, caller, "ViewRecords",
                                           [_record_resource(r) for r in rows], ctx)
        for item, verdict in zip(rows, verdicts, strict=True):
            prev_key, key = key, (item.ts_ms, item.id)
            decisions.append(verdict)
            if verdict.allowed:
                size += len(item.value)
                if out and size > _MAX_PAGE_BYTES:
                    key = prev_key  # this record starts the next page
                    break
                out.append(_record_json(item))
                rec.resources.append(("Workflow", f"{item.workflow_id}/{item.run_id}"))
            if len(out) == limit:
                break
        if size > _MAX_PAGE_BYTES:
            break  # the next page starts at the record that did not fit
        if len(rows) < limit:
            key = None
            break
        if len(out) == limit:
            break
    rec.resources = sorted(set(rec.resources))
    record_decision(rec, "ViewRecords", [d for d in decisions if d.allowed] or decisions)
    if not out and decisions:
        raise HTTPException(403, "forbidden")
    return {"records": out, "next_cursor": encode_cursor(*key) if key is not None else None}


class ExplainBody(BaseModel):
    """A record to explain; nothing of it is stored or logged."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=65_536)


@router.post("/explain", summary="Which rules would mask what in a text (stores nothing)")
async def explain(svc: Svc, caller: Caller, ctx: Context, rec: Access,
                  body: ExplainBody) -> dict[str, Any]:
    """The findings (positions, entity, rule) and the masked output."""
    authorize(svc.engine, rec, caller, "Explain", None, ctx)
    return await run_in_threadpool(svc.explain, body.text.encode("utf-8"))


@router.get("/status", summary="Processor and index lag, rule set version, auth mode")
async def status(svc: Svc, caller: Caller, ctx: Context, rec: Access) -> dict[str, Any]:
    """The service's view of the pipeline."""
    authorize(svc.engine, rec, caller, "ViewStatus", None, ctx)
    return await run_in_threadpool(svc.status)
