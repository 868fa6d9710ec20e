"""``logscrub run``: the flags, how they map onto settings, and the entry point.

``processor.cli`` owns the command line; it calls :func:`add_run_arguments`, loads the
settings with :func:`settings_overrides` applied, and calls :func:`run`.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from typing import Any

from processor.settings import ScrubSettings, Settings

__all__ = ["add_run_arguments", "run", "settings_overrides"]

log = logging.getLogger(__name__)


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the flags of ``logscrub run`` (``--config`` is added by the CLI itself)."""
    inputs = parser.add_mutually_exclusive_group()
    inputs.add_argument(
        "--input", action="append", metavar="TOPIC", help="raw topic to read (repeatable)"
    )
    inputs.add_argument("--input-pattern", metavar="REGEX", help="read every topic matching REGEX")
    parser.add_argument("--output", metavar="TOPIC", help="clean topic to write")
    parser.add_argument("--quarantine", metavar="TOPIC", help="quarantine topic to write")
    parser.add_argument("--bootstrap-servers", metavar="HOST:PORT[,...]")
    parser.add_argument("--group-id", metavar="GROUP", help="consumer group id")
    parser.add_argument(
        "--workers", type=int, metavar="N", help="worker processes (default: cores)"
    )
    parser.add_argument("--metrics-port", type=int, metavar="PORT", help="HTTP port (0: any free)")
    parser.add_argument(
        "--exit-when-idle",
        type=float,
        metavar="SECONDS",
        help="exit cleanly once the inputs have been idle this long (tests, backfills, Jobs)",
    )


def settings_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The nested settings overrides given by the flags of :func:`add_run_arguments`."""
    kafka: dict[str, Any] = {}
    if getattr(args, "input", None):
        kafka["inputs"] = list(args.input)
        kafka["input_pattern"] = None
    if getattr(args, "input_pattern", None):
        kafka["input_pattern"] = args.input_pattern
    for flag in ("output", "quarantine", "bootstrap_servers", "group_id"):
        value = getattr(args, flag, None)
        if value is not None:
            kafka[flag] = value
    out: dict[str, Any] = {}
    if kafka:
        out["kafka"] = kafka
    if getattr(args, "workers", None) is not None:
        out["workers"] = args.workers
    if getattr(args, "metrics_port", None) is not None:
        out["metrics"] = {"port": args.metrics_port}
    return out


def run(
    settings: Settings,
    exit_when_idle: float | None,
    load_scrub: Callable[[], ScrubSettings] | None = None,
) -> int:
    """Run the stream processor until stopped (or idle); return the process exit code.

    0: stopped cleanly. 1: a worker failed (fatal or fenced Kafka error, retries
    exhausted). 2: refused to start (invalid rules or settings, missing topics).
    """
    kafka = settings.kafka
    log.info(
        "logscrub run: %s -> %s (quarantine %s), group %s, %d workers",
        f"pattern {kafka.input_pattern}" if kafka.input_pattern else ",".join(kafka.inputs),
        kafka.output,
        kafka.quarantine,
        kafka.group_id,
        settings.workers,
    )
    # the Kafka client and the supervisor load only for `run`, not whenever the command
    # line is parsed
    from processor.stream.supervisor import supervise

    return supervise(settings, exit_when_idle, load_scrub)
