"""``rules test`` checks the exact span a must_mask example marks, not only that its rule fired."""

from __future__ import annotations

from pathlib import Path

import pytest

from processor.errors import RuleError
from processor.pipeline import Scrubber
from processor.rules.loader import load_rules
from processor.selftest import run_examples
from processor.settings import ScrubSettings

RULE = """rules:
  - id: card-ish
    description: A test rule for four groups of four digits.
    entity: TEST_CARD
    severity: low
    patterns:
      - name: digits (strong)
        regex: '{regex}'
        score: 0.9
    examples:
      must_mask: ['{example}']
      must_not_mask: ["nothing here"]
"""


def _problems(tmp_path: Path, regex: str, example: str) -> list[str]:
    (tmp_path / "r.yaml").write_text(RULE.format(regex=regex, example=example))
    scrubber = Scrubber.from_settings(ScrubSettings(rules_dir=tmp_path, ner_enabled=False))
    _count, failures = run_examples(scrubber)
    return [f.problem for f in failures]


def test_exact_span_passes(tmp_path: Path) -> None:
    """A rule that masks exactly the marked text passes."""
    assert _problems(tmp_path, r"\d{4} \d{4} \d{4} \d{4}", "card «4111 1111 1111 1111» ok") == []


def test_partial_mask_fails(tmp_path: Path) -> None:
    """A rule that masks only part of the marked text fails, naming both spans."""
    (problem,) = _problems(tmp_path, r"\d{4} \d{4}", "card «4111 1111 1111 1111» ok")
    assert "the rule masks [5:14]" in problem and "the example marks [5:24]" in problem


def test_shifted_mask_fails(tmp_path: Path) -> None:
    """A rule that masks the wrong digits (a shifted span) fails."""
    (problem,) = _problems(tmp_path, r"\d{4} \d{4} \d{4} \d{4}",
                           "card «4111 1111 1111» 1111 2222 ok")
    assert "the rule masks [5:24]" in problem


def test_mask_beyond_the_marked_text_fails(tmp_path: Path) -> None:
    """A rule that masks more than the marked text fails too."""
    (problem,) = _problems(tmp_path, r"\d{4} \d{4} \d{4} \d{4}(?: ok)?",
                           "card «4111 1111 1111 1111» ok")
    assert "the example marks [5:24]" in problem


@pytest.mark.parametrize("example", ["card 4111 1111 1111 1111", "card «4111 1111", "«»x"])
def test_unmarked_or_broken_marks_are_refused_at_load(tmp_path: Path, example: str) -> None:
    """A must_mask example without a well-formed «…» mark makes the rule set invalid."""
    (tmp_path / "r.yaml").write_text(RULE.format(regex="x", example=example))
    with pytest.raises(RuleError, match=r"examples\.must_mask"):
        load_rules(tmp_path)
