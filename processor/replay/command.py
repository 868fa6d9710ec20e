"""Flags and entry points of ``logscrub replay`` and ``logscrub snapshot [load]``."""

from __future__ import annotations

import argparse
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from processor.errors import ConfigError
from processor.exit_codes import ExitCode
from processor.settings import Settings

__all__ = ["add_commands", "run_command", "settings_overrides"]


def add_commands(sub: Any) -> None:
    """Add ``replay`` and ``snapshot`` to the CLI's subparsers."""
    replay = sub.add_parser("replay", help="re-scrub raw history into a staging topic")
    replay.add_argument("--topic", help="raw topic to read (with --from/--to or --offsets)")
    replay.add_argument("--from", dest="from_time", metavar="TIME",
                        help="first record time: ISO 8601 (2026-11-28T09:00:00Z) or epoch ms")
    replay.add_argument("--to", dest="to_time", metavar="TIME", help="end time (exclusive)")
    replay.add_argument("--offsets", action="append", metavar="P:START-END",
                        help="partition P, offsets START up to END exclusive (repeatable)")
    replay.add_argument("--workflow-id", help="replay one run's records, found in the index")
    replay.add_argument("--run-id")
    replay.add_argument("--rules", type=Path, help="rules directory to scrub with")
    replay.add_argument("--output", required=True, metavar="TOPIC", help="staging topic")
    replay.add_argument("--diff-against", type=Path, metavar="DIR",
                        help="also scrub with the rules in DIR and report the differences")
    replay.add_argument("--report", type=Path, metavar="FILE",
                        help="diff report path (default: replay-<id>-diff.json)")
    _common(replay)

    snap = sub.add_parser("snapshot", help="a run's clean records to a file, or load one")
    snap.add_argument("--workflow-id")
    snap.add_argument("--run-id")
    snap.add_argument("--out", type=Path, metavar="FILE", help="snapshot file to write")
    snap.add_argument("--clean-topic", metavar="TOPIC", help="default: kafka.output")
    _common(snap)
    snap_sub = snap.add_subparsers(dest="snapshot_command")
    load = snap_sub.add_parser("load", help="play a snapshot onto a staging topic")
    load.add_argument("file", type=Path)
    load.add_argument("--topic", required=True, metavar="TOPIC", help="staging topic")
    load.add_argument("--speed", type=float, default=1.0,
                      help="speed-up of the original timing (0: as fast as possible)")
    _common(load)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--bootstrap-servers", metavar="HOST:PORT[,...]")
    parser.add_argument("--sqlite-path", type=Path, help="the timeline index (SQLite)")


def settings_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """Settings given by the flags of these commands."""
    out: dict[str, Any] = {}
    if getattr(args, "bootstrap_servers", None):
        out["kafka"] = {"bootstrap_servers": args.bootstrap_servers}
    if getattr(args, "sqlite_path", None) is not None:
        out["index"] = {"sqlite_path": str(args.sqlite_path)}
    return out


def _ms(text: str | None) -> int | None:
    if text is None:
        return None
    if text.isdigit():
        return int(text)
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError("--from/--to take ISO 8601 times or epoch milliseconds") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return int(when.timestamp() * 1000)


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``replay``, ``snapshot`` or ``snapshot load``; return the exit code."""
    if args.command == "replay":
        return _replay(args, settings)
    if getattr(args, "snapshot_command", None) == "load":
        return _snapshot_load(args, settings)
    return _snapshot(args, settings)


def _replay(args: argparse.Namespace, settings: Settings) -> int:
    from .progress import print_table, tracker
    from .runner import ReplayRequest, ReplayState, run_replay

    req = ReplayRequest(
        output=args.output, topic=args.topic, from_ms=_ms(args.from_time),
        to_ms=_ms(args.to_time), offsets=tuple(args.offsets or ()),
        workflow_id=args.workflow_id, run_id=args.run_id, diff_against=args.diff_against,
    )  # fmt: skip
    state = ReplayState(req.replay_id)
    started = time.monotonic()
    with tracker(f"replay {req.replay_id}") as bar:
        run_replay(settings, req, state, lambda s: bar.update(s.done, s.total))
    seconds = time.monotonic() - started
    print_table(f"replay {req.replay_id}", ("", "value"), [
        ("output topic", req.output), ("ruleset", state.ruleset),
        ("records read", state.done), ("records written", state.written),
        ("masked whole (fail closed)", state.fallbacks), ("seconds", f"{seconds:.1f}"),
    ])  # fmt: skip
    if state.report is not None:
        path = args.report or Path(f"replay-{req.replay_id}-diff.json")
        path.write_text(json.dumps(state.report, indent=2) + "\n", encoding="utf-8")
        report = state.report
        print_table(
            f"diff: ruleset {report['rules']['new']} against {report['rules']['old']}",
            ("rule", "entity", "old", "new", "added", "removed"),
            [(r["rule"], r["entity"], r["old"], r["new"], r["added"], r["removed"])
             for r in report["by_rule"]],
        )
        print(f"{report['records_differing']} of {report['records']} records differ; "
              f"report: {path}")
    return ExitCode.OK


def _snapshot(args: argparse.Namespace, settings: Settings) -> int:
    from .progress import print_table, tracker
    from .snapshot import write_snapshot

    if not (args.workflow_id and args.run_id and args.out):
        raise ConfigError("snapshot needs --workflow-id, --run-id and --out")
    with tracker("snapshot") as bar:
        summary = write_snapshot(settings, args.workflow_id, args.run_id, args.out,
                                 clean_topic=args.clean_topic, on_progress=bar.update)
    print_table("snapshot", ("", "value"), list(summary.items()))
    return ExitCode.OK


def _snapshot_load(args: argparse.Namespace, settings: Settings) -> int:
    from .progress import print_table, tracker
    from .snapshot import load_snapshot

    with tracker("snapshot load") as bar:
        summary = load_snapshot(settings, args.file, args.topic, speed=args.speed,
                                on_progress=bar.update)
    print_table("snapshot load", ("", "value"), list(summary.items()))
    return ExitCode.OK
