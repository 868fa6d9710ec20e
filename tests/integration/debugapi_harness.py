"""Helpers for the debug API integration tests (a helper module, not a conftest).

Runs ``logscrub index`` and ``logscrub debug-api`` as real subprocesses against the real
broker, on a free port, with a settings file written per test.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from kafka_broker import create_topic

REPO_ROOT = Path(__file__).resolve().parents[2]
TOKENS = {
    "alice": ("it-alice-token-0123456789", ["oncall-payments"]),
    "sam": ("it-sam-token-0123456789ab", ["support"]),
    "dana": ("it-dana-token-0123456789a", []),
    "erin": ("it-erin-token-0123456789a", []),
}


def free_port() -> int:
    """A TCP port that was free a moment ago on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOGSCRUB_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def write_settings(path: Path, bootstrap: str, clean: str, db: Path, *, audit_topic: str,
                   port: int, grants_file: Path | None = None, raw: str = "unused",
                   group: str = "logscrub", **debug_api: Any) -> Path:
    """A settings file for index and debug-api (local-dev tokens, NER off).

    ``raw`` and ``group`` name the processor's input and group, whose lag status reports.
    """
    data = {
        "workers": 1,
        "scrub": {"ner_enabled": False},
        "kafka": {"bootstrap_servers": bootstrap, "output": clean, "inputs": [raw],
                  "group_id": group},
        "index": {"sqlite_path": str(db), "group_id": f"idx-{clean}",
                  "batch_timeout_ms": 200},
        "debug_api": {
            "port": port,
            "audit_topic": audit_topic,
            "grants_file": str(grants_file) if grants_file else None,
            "auth": {"mode": "local-dev", "static_tokens": [
                {"token": tok, "sub": sub, "groups": groups}
                for sub, (tok, groups) in TOKENS.items()]},
            **debug_api,
        },
    }
    path.write_text(yaml.safe_dump(data))
    return path


def write_grants(path: Path) -> Path:
    """One live grant for dana, one expired grant for erin (both on shipping records)."""
    now = datetime.now(UTC)
    grants = {"grants": [
        {"id": "live", "actor": "dana", "actions": ["ViewTimeline", "ViewRecords"],
         "scope": {"service": "shipping"}, "ticket": "INC-7",
         "expires_at": (now + timedelta(hours=1)).isoformat()},
        {"id": "expired", "actor": "erin", "actions": ["ViewTimeline", "ViewRecords"],
         "scope": {"service": "shipping"}, "ticket": "INC-8",
         "expires_at": (now - timedelta(minutes=1)).isoformat()},
    ]}
    path.write_text(yaml.safe_dump(grants))
    return path


def run_index(config: Path, log: Path, idle: float = 4.0, timeout: float = 120) -> str:
    """Run ``logscrub index`` until idle; return its output (fails on a non-zero exit)."""
    with log.open("wb") as out:
        proc = subprocess.run(
            [sys.executable, "-m", "processor.cli", "--config", str(config), "index",
             "--exit-when-idle", str(idle)],
            cwd=REPO_ROOT, env=_env(), stdout=out, stderr=subprocess.STDOUT, timeout=timeout,
            check=False,
        )
    text = log.read_text(errors="replace")
    assert proc.returncode == 0, text
    return text


