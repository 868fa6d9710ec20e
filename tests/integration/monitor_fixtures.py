"""Fixtures for the monitor's integration tests: topics, a real ``logscrub monitor``.

A helper module (imported by the test files), not a conftest, so that it stays beside
the tests that use it. Everything runs against the real broker; nothing is mocked.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from kafka_broker import create_topic, delete_topic

REPO_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_get(url: str) -> tuple[int, str]:
    """Status and body of a GET, 0 when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 - local test URLs
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""


def sample(text: str, name: str, **labels: str) -> float:
    """The sum of the samples of metric ``name`` whose labels include ``labels``."""
    total = 0.0
    for line in text.splitlines():
        if not line.startswith((name + "{", name + " ")):
            continue
        if all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


@dataclass
class MonitorTopics:
    """One test's access and alerts topics and the monitor's app id (its consumer group)."""

    access: str
    alerts: str
    app_id: str


@dataclass
class Monitor:
    """A running ``logscrub monitor`` subprocess in its own process group."""

    proc: subprocess.Popen[bytes]
    port: int
    log_path: Path
    _log: Any = field(repr=False, default=None)

    def metrics(self) -> str:
        """The /metrics text ('' while it does not answer)."""
        return http_get(f"http://127.0.0.1:{self.port}/metrics")[1]

    def wait_metric(self, name: str, value: float, timeout: float = 120.0, **labels: str) -> None:
        """Poll /metrics until ``name{labels}`` reaches ``value``; fail with the log if not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, "monitor exited\n" + self.log()
            if sample(self.metrics(), name, **labels) >= value:
                return
            time.sleep(0.5)
        pytest.fail(f"{name}{labels} never reached {value}\n{self.log()[-5000:]}")

    def kill(self) -> None:
        """SIGKILL the process group, as a pod kill would."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def terminate(self, timeout: float = 60.0) -> int:
        """SIGTERM and wait for the exit code (kill and fail when it takes longer)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"monitor did not stop within {timeout} s\n{self.log()[-5000:]}")

    def log(self) -> str:
        """Everything the monitor wrote."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture
def monitor_topics(bootstrap: str) -> Iterator[MonitorTopics]:
    """Unique access and alerts topics (one partition each) and app id; deleted afterwards."""
    uid = uuid.uuid4().hex[:10]
    t = MonitorTopics(f"it-access-{uid}", f"it-alerts-{uid}", f"it-monitor-{uid}")
    create_topic(bootstrap, t.access, 1)
    create_topic(bootstrap, t.alerts, 1)
    yield t
    for name in (t.access, t.alerts, f"{t.app_id}-access-windows-changelog"):
        with contextlib.suppress(Exception):
            delete_topic(bootstrap, name, timeout=10)


@pytest.fixture
def start_monitor(bootstrap: str, tmp_path: Path) -> Iterator[Callable[..., Monitor]]:
    """Start ``python -m processor.cli monitor`` on a test's topics; kill leftovers at the end."""
    started: list[Monitor] = []

    def start(topics: MonitorTopics, env: dict[str, str] | None = None,
              port: int | None = None) -> Monitor:
        port = port or free_port()
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("LOGSCRUB_")}
        full_env.update({
            "LOGSCRUB_KAFKA__BOOTSTRAP_SERVERS": bootstrap,
            "LOGSCRUB_MONITOR__ACCESS_TOPIC": topics.access,
            "LOGSCRUB_MONITOR__ALERTS_TOPIC": topics.alerts,
            "LOGSCRUB_MONITOR__APP_ID": topics.app_id,
            "LOGSCRUB_MONITOR__DATA_DIR": str(tmp_path / "monitor-data"),
            "LOGSCRUB_MONITOR__PORT": str(port),
            "LOGSCRUB_MONITOR__HOST": "127.0.0.1",
            # A killed monitor leaves the group after 6 s (the broker's minimum), not 60 s.
            "LOGSCRUB_MONITOR__SESSION_TIMEOUT_SECONDS": "6",
            "PYTHONUNBUFFERED": "1",
        })  # fmt: skip
        full_env.update(env or {})
        log_path = tmp_path / f"monitor-{len(started)}.log"
        log = log_path.open("wb")
        proc = subprocess.Popen(
            [sys.executable, "-m", "processor.cli", "monitor"], cwd=REPO_ROOT, env=full_env,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        mon = Monitor(proc, port, log_path, log)
        started.append(mon)
        return mon

    yield start
    for mon in started:
        mon.kill()
        if mon._log is not None:
            mon._log.close()
