"""A run's status and steps, computed from its indexed records. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "RunEvent",
    "StepSummary",
    "Timeline",
    "build_timeline",
    "events_from_groups",
    "run_status",
]

_TERMINAL = {"completed": "completed", "failed": "failed", "retried": "retried"}


@dataclass(frozen=True, slots=True)
class RunEvent:
    """The part of one indexed record that the timeline needs."""

    step: str
    attempt: int
    event: str
    ts_ms: int
    duration_ms: int | None
    count: int = 1  # records this event stands for (aggregated reads)


@dataclass(frozen=True, slots=True)
class StepSummary:
    """One attempt of one step."""

    step: str
    attempt: int
    status: str  # running | completed | failed | retried
    started_ms: int
    ended_ms: int | None
    duration_ms: int | None
    records: int


@dataclass(frozen=True, slots=True)
class Timeline:
    """A run: status, time span and its steps in start order."""

    status: str
    started_ms: int
    ended_ms: int | None
    steps: tuple[StepSummary, ...]


def _step(step: str, attempt: int, events: list[RunEvent]) -> StepSummary:
    events.sort(key=lambda e: e.ts_ms)
    status = "running"
    ended: int | None = None
    for e in events:
        if e.event in _TERMINAL:
            status, ended = _TERMINAL[e.event], e.ts_ms
        elif e.event == "started" and status != "running" and ended is not None:
            status, ended = "running", None
    started = events[0].ts_ms
    explicit = next((e.duration_ms for e in reversed(events) if e.duration_ms is not None), None)
    duration = explicit if explicit is not None else (ended - started if ended else None)
    return StepSummary(step, attempt, status, started, ended, duration,
                       sum(e.count for e in events))


def run_status(steps: Iterable[StepSummary], run_events: list[RunEvent]) -> str:
    """``failed`` if a step's latest attempt failed, ``completed`` if all completed.

    A run-level record (no step) saying completed or failed decides on its own.
    """
    for e in sorted(run_events, key=lambda e: e.ts_ms, reverse=True):
        if e.event in ("completed", "failed"):
            return e.event
    latest: dict[str, StepSummary] = {}
    for s in steps:
        if s.step not in latest or s.attempt >= latest[s.step].attempt:
            latest[s.step] = s
    if not latest:
        return "running"
    statuses = {s.status for s in latest.values()}
    if "failed" in statuses:
        return "failed"
    if statuses == {"completed"}:
        return "completed"
    return "running"


def build_timeline(events: Iterable[RunEvent]) -> Timeline | None:
    """The timeline of one run's records, or None when there are none."""
    all_events = list(events)
    if not all_events:
        return None
    by_attempt: dict[tuple[str, int], list[RunEvent]] = {}
    run_level: list[RunEvent] = []
    for e in all_events:
        if e.step:
            by_attempt.setdefault((e.step, e.attempt), []).append(e)
        else:
            run_level.append(e)
    steps = sorted(
        (_step(step, attempt, evs) for (step, attempt), evs in by_attempt.items()),
        key=lambda s: (s.started_ms, s.step, s.attempt),
    )
    status = run_status(steps, run_level)
    started = min(e.ts_ms for e in all_events)
    ended = max(e.ts_ms for e in all_events) if status in ("completed", "failed") else None
    return Timeline(status, started, ended, tuple(steps))


def events_from_groups(
    groups: Iterable[tuple[str, int, str, int, int, int, int | None]],
) -> list[RunEvent]:
    """Events from ``(step, attempt, event, min_ts, max_ts, count, max_duration)`` groups.

    A group stands for its records: the event itself at its latest time (which is what
    decides a status) and, when it has more than one record, a plain ``log`` event at its
    earliest time (which is what decides when a step started).
    """
    out = []
    for step, attempt, event, first, last, count, duration in groups:
        if count > 1:
            out.append(RunEvent(step, attempt, "log", first, None, count - 1))
        out.append(RunEvent(step, attempt, event, last, duration, 1))
    return out
