"""``POST /api/v1/replays`` and ``GET /api/v1/replays/{id}``: the one endpoint that writes.

A replay re-scrubs raw history into a staging topic. Cedar decides who may start one
(action ``Replay``; the bundled policies also require a ticket); the target must match
``replay.staging_pattern``; every request is audited by the Guard like any other.
Progress is polled with GET, which is authorised the same way.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from processor.debugapi.deps import Access, Caller, Context, authorize
from processor.debugapi.policies import WorkflowResource
from processor.debugapi.services import Svc
from processor.errors import ConfigError
from processor.replay.manager import ReplayJob
from processor.replay.runner import ReplayRequest

__all__ = ["router"]

router = APIRouter(prefix="/api/v1")

Topic = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]{1,249}$")]
Ident = Annotated[str, StringConstraints(min_length=1, max_length=200)]
RulesName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$")]


class ReplayBody(BaseModel):
    """Bounds (a run, or a topic with times or offsets), the rule set and the target."""

    model_config = ConfigDict(extra="forbid")
    output: Topic
    workflow_id: Ident | None = None
    run_id: Ident | None = None
    topic: Topic | None = None
    from_time: datetime | None = Field(default=None, alias="from")
    to_time: datetime | None = Field(default=None, alias="to")
    offsets: list[Annotated[str, StringConstraints(pattern=r"^\d+:\d+-\d+$")]] = Field(
        default_factory=list, max_length=256)
    #: A rules directory on the server, named relative to ``replay.rules_root``; absent:
    #: the server's own rules.
    rules: RulesName | None = None
    diff_against: RulesName | None = None


def _ms(value: datetime | None) -> int | None:
    return None if value is None else int(value.timestamp() * 1000)


def _rules_dir(svc: Any, name: str | None) -> Path | None:
    if name is None:
        return None
    root: Path | None = svc.settings.replay.rules_root
    if root is None or name.startswith("."):
        raise HTTPException(400, "unknown_rules")
    path = (root / name).resolve()
    if path.parent != root.resolve() or not path.is_dir():
        raise HTTPException(400, "unknown_rules")
    return path


def _job_json(job: ReplayJob) -> dict[str, Any]:
    s = job.state
    return {"id": s.replay_id, "status": s.status, "output": job.request.output,
            "started_by": job.actor, "ticket": job.ticket, "ruleset": s.ruleset,
            "total": s.total, "done": s.done, "written": s.written,
            "masked_whole": s.fallbacks, "started_at": s.started_s, "ended_at": s.ended_s,
            "error": s.error, "report": s.report}


@router.post("/replays", status_code=202, summary="Start a replay into a staging topic")
async def start_replay(svc: Svc, caller: Caller, ctx: Context, rec: Access,
                       body: ReplayBody) -> dict[str, Any]:
    """403 unless Cedar allows ``Replay``; 400 for a non-staging target or bad bounds."""
    resource = None
    if body.workflow_id is not None and body.run_id is not None:
        row = await run_in_threadpool(svc.store.get_run, body.workflow_id, body.run_id)
        resource = (WorkflowResource(row.workflow_id, row.run_id, row.service, row.namespace,
                                     row.workflow_type) if row
                    else WorkflowResource(body.workflow_id, body.run_id))
    authorize(svc.engine, rec, caller, "Replay", resource, ctx)
    if svc.replays is None:
        raise HTTPException(404, "not_found")
    request = ReplayRequest(
        output=body.output, topic=body.topic, from_ms=_ms(body.from_time),
        to_ms=_ms(body.to_time), offsets=tuple(body.offsets), workflow_id=body.workflow_id,
        run_id=body.run_id, rules_dir=_rules_dir(svc, body.rules),
        diff_against=_rules_dir(svc, body.diff_against),
    )  # fmt: skip
    rec.resources.append(("Topic", body.output))
    try:
        job = svc.replays.start(request, caller.sub, rec.ticket)
    except ConfigError:
        raise HTTPException(400, "refused_target") from None
    return _job_json(job)


@router.get("/replays/{replay_id}", summary="A replay's progress and, when done, its report")
async def get_replay(svc: Svc, caller: Caller, ctx: Context, rec: Access,
                     replay_id: Annotated[str, StringConstraints(pattern=r"^rp-[0-9a-f]{12}$")],
                     ) -> dict[str, Any]:
    """403 unless Cedar allows ``Replay``; 404 (after the check) when unknown."""
    authorize(svc.engine, rec, caller, "Replay", None, ctx)
    job = svc.replays.get(replay_id) if svc.replays is not None else None
    if job is None:
        raise HTTPException(404, "not_found")
    return _job_json(job)