@dataclass
class ApiServer:
    """A running ``logscrub debug-api``."""

    proc: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def base(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.port}"

    def request(self, path: str, who: str | None = None, method: str = "GET",
                headers: dict[str, str] | None = None,
                body: bytes | None = None) -> tuple[int, dict[str, str], Any]:
        """Status, headers and JSON body (or text) of one request."""
        all_headers = dict(headers or {})
        if who is not None:
            all_headers["Authorization"] = f"Bearer {TOKENS[who][0]}"
        req = urllib.request.Request(  # noqa: S310 - always http://127.0.0.1 built above
            self.base + path, method=method, headers=all_headers, data=body)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310 - see above
                status, hdrs, raw = resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as err:
            status, hdrs, raw = err.code, dict(err.headers), err.read()
        try:
            return status, {k.lower(): v for k, v in hdrs.items()}, json.loads(raw)
        except ValueError:
            return status, {k.lower(): v for k, v in hdrs.items()}, raw.decode(errors="replace")

    def wait_ready(self, timeout: float = 60) -> None:
        """Poll the OpenAPI document until the server answers (or fail with its log)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"debug-api exited:\n{self.log()}")
            try:
                # any HTTP answer means it serves (503 when the audit topic is unwritable)
                if self.request("/api/v1/openapi.json")[0] in (200, 503):
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"debug-api not ready after {timeout} s:\n{self.log()}")

    def log(self) -> str:
        """Everything the server wrote."""
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it does not stop."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def start_api(config: Path, port: int, log: Path) -> ApiServer:
    """Start ``logscrub debug-api`` and wait until it answers."""
    out = log.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "processor.cli", "--config", str(config), "debug-api"],
        cwd=REPO_ROOT, env=_env(), stdout=out, stderr=subprocess.STDOUT,
    )
    server = ApiServer(proc, port, log)
    server.wait_ready()
    return server


@functools.cache
def run_start() -> datetime:
    """When the test runs start: a whole minute an hour ago (inside the retention).

    Computed once per test process, so producing and asserting agree across a minute.
    """
    return (datetime.now(UTC) - timedelta(hours=1)).replace(second=0, microsecond=0)


def workflow_records(raw_topic: str) -> tuple[list[tuple[bytes, bytes, None]], list[bytes]]:
    """Workflow logs full of secrets, and the secrets: a payments run and a shipping run."""
    t0 = run_start()

    def at(ms: int) -> str:
        return (t0 + timedelta(milliseconds=ms)).isoformat().replace("+00:00", "Z")

    secrets = [b"ann.lee@example.com", b"4111 1111 1111 1111", b"hunter2-Sup3r!"]
    rows: list[dict[str, Any]] = []
    pay = {"workflow_id": "charge-100", "run_id": "run-1", "service": "payments"}
    rows += [
        {**pay, "ts": at(0), "event": "started", "msg": "workflow started"},
        {**pay, "ts": at(10), "step": "validate", "event": "started",
         "msg": "validating order for ann.lee@example.com"},
        {**pay, "ts": at(120), "step": "validate", "event": "completed", "duration_ms": 110},
        {**pay, "ts": at(130), "step": "charge", "attempt": 1, "event": "started",
         "msg": "charging card 4111 1111 1111 1111"},
        {**pay, "ts": at(450), "step": "charge", "attempt": 1, "event": "failed",
         "msg": "gateway timeout", "password": "hunter2-Sup3r!"},
        {**pay, "ts": at(500), "step": "charge", "attempt": 2, "event": "started"},
        {**pay, "ts": at(900), "step": "charge", "attempt": 2, "event": "completed"},
        {**pay, "ts": at(950), "event": "completed", "msg": "workflow completed"},
    ]
    ship = {"workflow_id": "ship-5", "run_id": "run-9", "service": "shipping"}
    rows += [
        {**ship, "ts": at(2000), "step": "pack", "event": "started",
         "msg": "packing for ann.lee@example.com"},
        {**ship, "ts": at(2600), "step": "pack", "event": "completed"},
    ]
    rows.append({"msg": "unrelated log line", "user": "ann.lee@example.com"})
    records = [(r.get("workflow_id", "x").encode(), json.dumps(r).encode(), None) for r in rows]
    return records, secrets


@pytest.fixture
def indexed(topics_factory, start_processor, kafka, bootstrap, tmp_path):  # type: ignore[no-untyped-def]
    """Workflow logs scrubbed by ``logscrub run`` and indexed by ``logscrub index``.

    Returns (topics, settings file, audit topic, secrets, API port).
    """
    topics = topics_factory(raw_partitions=2, clean_partitions=2)
    records, secrets = workflow_records(topics.raw)
    kafka.produce(topics.raw, records)
    proc = start_processor(topics, exit_when_idle=4)
    assert proc.wait(timeout=120) == 0, proc.log()
    audit = f"it-audit-{uuid.uuid4().hex[:8]}"
    create_topic(bootstrap, audit, 1)
    port = free_port()
    config = write_settings(tmp_path / "settings.yaml", bootstrap, topics.clean,
                            tmp_path / "index.db", audit_topic=audit, port=port,
                            grants_file=write_grants(tmp_path / "grants.yaml"),
                            raw=topics.raw, group=topics.group)
    run_index(config, tmp_path / "index-1.log")
    return topics, config, audit, secrets, port


def seed_store(db: Path) -> None:
    """A SQLite index holding the payments run of :func:`workflow_records`, masked."""
    from processor.index.mapping import IndexEntry
    from processor.index.sqlite_store import SqliteStore

    t0 = int(run_start().timestamp() * 1000)
    store = SqliteStore(db)
    rows = [IndexEntry("charge-100", "run-1", step, 1, event, t0 + i * 100, None, "payments",
                       "", "", "", f"raw/0/{i}", "clean", 0, i,
                       '{"msg": "card [MASKED-CREDIT_CARD-1111]"}')
            for i, (step, event) in enumerate([("charge", "started"), ("charge", "completed")])]
    store.write_batch("clean", rows, {0: 2})
    store.close()
