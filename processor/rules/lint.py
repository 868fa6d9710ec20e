"""``logscrub rules lint``: reject patterns that can backtrack catastrophically.

Two checks per pattern:
- static: a repeated group that holds an unbounded repeat (``(a+)+``, ``(\\w+\\s?)*``);
- dynamic: the pattern must finish on adversarial strings within the ``regex`` package's
  own timeout. That timeout counts the CPU time of the matching thread, not wall-clock
  time, so a busy machine does not make a linear pattern fail, and no wall clock is
  read here. A linear pattern needs about a millisecond on these strings; a
  catastrophic one never finishes.
"""

from __future__ import annotations

import re._parser as sre_parse  # type: ignore[import-not-found]  # stdlib, no stub
from dataclasses import dataclass
from typing import Any

from processor.rules.loader import RuleSet

__all__ = ["LintProblem", "lint_ruleset"]

_UNBOUNDED = 65535  # sre's MAXREPEAT as it appears in parsed patterns
_ADVERSARIAL_LEN = 20_000
#: CPU seconds one adversarial string may take (the regex timeout counts CPU time)
_BUDGET_S = 0.5


@dataclass(frozen=True, slots=True)
class LintProblem:
    """One rejected pattern, named by file, rule id and pattern index."""

    file: str
    rule_id: str
    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}: rule {self.rule_id!r}: field {self.field!r}: {self.problem}"


_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


def _children(name: str, av: Any) -> list[Any]:
    """The parsed sub-patterns inside one node (groups, branches, lookarounds)."""
    if name == "SUBPATTERN":
        return [av[-1]]
    if name == "BRANCH":
        return list(av[1])
    if name in ("ASSERT", "ASSERT_NOT", "ATOMIC_GROUP"):
        return [av[1] if isinstance(av, tuple) else av]
    return []


def _has_unbounded(items: Any) -> bool:
    """True when any repeat inside is unbounded or longer than 100."""
    for op, av in items:
        name = str(op)
        if name in _REPEATS:
            _lo, hi, sub = av
            if hi >= _UNBOUNDED or hi > 100 or _has_unbounded(sub):
                return True
        elif any(_has_unbounded(c) for c in _children(name, av)):
            return True
    return False


def _nested_quantifier(items: Any) -> bool:
    """True when a backtracking repeat (max > 1) contains an unbounded or long repeat."""
    for op, av in items:
        name = str(op)
        if name in _REPEATS[:2]:  # a possessive repeat never backtracks
            _lo, hi, sub = av
            if (hi > 1 and _has_unbounded(sub)) or _nested_quantifier(sub):
                return True
        elif any(_nested_quantifier(c) for c in _children(name, av)):
            return True
    return False


def _adversarial(source: str) -> list[str]:
    literals = sorted({c for c in source if c.isalnum() or c in "@.:-_/+= "})[:12]
    seeds = ["a", "A", "1", " ", "-", "a1", "a ", "aA1-", "\\n", ".", "@a", "x=", *literals]
    return [(s * (_ADVERSARIAL_LEN // len(s)))[:_ADVERSARIAL_LEN] + "!\u2028" for s in seeds]


def lint_ruleset(ruleset: RuleSet) -> list[LintProblem]:
    """Every catastrophic-backtracking risk in the rule set (empty when clean)."""
    problems: list[LintProblem] = []
    for rule in ruleset.rules:
        for i, pat in enumerate(rule.patterns):
            field = f"patterns.{i}.regex"
            source = pat.pattern.pattern
            try:
                parsed = sre_parse.parse(source)
            except Exception:  # regex-only syntax: the dynamic check still runs
                parsed = None
            if parsed is not None and _nested_quantifier(parsed):
                problems.append(
                    LintProblem(rule.file, rule.spec.id, field,
                                "nested quantifier: a repeated group holds an unbounded repeat")
                )
                continue
            for probe in _adversarial(source):
                try:
                    for _ in pat.pattern.finditer(probe, timeout=_BUDGET_S):
                        pass
                except TimeoutError:
                    problems.append(
                        LintProblem(rule.file, rule.spec.id, field,
                                    f"took over {_BUDGET_S} CPU seconds on an adversarial string")
                    )
                    break
    return problems
