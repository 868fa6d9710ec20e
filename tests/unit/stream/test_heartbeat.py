"""/healthz fails for a worker that holds lag but has not committed within the window."""

from __future__ import annotations

import multiprocessing
from typing import Any

from processor.settings import load_settings
from processor.stream.heartbeat import Heartbeat
from processor.stream.supervisor import _Supervisor

CTX = multiprocessing.get_context("spawn")


def test_worker_with_lag_and_no_commit_in_the_window_is_stalled() -> None:
    """Lag plus no progress for longer than the window is a stall; a commit clears it."""
    hb = Heartbeat(CTX, 2)
    hb.reset(0, now=100.0)
    hb.lag(0, 25)
    assert not hb.stalled(0, 30.0, now=129.0)
    assert hb.stalled(0, 30.0, now=131.0)
    hb.progressed(0, now=131.0)
    assert not hb.stalled(0, 30.0, now=140.0)


def test_idle_worker_is_never_stalled() -> None:
    """Without lag or a batch in flight, a worker that last committed long ago is healthy."""
    hb = Heartbeat(CTX, 1)
    hb.reset(0, now=0.0)
    assert not hb.stalled(0, 30.0, now=10_000.0)


def test_batch_in_flight_counts_as_work_held() -> None:
    """A worker stuck on a consumed batch is stalled even before it measured any lag."""
    hb = Heartbeat(CTX, 1)
    hb.reset(0, now=0.0)
    hb.holding(0, 500)
    assert hb.stalled(0, 30.0, now=31.0)


class _Proc:
    def __init__(self, alive: bool, exitcode: int | None = None) -> None:
        self._alive, self.exitcode = alive, exitcode

    def is_alive(self) -> bool:
        return self._alive


def _supervisor(procs: list[Any]) -> _Supervisor:
    settings = load_settings(overrides={"workers": len(procs), "metrics": {"stall_after_s": 5}},
                             environ={})
    sup = _Supervisor(settings, exit_when_idle=None)
    sup.procs = procs
    for i in range(len(procs)):
        sup.heartbeat.reset(i)
    return sup


def test_supervisor_health_reflects_a_stalled_worker() -> None:
    """healthy() is False while one live worker is stalled, and True again once it commits."""
    sup = _supervisor([_Proc(True), _Proc(True)])
    assert sup.healthy()
    sup.heartbeat.lag(1, 10)
    sup.heartbeat.progressed(1, now=0.0)  # long ago on the monotonic clock
    assert not sup.healthy()
    sup.heartbeat.progressed(1)
    assert sup.healthy()


def test_supervisor_health_still_requires_live_workers() -> None:
    """A worker that died non-zero is unhealthy; one that exited cleanly is not."""
    assert _supervisor([_Proc(False, exitcode=0), _Proc(True)]).healthy()
    assert not _supervisor([_Proc(False, exitcode=1), _Proc(True)]).healthy()
