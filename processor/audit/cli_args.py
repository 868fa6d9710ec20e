"""The flags of ``logscrub audit report``, the ``--since`` parser and the command itself."""

from __future__ import annotations

import argparse
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from processor.errors import ConfigError
from processor.settings import Settings

__all__ = ["add_audit_arguments", "audit_overrides", "parse_since", "run_audit_report"]

_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_since(text: str, now: float | None = None) -> float:
    """``7d``, ``24h``, ``90m``, ``2w`` ago, or an ISO date/time (UTC unless it says)."""
    now = time.time() if now is None else now
    match = re.fullmatch(r"(\d{1,5})([mhdw])", text.strip())
    if match:
        return now - int(match.group(1)) * _UNITS[match.group(2)]
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError("--since takes 7d, 24h, 90m, 2w or an ISO date") from None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()


def add_audit_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``audit report`` and its flags."""
    sub = parser.add_subparsers(dest="audit_command", required=True)
    report = sub.add_parser("report", help="per-actor access review of the audit topic")
    report.add_argument("--since", default="7d", help="7d, 24h, 90m, 2w or an ISO date")
    report.add_argument("--format", choices=("html", "csv", "json"), default="html")
    report.add_argument("--output", type=Path, help="write here instead of stdout")
    report.add_argument("--bootstrap-servers", metavar="HOST:PORT[,...]")
    report.add_argument("--access-topic", metavar="TOPIC")


def audit_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The settings the flags override."""
    out: dict[str, Any] = {}
    if getattr(args, "bootstrap_servers", None):
        out["kafka"] = {"bootstrap_servers": args.bootstrap_servers}
    if getattr(args, "access_topic", None):
        out["monitor"] = {"access_topic": args.access_topic}
    return out


def run_audit_report(args: argparse.Namespace, settings: Settings) -> int:
    """Read the period's events and write the report; 0 on success."""
    from processor.audit.collect import collect
    from processor.audit.render import render

    summary = collect(settings, parse_since(args.since))
    text = render(summary, args.format)
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
