"""The ``logscrub`` command: argument parsing and exit codes only.

Exit codes (:mod:`processor.exit_codes`): 0 success, 1 a check failed (lint problems,
failing examples, a stream error), 2 invalid configuration or rule set (the program
refuses to start).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any, NoReturn

from processor.errors import ConfigError, FatalStreamError, LogscrubError
from processor.exit_codes import ExitCode, exit_code_for
from processor.settings import Settings, load_settings

__all__ = ["main"]

log = logging.getLogger("logscrub")


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors never echo argument values: they may hold secrets."""

    def error(self, message: str) -> NoReturn:
        super().error(_without_values(message))


# argparse quotes the argument in "invalid int value: 'x'" and "invalid choice: 'x'"
_INVALID_VALUE = re.compile(r"invalid [\w ]*(?:value|choice): ")
_CHOICES = " (choose from "


def _without_values(message: str) -> str:
    """An argparse error message with every argument value left out."""
    if message.startswith("unrecognized arguments"):
        return "unrecognized arguments (not shown: they may hold secrets)"
    found = _INVALID_VALUE.search(message)
    if found is None:
        return message
    rest = message[found.end() :]
    # the list of choices comes last and is logscrub's own text
    choices = rest[rest.rfind(_CHOICES) :] if _CHOICES in rest else ""
    return f"{message[: found.end() - 2]} (not shown){choices}"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="logscrub", description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, help="YAML settings file (LOGSCRUB_* env wins)")
    sub = parser.add_subparsers(dest="command", required=True)

    scrub = sub.add_parser("scrub", help="scrub records, one per line, from FILE or stdin")
    scrub.add_argument("file", nargs="?", type=Path, help="input file (default: stdin)")
    scrub.add_argument("--rules", type=Path, help="rules directory (default: bundled rules)")
    scrub.add_argument("--workers", type=int, help="processes (default: all cores)")
    scrub.add_argument("--no-ner", action="store_true", help="skip the NER layer")
    scrub.add_argument("--stats", action="store_true",
                       help="finding counts and CPU seconds (this process, workers) to stderr")

    from processor.rules_command import add_rules_command

    add_rules_command(sub)

    config = sub.add_parser("config", help="settings")
    config_sub = config.add_subparsers(dest="config_command", required=True)
    config_sub.add_parser("check", help="print the effective settings, secrets redacted")

    from processor.stream.app import add_run_arguments

    run = sub.add_parser("run", help="the Kafka processor")
    add_run_arguments(run)

    from processor.debugapi.command import add_commands

    add_commands(sub)

    from processor.keys.command import add_keys_command

    add_keys_command(sub)

    from processor.replay.command import add_commands as add_replay_commands

    add_replay_commands(sub)

    from processor.monitor.cli_args import add_monitor_arguments

    add_monitor_arguments(sub.add_parser("monitor", help="the debug-access monitor"))

    from processor.audit.cli_args import add_audit_arguments

    add_audit_arguments(sub.add_parser("audit", help="access reviews of the debug-access events"))
    return parser


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    over: dict[str, Any] = {}
    scrub: dict[str, Any] = {}
    if getattr(args, "rules", None) is not None:
        scrub["rules_dir"] = str(args.rules)
    if getattr(args, "no_ner", False):
        scrub["ner_enabled"] = False
    if getattr(args, "workers", None) is not None:
        over["workers"] = args.workers
    if scrub:
        over["scrub"] = scrub
    if args.command == "monitor":
        from processor.monitor.cli_args import monitor_overrides

        over.update(monitor_overrides(args))
    if args.command == "audit":
        from processor.audit.cli_args import audit_overrides

        over.update(audit_overrides(args))
    if args.command in ("run", "index", "debug-api", "policies", "replay", "snapshot"):
        if args.command == "run":
            from processor.stream.app import settings_overrides
        elif args.command in ("replay", "snapshot"):
            from processor.replay.command import settings_overrides
        else:
            from processor.debugapi.command import settings_overrides

        for key, value in settings_overrides(args).items():
            if isinstance(value, dict) and isinstance(over.get(key), dict):
                over[key] = {**over[key], **value}
            else:
                over[key] = value
    return over


