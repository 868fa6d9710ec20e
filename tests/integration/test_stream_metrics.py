"""``/metrics``, ``/healthz`` and ``/readyz`` of a running processor, and a clean SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest
from http_probe import free_port as _free_port
from http_probe import http_get as _get
from http_probe import sample as _sample

pytestmark = pytest.mark.integration


def test_metrics_merge_workers_and_sigterm_exits_cleanly(topics_factory, start_processor, kafka,
                                                          make_secret_records):
    """Two workers' hit rates are merged on /metrics; readyz turns 200; SIGTERM exits 0."""
    n = 400
    port = _free_port()
    topics = topics_factory(raw_partitions=2, clean_partitions=2)
    proc = start_processor(topics, workers=2, exit_when_idle=None, metrics_port=port)

    deadline = time.monotonic() + 60
    while _get(port, "/readyz")[0] != 200:
        assert proc.proc.poll() is None, proc.log()
        assert time.monotonic() < deadline, "never ready\n" + proc.log()
        time.sleep(0.3)
    assert _get(port, "/healthz")[0] == 200

    records = make_secret_records(n)
    kafka.produce(topics.raw, [(r.key, r.value, r.headers) for r in records])
    assert len(kafka.read(topics.clean, expect=n, settle=1)) == n
    # The lag gauges refresh every 2 s: poll until both partitions report 0.
    deadline = time.monotonic() + 30
    while True:
        status, text = _get(port, "/metrics")
        lags = re.findall(rf'logscrub_consumer_lag{{[^}}]*topic="{topics.raw}"[^}}]*}} (\S+)', text)
        if status == 200 and len(lags) == 2 and all(float(v) == 0 for v in lags):
            break
        assert time.monotonic() < deadline, f"lag never reached 0: {lags}\n{proc.log()}"
        time.sleep(0.3)

    assert _sample(text, "logscrub_records_in_total", topic=topics.raw) == n
    assert _sample(text, "logscrub_records_out_total", topic=topics.raw) == n
    assert _sample(text, "logscrub_findings_total", entity="EMAIL", topic=topics.raw) >= n
    assert _sample(text, "logscrub_findings_total", entity="CREDIT_CARD", topic=topics.raw) == n
    assert _sample(text, "logscrub_transactions_total", outcome="commit") >= 1
    assert _sample(text, "logscrub_processing_seconds_count") >= 1
    assert re.search(r'logscrub_ruleset_info\{version="[^"]+"\} 1\.0', text)
    assert _sample(text, "logscrub_consumer_lag", topic=topics.raw) == 0
    for rec in records[:50]:
        for secret in rec.secrets:
            assert secret.decode() not in text

    proc.terminate()
    assert proc.wait(timeout=60) == 0, proc.log()


def _worker_pids(supervisor_pid: int) -> list[int]:
    """The spawned worker processes of a supervisor (not multiprocessing's helpers)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == supervisor_pid and b"spawn_main" in cmdline:
            pids.append(int(stat.parent.name))
    return pids


def _poll(port: int, path: str, want: int, deadline_s: float, proc) -> None:
    deadline = time.monotonic() + deadline_s
    while _get(port, path)[0] != want:
        assert proc.proc.poll() is None, proc.log()
        assert time.monotonic() < deadline, f"{path} never answered {want}\n{proc.log()}"
        time.sleep(0.2)


def test_healthz_fails_while_a_worker_holds_lag_without_committing(
    topics_factory, start_processor, kafka, make_secret_records
):
    """A frozen worker with lag turns /healthz 503 after the stall window; /readyz stays 200."""
    port = _free_port()
    topics = topics_factory(raw_partitions=1, clean_partitions=1)
    kafka.produce(topics.raw, [(r.key, r.value, r.headers) for r in make_secret_records(3000)])
    env = {"LOGSCRUB_METRICS__STALL_AFTER_S": "2", "LOGSCRUB_KAFKA__BATCH_SIZE": "1"}
    proc = start_processor(topics, exit_when_idle=None, metrics_port=port, env=env)
    _poll(port, "/readyz", 200, 60, proc)
    deadline = time.monotonic() + 30
    while _sample(_get(port, "/metrics")[1], "logscrub_records_out_total") < 1:
        assert time.monotonic() < deadline, "nothing committed\n" + proc.log()
        time.sleep(0.1)
    (worker,) = _worker_pids(proc.proc.pid)
    os.kill(worker, signal.SIGSTOP)  # mid-stream: partitions held, lag left, no commits
    try:
        _poll(port, "/healthz", 503, 30, proc)
        assert _get(port, "/readyz")[0] == 200
    finally:
        os.kill(worker, signal.SIGCONT)
    _poll(port, "/healthz", 200, 30, proc)
    proc.terminate()
    assert proc.wait(timeout=60) == 0, proc.log()
