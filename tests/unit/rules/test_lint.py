"""``rules lint``'s dynamic check: a CPU-time bound, never a wall-clock comparison."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest

from processor.rules.lint import lint_ruleset
from processor.rules.loader import load_rules
from tests.unit.rules.test_loader import GOOD_RULE


def _lint(tmp_path: Path, regex: str) -> list[str]:
    (tmp_path / "r.yaml").write_text("rules:" + GOOD_RULE.format(id="probe", regex=regex))
    return [p.problem for p in lint_ruleset(load_rules(tmp_path))]


def test_exponential_pattern_the_static_check_misses_is_rejected(tmp_path: Path) -> None:
    """(?:a|aa)+ backtracks exponentially without a nested quantifier; the timeout catches it."""
    (problem,) = _lint(tmp_path, r"(?:a|aa)+\.")
    assert "CPU seconds on an adversarial string" in problem


def test_a_slow_wall_clock_does_not_fail_a_linear_pattern(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a machine so loaded that every clock read is 10 s later, a clean rule still passes."""
    ticks = itertools.count()
    monkeypatch.setattr(time, "monotonic", lambda: 10.0 * next(ticks))
    monkeypatch.setattr(time, "perf_counter", lambda: 10.0 * next(ticks))
    assert _lint(tmp_path, r"\bzebra[0-9]{2,8}\b") == []
