"""`make demo` (scripts/demo.py) end to end on the real broker."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bench.corpus import generate

REPO_ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    """A TCP port nothing listens on now (fixed ports collide when several suites share a host)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.integration
def test_demo_streams_clean_records_and_hit_counts(tmp_path: Path) -> None:
    """The demo shows masked records and hit counts, leaks no secret, and stops with exit 0."""
    env = {**os.environ, "LOGSCRUB_WORKERS": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "scripts.demo", "--duration", "60", "--rate", "40",
         "--metrics-port", str(_free_port()), "--api-port", str(_free_port()),
         "--monitor-port", str(_free_port())],
        cwd=REPO_ROOT, capture_output=True, text=True, env=env, timeout=240, check=False,
    )
    out = proc.stdout
    assert proc.returncode == 0, proc.stderr[-3000:]
    clean = [line for line in out.splitlines() if line.startswith("[clean] ")]
    assert len(clean) > 50
    assert any("[MASKED-" in line for line in clean)
    assert "processor stopped (exit 0)" in out
    summaries = [line for line in out.splitlines() if line.startswith("--- seen clean=")]
    assert any("EMAIL=" in line or "IP_ADDRESS=" in line for line in summaries)
    fed = [s for seed in (100, 101) for r in generate(200, seed=seed) for _e, s in r.secrets]
    printed = "\n".join(clean)
    leaked = [s for s in fed if len(s) >= 8 and s in printed]
    assert leaked == []
