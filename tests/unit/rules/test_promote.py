"""`logscrub rules promote`: a file edit of one rule's mode, everything else untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from processor.cli import main
from processor.errors import RuleSetError
from processor.rules.loader import load_rules
from processor.rules.promote import promote_rule
from tests.configmap_dir import BASIC_RULES, SHADOW_RULES


def _rules(tmp_path: Path) -> Path:
    (tmp_path / "basic.yaml").write_text(BASIC_RULES)
    (tmp_path / "shadow.yaml").write_text("# reviewed by security\n" + SHADOW_RULES)
    return tmp_path


def test_promote_rewrites_only_the_mode_line(tmp_path: Path) -> None:
    """The rule's `mode: shadow` becomes `mode: enforce`; every other line stays byte-equal."""
    rules = _rules(tmp_path)
    before = (rules / "shadow.yaml").read_text()
    promote_rule(rules, "example-domain")
    after = (rules / "shadow.yaml").read_text()
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True)
               if a != b]
    assert changed == [("    mode: shadow  # counted, never masked",
                        "    mode: enforce  # counted, never masked")]
    modes = {r.spec.id: r.spec.mode for r in load_rules(rules).rules}
    assert modes == {"email-address": "enforce", "order-number": "shadow",
                     "example-domain": "enforce"}


def test_promote_refuses_an_enforcing_rule(tmp_path: Path) -> None:
    """Promoting a rule that already enforces is refused and leaves the file alone."""
    rules = _rules(tmp_path)
    before = (rules / "basic.yaml").read_text()
    with pytest.raises(RuleSetError, match="already enforces"):
        promote_rule(rules, "email-address")
    assert (rules / "basic.yaml").read_text() == before


def test_promote_command_exit_codes(tmp_path: Path, capsys) -> None:
    """The command exits 0 after a promotion and 2 for an unknown rule id."""
    rules = _rules(tmp_path)
    assert main(["rules", "promote", "order-number", "--rules", str(rules)]) == 0
    assert "mode: enforce" in capsys.readouterr().out
    assert main(["rules", "promote", "no-such-rule", "--rules", str(rules)]) == 2
