"""`LOGSCRUB_DEMO_ATTACK=1 make demo`: the monitor runs and reports the burst of denials."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.integration
def test_demo_attack__burst_event_printed_and_everything_stops_cleanly() -> None:
    """With the attack switched on the demo prints the denied burst and exits 0 throughout."""
    env = {**os.environ, "LOGSCRUB_WORKERS": "1", "LOGSCRUB_DEMO_ATTACK": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "scripts.demo", "--duration", "45", "--rate", "20",
         "--metrics-port", "9473", "--monitor-port", "9474"],
        cwd=REPO_ROOT, capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    out = proc.stdout
    assert proc.returncode == 0, out[-3000:] + proc.stderr[-3000:]
    assert re.search(r"\[ALERT\] burst denied by mallory\+\d+@example.com: 5 \(threshold 5\)",
                     out), out[-3000:]
    assert "processor stopped (exit 0)" in out
    assert "monitor stopped (exit 0)" in out
