"""The worked example in rules/README.md works as the guide says."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

from processor.pipeline import Scrubber
from processor.rules.lint import lint_ruleset
from processor.rules.loader import load_rules
from processor.selftest import run_examples
from processor.settings import BUNDLED_RULES, ScrubSettings

GUIDE = BUNDLED_RULES / "README.md"


def test_worked_example_passes_lint_and_examples(tmp_path: Path) -> None:
    """The guide's Datadog rule, added to the bundled packs, lints clean and passes."""
    block = re.search(r"```yaml\n(.*?)```", GUIDE.read_text(), re.S)
    assert block is not None
    for pack in BUNDLED_RULES.glob("*.yaml"):
        shutil.copy(pack, tmp_path)
    (tmp_path / "observability-tokens.yaml").write_text(textwrap.dedent(block.group(1)))
    ruleset = load_rules(tmp_path)
    assert "datadog-api-key" in {r.spec.id for r in ruleset.rules}
    assert lint_ruleset(ruleset) == []
    scrubber = Scrubber.from_settings(ScrubSettings(rules_dir=tmp_path, ner_enabled=False))
    _count, failures = run_examples(scrubber)
    assert failures == []
    out = scrubber.scrub(b"datadog agent key 0123456789abcdef0123456789abcdef rejected").output
    assert out == b"datadog agent key [MASKED-DATADOG_API_KEY] rejected"
