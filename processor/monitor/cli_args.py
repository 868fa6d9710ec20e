"""The flags of ``logscrub monitor`` and the settings they override (no faust import)."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["add_monitor_arguments", "monitor_overrides"]


def add_monitor_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the flags of ``logscrub monitor`` (``--config`` is added by the CLI itself)."""
    parser.add_argument("--bootstrap-servers", metavar="HOST:PORT[,...]")
    parser.add_argument("--access-topic", metavar="TOPIC", help="debug-access events to read")
    parser.add_argument("--alerts-topic", metavar="TOPIC", help="where burst events go")
    parser.add_argument("--metrics-port", type=int, metavar="PORT", help="HTTP port of /metrics")


def monitor_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The nested settings overrides given by the flags of :func:`add_monitor_arguments`."""
    out: dict[str, Any] = {}
    if args.bootstrap_servers is not None:
        out["kafka"] = {"bootstrap_servers": args.bootstrap_servers}
    monitor: dict[str, Any] = {}
    for flag in ("access_topic", "alerts_topic"):
        if getattr(args, flag) is not None:
            monitor[flag] = getattr(args, flag)
    if args.metrics_port is not None:
        monitor["port"] = args.metrics_port
    if monitor:
        out["monitor"] = monitor
    return out
