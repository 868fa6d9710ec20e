"""``logscrub run`` validates rules and settings in the supervisor, before any worker starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from processor.errors import RuleError
from processor.settings import load_settings
from processor.stream.supervisor import validate

REPO_ROOT = Path(__file__).resolve().parents[3]

BAD_RULE = """rules:
  - id: broken-zebra
    description: A rule whose regex does not compile.
    entity: TEST
    severity: low
    patterns:
      - name: zebra (strong)
        regex: '(zebra'
        score: 0.9
    examples:
      must_mask: ["a zebra"]
      must_not_mask: ["a horse"]
"""


def _bad_rules(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "animals.yaml").write_text(BAD_RULE)
    return rules


def test_validate_raises_rule_error_naming_the_rule(tmp_path: Path) -> None:
    """validate() raises RuleError for a rule whose regex does not compile."""
    settings = load_settings(overrides={"scrub": {"rules_dir": str(_bad_rules(tmp_path))}},
                             environ={})
    with pytest.raises(RuleError) as info:
        validate(settings)
    assert info.value.rule_id == "broken-zebra"


def test_bad_rule_under_run_exits_2_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    """A bad rule makes `logscrub run` exit 2 with a one-line error naming it, no traceback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOGSCRUB_")}
    env["LOGSCRUB_SCRUB__RULES_DIR"] = str(_bad_rules(tmp_path))
    env["LOGSCRUB_LOG_LEVEL"] = "WARNING"
    proc = subprocess.run(
        [sys.executable, "-m", "processor.cli", "run", "--bootstrap-servers", "127.0.0.1:1",
         "--workers", "1", "--metrics-port", "0", "--exit-when-idle", "1"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert "broken-zebra" in lines[0] and "animals.yaml" in lines[0]
