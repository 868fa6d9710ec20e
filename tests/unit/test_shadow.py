"""Shadow rules: counted as what they would add over the live rules, never masking."""

from __future__ import annotations

from pathlib import Path

import pytest

from processor.pipeline import Scrubber
from processor.rules.loader import load_rules
from processor.selftest import run_examples
from processor.settings import ScrubSettings
from tests.configmap_dir import BASIC_RULES, SHADOW_RULES


@pytest.fixture
def shadow_scrubber(tmp_path: Path) -> Scrubber:
    """The basic live rules plus the two shadow rules."""
    (tmp_path / "basic.yaml").write_text(BASIC_RULES)
    (tmp_path / "shadow.yaml").write_text(SHADOW_RULES)
    settings = ScrubSettings(rules_dir=tmp_path, ner_enabled=False)
    return Scrubber(load_rules(tmp_path), settings)


def test_shadow_rule_counts_without_masking(shadow_scrubber: Scrubber) -> None:
    """A shadow hit outside every live finding is counted and left in the output."""
    result = shadow_scrubber.scrub(b"order ORD-123456 shipped")
    assert b"ORD-123456" in result.output
    assert result.shadow == {("order-number", "ORDER_ID"): 1}
    assert not result.counts


def test_shadow_hit_inside_a_live_mask_is_not_counted(shadow_scrubber: Scrubber) -> None:
    """A shadow hit within a live email mask would add nothing, so it is not counted."""
    result = shadow_scrubber.scrub(b'{"msg": "mail bob@example.com about ORD-123456"}')
    assert b"bob@example.com" not in result.output
    assert result.shadow == {("order-number", "ORDER_ID"): 1}


def test_shadow_hit_alone_is_counted(shadow_scrubber: Scrubber) -> None:
    """The same shadow rule counts where no live rule masks (a bare domain)."""
    result = shadow_scrubber.scrub(b"see example.com for details")
    assert result.shadow == {("example-domain", "DOMAIN"): 1}
    assert b"example.com" in result.output


def test_shadow_rule_examples_pass_selftest(shadow_scrubber: Scrubber) -> None:
    """`rules test` checks a shadow rule alone, not the engine's output that it cannot mask."""
    count, failures = run_examples(shadow_scrubber)
    assert count == 6 and not failures
