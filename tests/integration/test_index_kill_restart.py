"""``logscrub index`` killed mid-stream and restarted: nothing lost, nothing indexed twice."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from kafka_broker import create_topic

pytestmark = pytest.mark.integration
REPO_ROOT = Path(__file__).resolve().parents[2]
N = 6_000


def _count(db: Path) -> tuple[int, int]:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute(
                "SELECT COUNT(*), COUNT(DISTINCT part || '/' || off) FROM records").fetchone()
    except sqlite3.OperationalError:  # not created yet
        return (0, 0)


def test_index__sigkill_then_restart_gives_each_record_once(bootstrap, kafka, tmp_path):
    """SIGKILL while indexing, then a restart: exactly N rows, one per clean-topic offset."""
    topic = f"it-clean-kill-{uuid.uuid4().hex[:8]}"
    create_topic(bootstrap, topic, 2)
    now = int(time.time()) - 60
    headers = [("scrub.source", b"raw/0/1"), ("scrub.ruleset", b"test")]
    kafka.produce(topic, [
        (f"k{i % 7}".encode(),
         json.dumps({"workflow_id": f"wf-{i % 50}", "run_id": "r", "step": f"s{i % 4}",
                     "event": "completed", "ts": now + i % 600}).encode(), headers)
        for i in range(N)])
    db = tmp_path / "index.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOGSCRUB_")}
    env.update(LOGSCRUB_INDEX__SQLITE_PATH=str(db), LOGSCRUB_INDEX__BATCH_SIZE="50",
               # the killed member leaves the group after 6 s (the broker's minimum)
               LOGSCRUB_KAFKA__CLIENT__SESSION_TIMEOUT_MS="6000",
               LOGSCRUB_KAFKA__CLIENT__HEARTBEAT_INTERVAL_MS="1000")
    argv = [sys.executable, "-m", "processor.cli", "index", "--topic", topic,
            "--bootstrap-servers", bootstrap, "--index-group-id", f"g-{topic}"]
    first = subprocess.Popen(argv, env=env, cwd=REPO_ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and _count(db)[0] < 300:
            time.sleep(0.05)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(30)
    finally:
        if first.poll() is None:
            first.kill()
    at_kill = _count(db)[0]
    assert 300 <= at_kill < N, f"not killed mid-stream ({at_kill} of {N})"
    proc = subprocess.run([*argv, "--exit-when-idle", "3"], env=env, cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=180, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert _count(db) == (N, N)
