"""Every ``ascii_gate`` keeps its promise: wherever its pattern matches ASCII text, the
gate matches too, so the Hyperscan pass never skips a pattern that would have hit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench import corpus, fresh, holdout
from bench.evaluate import load_loghub
from processor.rules.loader import CompiledPattern, CompiledRule, load_rules

_RULES = load_rules(Path(__file__).resolve().parents[3] / "rules")
_GATED = [(rule, pat) for rule in _RULES.rules for pat in rule.patterns if pat.ascii_gate]


def _texts(rule: CompiledRule) -> list[str]:
    ex = rule.spec.examples
    return [t.replace("«", "").replace("»", "") for t in (*ex.must_mask, *ex.must_not_mask)]


@pytest.fixture(scope="module")
def lines() -> list[str]:
    """ASCII lines of every corpus and of Loghub."""
    out = [r.line for gen in (corpus.generate, holdout.generate, fresh.generate)
           for r in gen(1500)]
    out += [line for _, line in load_loghub()]
    return [x for x in out if x.isascii()]


def test_some_patterns_are_gated() -> None:
    """The address and name patterns carry gates (otherwise this module tests nothing)."""
    assert len(_GATED) >= 5


@pytest.mark.parametrize(("rule", "pat"), _GATED, ids=[f"{r.spec.id}:{p.name[:20]}"
                                                       for r, p in _GATED])
def test_gate_is_a_superset(rule: CompiledRule, pat: CompiledPattern, lines: list[str]) -> None:
    """No ASCII text has a match of the pattern and none of its gate."""
    assert pat.ascii_gate is not None and pat.ascii_gate.isascii()
    gate = re.compile(pat.ascii_gate)
    missed = [t for t in (*_texts(rule), *lines)
              if t.isascii() and pat.pattern.search(t) and not gate.search(t)]
    assert missed == []
