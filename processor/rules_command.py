"""``logscrub rules``: lint, test, explain and promote the rule set.

``explain`` reads its record from stdin or ``--file``; a record on the command line
(``--text-arg``) stays in shell history, so it is refused unless asked for, and no
message ever repeats the record.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from processor.exit_codes import ExitCode
from processor.settings import Settings

__all__ = ["add_rules_command", "run_rules"]

_TEXT_ARG_REFUSED = (
    "rules explain: a record on the command line stays in shell history and the process "
    "list; pipe it on stdin, pass --file FILE, or add --text-arg to accept the risk"
)
_TEXT_ARG_WARNING = (
    "logscrub: warning: the record given on the command line stays in shell history and "
    "is visible in the process list; prefer stdin or --file"
)


def add_rules_command(sub: Any) -> None:
    """Add ``rules`` and its subcommands to the ``logscrub`` subparsers ``sub``."""
    rules = sub.add_parser("rules", help="check and explore the rule set")
    rules_sub = rules.add_subparsers(dest="rules_command", required=True)
    for name, text in (("lint", "schema, compilation and backtracking checks"),
                       ("test", "run every rule's examples")):
        p = rules_sub.add_parser(name, help=text)
        p.add_argument("--rules", type=Path, help="rules directory (default: bundled rules)")
    explain = rules_sub.add_parser(
        "explain", help="show which rules hit where in one record, read from stdin or --file"
    )
    explain.add_argument("--file", type=Path, help="read the record from FILE (default: stdin)")
    explain.add_argument("text", nargs="?", help="the record itself; needs --text-arg")
    explain.add_argument(
        "--text-arg", action="store_true",
        help="allow TEXT on the command line (it stays in shell history and the process list)",
    )  # fmt: skip
    explain.add_argument("--rules", type=Path, help="rules directory (default: bundled rules)")
    explain.add_argument("--no-ner", action="store_true", help="skip the NER layer")
    promote = rules_sub.add_parser(
        "promote", help="rewrite a mode: shadow rule's file to mode: enforce (for review)"
    )
    promote.add_argument("rule_id", metavar="RULE_ID")
    promote.add_argument("--rules", type=Path, help="rules directory (default: bundled rules)")


def _explain_input(args: argparse.Namespace) -> bytes | None:
    """The record for ``rules explain``: stdin, ``--file``, or TEXT behind ``--text-arg``.

    None (after a message on stderr) when the command line is unusable; no message
    ever repeats the record.
    """
    if args.text is not None:
        if not args.text_arg:
            print(f"logscrub: {_TEXT_ARG_REFUSED}", file=sys.stderr)
            return None
        if args.file is not None:
            print("logscrub: rules explain: give TEXT or --file, not both", file=sys.stderr)
            return None
        print(_TEXT_ARG_WARNING, file=sys.stderr)
        return os.fsencode(args.text)  # the exact bytes of the argument
    if args.text_arg:
        print("logscrub: rules explain: --text-arg needs TEXT", file=sys.stderr)
        return None
    if args.file is not None and str(args.file) != "-":
        try:
            data: bytes = args.file.read_bytes()
        except OSError as exc:
            print(f"logscrub: cannot read {args.file}: {type(exc).__name__}", file=sys.stderr)
            return None
    else:
        if sys.stdin.isatty():
            print("logscrub: reading one record from stdin; end it with Ctrl-D",
                  file=sys.stderr)
        data = sys.stdin.buffer.read()
    # the line ending that echo, a heredoc or an editor adds is not part of the record
    if data.endswith(b"\r\n"):
        return data[:-2]
    return data[:-1] if data.endswith(b"\n") else data


def run_rules(args: argparse.Namespace, settings: Settings) -> int:
    """Run the ``rules`` subcommand named in ``args``; its exit code."""
    from processor.masking.overrides import check_operator_overrides
    from processor.pipeline import Scrubber
    from processor.rules.lint import lint_ruleset
    from processor.rules.loader import load_rules
    from processor.selftest import run_examples

    if args.rules_command == "lint":
        ruleset = load_rules(settings.scrub.rules_dir)
        check_operator_overrides(settings.scrub, ruleset)
        problems = lint_ruleset(ruleset)
        for problem in problems:
            print(problem)
        print(f"{len(ruleset.rules)} rules, {len(ruleset.fields)} field groups, "
              f"{len(problems)} problem(s); ruleset {ruleset.version}")
        return ExitCode.FAILED if problems else ExitCode.OK
    if args.rules_command == "promote":
        from processor.rules.promote import promote_rule

        path = promote_rule(settings.scrub.rules_dir, args.rule_id)
        print(f"{path}: rule {args.rule_id} now has mode: enforce; review and reload")
        return ExitCode.OK
    if args.rules_command == "test":
        scrubber = Scrubber.from_settings(settings.scrub.model_copy(update={"ner_enabled": False}))
        count, failures = run_examples(scrubber)
        for failure in failures:
            print(f"FAIL {failure}")
        print(f"{count - len(failures)} passed, {len(failures)} failed")
        return ExitCode.FAILED if failures else ExitCode.OK
    record = _explain_input(args)
    if record is None:
        return ExitCode.INVALID
    scrubber = Scrubber.from_settings(settings.scrub)
    result, spans = scrubber.explain(record)
    print(f"format: {result.format}")
    shown: Counter[tuple[str, str]] = Counter()
    for field, findings in spans:
        where = f"field {field!r}" if field else "text"
        for f in findings:
            shown[(f.rule_id, f.entity)] += 1
            print(f"  {where} [{f.start}:{f.end}] {f.entity:<16} rule={f.rule_id} "
                  f"source={f.source} score={f.score:.2f}")
    # JSON values masked whole under a sensitive key have no span to show
    for (rule_id, entity), n in sorted((result.counts - shown).items()):
        print(f"  field-name rule {rule_id} masked {n} value(s) as {entity}")
    if result.fallback:
        print(f"fallback: {result.fallback}")
    print(f"output: {result.output.decode('utf-8', 'replace')}")
    return ExitCode.OK
