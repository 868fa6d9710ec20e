"""One mapping from the exception tree to exit codes, used by the CLI and the workers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from processor.errors import (
    ConfigError,
    DetectorError,
    FatalStreamError,
    LogscrubError,
    RuleError,
    RuleSetError,
    StreamError,
)
from processor.exit_codes import ExitCode, exit_code_for
from tests.unit.rules.test_loader import GOOD_RULE


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (ConfigError("bad setting"), 2),
        (RuleError("r.yaml", "some-rule", "id", "bad"), 2),
        (RuleSetError("no rule files"), 2),
        (StreamError("broker gone"), 1),
        (FatalStreamError("fenced"), 1),
        (DetectorError("timeout"), 1),
        (LogscrubError("other"), 1),
        (RuntimeError("not ours"), 1),
        (KeyboardInterrupt(), 130),
    ],
)
def test_errors_map_to_documented_codes(exc: BaseException, code: int) -> None:
    """Invalid settings or rules give 2, every other failure 1, never 0."""
    assert exit_code_for(exc) == code


def test_codes_are_the_documented_numbers() -> None:
    """The numbers that scripts, CI and Kubernetes rely on stay 0, 1, 2 and 3."""
    assert (ExitCode.OK, ExitCode.FAILED, ExitCode.INVALID, ExitCode.HUNG) == (0, 1, 2, 3)


_WORKER = """
import sys
from pathlib import Path
from processor.settings import load_settings
from processor.stream.worker_process import worker_main
settings = load_settings(overrides={"scrub": {"rules_dir": sys.argv[1], "ner_enabled": False}},
                         environ={})
worker_main(settings, 0, None, [0])
"""


def test_worker_with_an_invalid_rule_exits_2_without_traceback(tmp_path: Path) -> None:
    """A worker whose rule set holds an invalid rule refuses to start with exit 2, naming it."""
    (tmp_path / "r.yaml").write_text("rules:" + GOOD_RULE.format(id="Bad_Id", regex="zebra"))
    proc = subprocess.run([sys.executable, "-c", _WORKER, str(tmp_path)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == ExitCode.INVALID, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert "refusing to start" in proc.stderr and "Bad_Id" in proc.stderr
