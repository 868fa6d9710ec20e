"""The entry point of a worker process, started by the supervisor with ``spawn``.

Exit codes (:mod:`processor.exit_codes`): 0 clean (stopped or idle), 1 stream failure
(fatal, fenced, or retries exhausted), 2 refusing to start (invalid rules or settings,
bad client properties, missing topics), 3 a Kafka call hung.
"""

from __future__ import annotations

import ctypes
import logging
import queue
import signal
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

from confluent_kafka import KafkaException

from processor import metrics
from processor.errors import LogscrubError
from processor.exit_codes import ExitCode, exit_code_for
from processor.settings import Settings
from processor.stream.heartbeat import Heartbeat
from processor.stream.kafka_errors import to_stream_error

__all__ = [
    "STATE_EXITED",
    "STATE_READY",
    "STATE_STARTING",
    "worker_main",
]

STATE_STARTING = 0
STATE_READY = 1
STATE_EXITED = 2

_PR_SET_PDEATHSIG = 1

log = logging.getLogger(__name__)


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when the supervisor dies (as a pod kill would)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the supervisor still forwards signals
        pass


def _swapper(
    reloads: Any, first: Any, wrap: Callable[[Any], Any] = lambda s: s
) -> Callable[[], Any]:
    """A callable returning the scrubber of the newest queued rule set, or None.

    ``first`` is the rules scrubber (:class:`processor.pipeline.Scrubber`) the worker
    started with; ``wrap`` turns a rules scrubber into what the worker runs (the
    format-aware scrubber).
    """
    current = first

    def next_scrubber() -> Any:
        nonlocal current
        candidate = None
        while reloads is not None:
            try:
                candidate = reloads.get_nowait()
            except queue.Empty:
                break
        if candidate is None:
            return None
        try:
            fresh = current.with_rules(candidate.ruleset, candidate.scrub)
        except LogscrubError as exc:  # validated by the supervisor; keep the old rules anyway
            log.error("reloaded rule set refused, keeping %s: %s", current.ruleset_version, exc)
            return None
        metrics.RULESET_INFO.labels(version=current.ruleset_version).set(0)
        metrics.RULESET_INFO.labels(version=fresh.ruleset_version).set(1)
        current = fresh
        return wrap(fresh)

    return next_scrubber


def worker_main(
    settings: Settings,
    index: int,
    exit_when_idle: float | None,
    states: Any,
    heartbeat: Heartbeat | None = None,
    reloads: Any = None,
) -> None:
    """Run worker ``index`` until stopped or idle, then exit with its exit code.

    ``reloads`` is the queue on which the supervisor sends validated rule sets
    (:class:`processor.stream.reload.Candidate`).
    """
    _die_with_parent()
    logging.basicConfig(
        level=settings.log_level,
        format=f"%(asctime)s %(levelname)s worker-{index} %(name)s: %(message)s",
    )
    metrics.WORKER_STARTS.inc()
    stop_requested = False
    worker: Any = None

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        nonlocal stop_requested
        stop_requested = True
        if worker is not None:
            worker.request_stop()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    # A reload is the supervisor's business: a SIGHUP sent to the whole process group
    # (or by name) must not end a worker.
    signal.signal(signal.SIGHUP, signal.SIG_IGN)

    code = ExitCode.OK
    try:
        from processor.formats.factory import build_format_scrubber
        from processor.pipeline import Scrubber  # heavy import: rules and the NER model
        from processor.stream.worker import Worker

        rules_scrubber = Scrubber.from_settings(settings.scrub)
        scrubber = build_format_scrubber(rules_scrubber, settings.formats)
        metrics.RULESET_INFO.labels(version=scrubber.ruleset_version).set(1)

        def _wrap(fresh: Any) -> Any:
            return build_format_scrubber(fresh, settings.formats)

        def _ready() -> None:
            states[index] = STATE_READY

        worker = Worker(settings, index, scrubber, exit_when_idle=exit_when_idle, on_ready=_ready,
                        heartbeat=heartbeat,
                        next_scrubber=_swapper(reloads, rules_scrubber, _wrap))
        if stop_requested:
            worker.request_stop()
        code = worker.run()
    except LogscrubError as exc:
        code = exit_code_for(exc)
        what = "refusing to start" if code == ExitCode.INVALID else "stream failure, exiting"
        log.error("%s: %s", what, exc)
    except KafkaException as exc:  # raised by the client constructors: bad client properties
        log.error("refusing to start: %s", to_stream_error(exc, "Kafka client setup"))
        code = ExitCode.INVALID
    finally:
        states[index] = STATE_EXITED
    logging.shutdown()
    sys.exit(code)
