"""The parent process: spawns the workers, serves HTTP, forwards signals, picks the exit code.

Workers are started with ``spawn`` (never ``fork``: librdkafka threads do not survive a
fork, and each worker must import prometheus-client after ``PROMETHEUS_MULTIPROC_DIR``
is set). Before any worker starts, the rules and settings are validated, so that an
invalid rule set is one error line and exit code 2. SIGTERM or SIGINT is forwarded to
every worker, which commits its transaction in flight and leaves the group. A worker
that ended itself because a Kafka call hung (``ExitCode.HUNG``) is started again, a few times
at most. Any other worker that exits non-zero stops the others and makes the supervisor
exit non-zero, so that Kubernetes restarts the pod.

SIGHUP, or a change in the rules directory, reloads the rules and operator settings
(:mod:`processor.stream.reload`): the supervisor validates them, and only a valid rule
set is queued to every worker, which swaps at its next transaction boundary.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import FrameType
from typing import Any

from processor.exit_codes import ExitCode
from processor.metrics import mark_worker_dead
from processor.rules.loader import RuleSet
from processor.settings import ScrubSettings, Settings
from processor.stream.heartbeat import Heartbeat
from processor.stream.http_server import HealthServer
from processor.stream.reload import Candidate, Reloader, RulesWatcher
from processor.stream.worker_process import STATE_READY, STATE_STARTING, worker_main

__all__ = ["supervise", "validate"]

log = logging.getLogger(__name__)

#: How long workers get to finish and commit after SIGTERM before they are killed.
STOP_GRACE_S = 25.0
#: How often one worker may be started again after a hang before the pod gives up.
MAX_RESTARTS = 3


class _Supervisor:
    def __init__(
        self, settings: Settings, exit_when_idle: float | None, reloader: Reloader | None = None
    ) -> None:
        self.settings = settings
        self.reloader = reloader
        #: Why a reload was asked for (SIGHUP, the watcher); handled by the main loop.
        self.reload_reason: str | None = None
        self.reloaded = False
        self.queues: list[Any] = []
        self.exit_when_idle = exit_when_idle
        self.ctx = multiprocessing.get_context("spawn")
        self.states: Any = self.ctx.Array("i", settings.workers, lock=False)
        self.heartbeat = Heartbeat(self.ctx, settings.workers)
        self.procs: list[BaseProcess] = []
        self.stop_deadline: float | None = None
        self.exit_code = 0
        self.restarts: dict[int, int] = {}

    def healthy(self) -> bool:
        """Every worker alive (or exited cleanly), and none holding lag without committing."""
        window = self.settings.metrics.stall_after_s
        for index, proc in enumerate(self.procs):
            if proc.is_alive():
                if self.heartbeat.stalled(index, window):
                    return False
            elif proc.exitcode != 0:
                return False
        return True

    def ready(self) -> bool:
        return self.stop_deadline is None and all(
            self.states[i] == STATE_READY for i in range(len(self.procs))
        )

    def stop(self, reason: str) -> None:
        if self.stop_deadline is not None:
            return
        log.info("stopping workers: %s", reason)
        self.stop_deadline = time.monotonic() + STOP_GRACE_S
        for proc in self.procs:
            if proc.is_alive() and proc.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGTERM)

    def _start(self, index: int) -> BaseProcess:
        self.states[index] = STATE_STARTING
        self.heartbeat.reset(index)
        queue = self.ctx.Queue()
        # never block the supervisor's exit on a rule set a dead worker did not read
        queue.cancel_join_thread()
        if index < len(self.queues):
            self.queues[index] = queue
        else:
            self.queues.append(queue)
        if self.reloaded and self.reloader is not None:
            queue.put(self.reloader.current)  # a restarted worker runs the reloaded rules
        proc: BaseProcess = self.ctx.Process(
            target=worker_main,
            args=(self.settings, index, self.exit_when_idle, self.states, self.heartbeat, queue),
            name=f"logscrub-worker-{index}",
        )
        proc.start()
        return proc

    def run(self, multiproc_dir: Path) -> int:
        self.procs = [self._start(index) for index in range(self.settings.workers)]
        running = list(self.procs)
        while running:
            done = wait([p.sentinel for p in running], timeout=0.5)
            if self.reload_reason is not None:
                self._reload()
            for ended in [p for p in running if p.sentinel in done]:
                ended.join()
                running.remove(ended)
                if ended.pid is not None:
                    mark_worker_dead(ended.pid, multiproc_dir)
                index = self.procs.index(ended)
                if self._restartable(ended, index):
                    self.procs[index] = self._start(index)
                    running.append(self.procs[index])
                else:
                    self._on_exit(ended)
            if self.stop_deadline is not None and time.monotonic() > self.stop_deadline:
                for late in running:
                    log.error("%s did not stop in %.0f s, killing it", late.name, STOP_GRACE_S)
                    late.kill()
                self.exit_code = self.exit_code or ExitCode.FAILED
        return self.exit_code

    def _reload(self) -> None:
        reason, self.reload_reason = self.reload_reason or "", None
        if self.reloader is None or self.stop_deadline is not None:
            return
        candidate = self.reloader.attempt(reason)
        if candidate is None:
            return
        self.reloaded = True
        for proc, queue in zip(self.procs, self.queues, strict=True):
            if proc.is_alive():
                queue.put(candidate)

    def _restartable(self, proc: BaseProcess, index: int) -> bool:
        if proc.exitcode != ExitCode.HUNG or self.stop_deadline is not None:
            return False
        self.restarts[index] = self.restarts.get(index, 0) + 1
        if self.restarts[index] > MAX_RESTARTS:
            return False
        log.warning("%s hung in a Kafka call; starting it again (%d of %d)",
                    proc.name, self.restarts[index], MAX_RESTARTS)
        return True

    def _on_exit(self, proc: BaseProcess) -> None:
        code = proc.exitcode if proc.exitcode is not None else ExitCode.FAILED
        if code == 0:
            log.info("%s exited cleanly", proc.name)
            return
        log.error("%s exited with %s", proc.name, code)
        if not self.exit_code:
            self.exit_code = code if code > 0 else ExitCode.FAILED
        self.stop(f"{proc.name} failed")


def validate(settings: Settings) -> RuleSet:
    """Load the rules and build a scrubber without NER, as every worker will.

    Raises RuleError, RuleSetError or ConfigError before any worker is spawned, so that
    an invalid rule set is one clear error and exit code 2, not a worker's traceback.
    """
    from processor.pipeline import Scrubber
    from processor.rules.loader import load_rules

    ruleset = load_rules(settings.scrub.rules_dir)
    # loads the keyring too, when the encrypt operator needs one
    Scrubber.from_settings(settings.scrub.model_copy(update={"ner_enabled": False}))
    return ruleset


def supervise(
    settings: Settings,
    exit_when_idle: float | None,
    load_scrub: Callable[[], ScrubSettings] | None = None,
) -> int:
    """Run ``settings.workers`` worker processes until they stop; return the exit code.

    Validates the rules and settings first (see :func:`validate`). ``load_scrub`` reads
    the scrub settings again (the settings file and environment) on a reload; without
    it, a reload re-reads the rules directory with the settings given.
    """
    # a SIGHUP during start-up would end the process (the default action): ignore it until
    # the reload handler is in place; the rules are read fresh at start-up anyway
    original_hup = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        ruleset = validate(settings)
    except BaseException:
        signal.signal(signal.SIGHUP, original_hup)
        raise
    multiproc_dir = Path(tempfile.mkdtemp(prefix="logscrub-metrics-"))
    # prometheus-client's multiprocess mode is configured through this variable only;
    # the spawned workers inherit it.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(multiproc_dir)
    reloader = Reloader(load_scrub or (lambda: settings.scrub), Candidate(settings.scrub, ruleset))
    sup = _Supervisor(settings, exit_when_idle, reloader)

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        sup.stop(signal.Signals(signum).name)

    def _on_hup(signum: int, frame: FrameType | None) -> None:
        sup.reload_reason = "SIGHUP"

    def _on_change() -> None:
        sup.reload_reason = "rules directory changed"

    previous = {s: signal.signal(s, _on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    signal.signal(signal.SIGHUP, _on_hup)
    previous[signal.SIGHUP] = original_hup
    watcher = RulesWatcher(settings.scrub.rules_dir, _on_change)
    watcher.start()
    server: HealthServer | None = None
    try:
        if settings.metrics.enabled:
            server = HealthServer(
                settings.metrics.host,
                settings.metrics.port,
                multiproc_dir,
                healthy=sup.healthy,
                ready=sup.ready,
            )
            server.start()
        return sup.run(multiproc_dir)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        watcher.stop()
        if server is not None:
            server.stop()
        shutil.rmtree(multiproc_dir, ignore_errors=True)