def _cmd_scrub(args: argparse.Namespace, settings: Settings) -> int:
    from processor.scrub_file import scrub_stream

    counts: Counter[str] = Counter()
    fallbacks: Counter[str] = Counter()
    cpu: dict[str, float] = {}
    if args.file is not None:
        try:
            src = args.file.open("rb")
        except OSError as exc:
            why = exc.strerror or type(exc).__name__
            raise ConfigError(f"cannot read {args.file}: {why}") from None
        with src:
            total = scrub_stream(src, sys.stdout.buffer, settings, counts, fallbacks, cpu)
    else:
        total = scrub_stream(sys.stdin.buffer, sys.stdout.buffer, settings, counts, fallbacks,
                             cpu)
    sys.stdout.buffer.flush()
    if args.stats:
        report = {"records": total, "findings": dict(counts.most_common()),
                  "fallbacks": dict(fallbacks.most_common()),
                  "cpu_s": {k: round(v, 3) for k, v in cpu.items()}}
        print(json.dumps(report, indent=2), file=sys.stderr)
    return ExitCode.OK


def _cmd_config(settings: Settings) -> int:
    from processor.masking.overrides import check_operator_overrides
    from processor.rules.loader import load_rules

    # the operator overrides are only valid against the rules they will run with
    check_operator_overrides(settings.scrub, load_rules(settings.scrub.rules_dir))
    print(json.dumps(settings.redacted(), indent=2))
    return ExitCode.OK


def _cmd_policies(args: argparse.Namespace, settings: Settings) -> int:
    from processor.debugapi.policy_tests import run_policy_tests, validate_dir

    policies_dir = settings.debug_api.policies_dir
    problems = validate_dir(policies_dir)
    for problem in problems:
        print(f"INVALID {problem}")
    if args.policies_command == "validate" or problems:
        print(f"{policies_dir}: {len(problems)} problem(s)")
        return ExitCode.FAILED if problems else ExitCode.OK
    outcomes = run_policy_tests(policies_dir)
    for o in outcomes:
        if not o.passed:
            print(f"FAIL {o.file}: expected {o.expected}, got {o.actual} "
                  f"(policies: {', '.join(o.policy_ids) or 'none'}): {o.description}")
    failed = sum(not o.passed for o in outcomes)
    print(f"{len(outcomes) - failed} passed, {failed} failed")
    return ExitCode.FAILED if failed or not outcomes else ExitCode.OK


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``logscrub`` console script."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(args.config, _overrides(args))
    except ConfigError as exc:
        print(f"logscrub: {exc}", file=sys.stderr)
        return exit_code_for(exc)
    logging.basicConfig(level=settings.log_level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        if args.command == "scrub":
            return _cmd_scrub(args, settings)
        if args.command == "rules":
            from processor.rules_command import run_rules

            return run_rules(args, settings)
        if args.command == "config":
            return _cmd_config(settings)
        if args.command in ("replay", "snapshot"):
            from processor.replay.command import run_command

            return run_command(args, settings)
        if args.command == "policies":
            return _cmd_policies(args, settings)
        if args.command == "keys":
            from processor.keys.command import run_keys

            return run_keys(args, settings.scrub.encryption)
        if args.command == "index":
            from processor.index.indexer import run_index

            return run_index(settings, args.exit_when_idle)
        if args.command == "debug-api":
            from processor.debugapi.server import serve

            return serve(settings)
        if args.command == "monitor":
            from processor.monitor.service import run_monitor

            return run_monitor(settings)
        if args.command == "audit":
            from processor.audit.cli_args import run_audit_report

            return run_audit_report(args, settings)
        from processor.stream.app import run

        exit_when_idle = getattr(args, "exit_when_idle", None)
        return run(settings, exit_when_idle,
                   lambda: load_settings(args.config, _overrides(args)).scrub)
    except LogscrubError as exc:
        code = exit_code_for(exc)
        if code == ExitCode.INVALID:
            what = "refusing to start: "
        else:
            what = "fatal: " if isinstance(exc, FatalStreamError) else ""
        print(f"logscrub: {what}{exc}", file=sys.stderr)
        return code
    except BrokenPipeError:
        return ExitCode.OK
    except KeyboardInterrupt as exc:
        return exit_code_for(exc)


if __name__ == "__main__":
    raise SystemExit(main())
