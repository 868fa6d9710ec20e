"""Replays started through the debug API: run in background threads, polled by id.

The manager keeps each replay's state (progress, outcome, diff report) in memory, with
the actor and ticket that started it; it forgets the oldest finished replays past
``_KEEP``. Errors are reduced to their type and the logscrub message, which never holds
record content.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, replace

from processor.errors import ConfigError, LogscrubError
from processor.settings import Settings

from .guard import check_target
from .runner import ReplayRequest, ReplayState, run_replay

__all__ = ["ReplayJob", "ReplayManager"]

log = logging.getLogger(__name__)

_KEEP = 100
_MAX_RUNNING = 2


@dataclass(slots=True)
class ReplayJob:
    """One replay, who started it and under which ticket."""

    request: ReplayRequest
    actor: str
    ticket: str
    state: ReplayState


class ReplayManager:
    """Starts replays (at most ``_MAX_RUNNING`` at once) and answers for their state."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._jobs: OrderedDict[str, ReplayJob] = OrderedDict()
        self._lock = threading.Lock()

    def start(self, request: ReplayRequest, actor: str, ticket: str) -> ReplayJob:
        """Check the target (staging only) and start the replay; raise ConfigError if refused."""
        check_target(self._settings, request.output, staging_only=True)
        with self._lock:
            running = sum(j.state.status in ("pending", "running") for j in self._jobs.values())
            if running >= _MAX_RUNNING:
                raise ConfigError("too many replays running; try again later")
            job = ReplayJob(request, actor, ticket, ReplayState(request.replay_id))
            self._jobs[request.replay_id] = job
            self._forget_old()
        threading.Thread(target=self._run, args=(job,), name=f"replay-{request.replay_id}",
                         daemon=True).start()
        return job

    def get(self, replay_id: str) -> ReplayJob | None:
        """A snapshot of the replay's job, or None when unknown."""
        with self._lock:
            job = self._jobs.get(replay_id)
            return None if job is None else replace(job, state=replace(job.state))

    def _run(self, job: ReplayJob) -> None:
        try:
            run_replay(self._settings, job.request, job.state)
            log.info("replay %s by %s done: %d records", job.request.replay_id, job.actor,
                     job.state.done)
        except LogscrubError as exc:
            job.state.status, job.state.error = "failed", f"{type(exc).__name__}: {exc}"
        except Exception as exc:  # never let a message that may quote data out
            job.state.status, job.state.error = "failed", type(exc).__name__
            log.error("replay %s failed (%s)", job.request.replay_id, type(exc).__name__)
        finally:
            job.state.ended_s = job.state.ended_s or time.time()

    def _forget_old(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.state.status in ("done", "failed")]
        for key in finished[: max(0, len(self._jobs) - _KEEP)]:
            del self._jobs[key]
