"""``/metrics``, ``/healthz`` and ``/readyz`` of a running processor, and a clean SIGTERM."""

from __future__ import annotations

import re
import socket
import time
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""


def _sample(text: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


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
    time.sleep(2.5)  # one lag refresh
    status, text = _get(port, "/metrics")
    assert status == 200

    assert _sample(text, "logscrub_records_in_total", topic=topics.raw) == n
    assert _sample(text, "logscrub_records_out_total", topic=topics.raw) == n
    assert _sample(text, "logscrub_findings_total", entity="EMAIL", topic=topics.raw) >= n
    assert _sample(text, "logscrub_findings_total", entity="CREDIT_CARD", topic=topics.raw) == n
    assert _sample(text, "logscrub_transactions_total", outcome="commit") >= 1
    assert _sample(text, "logscrub_processing_seconds_count") >= 1
    assert re.search(r'logscrub_ruleset_info\{version="[^"]+"\} 1\.0', text)
    assert _sample(text, "logscrub_consumer_lag", topic=topics.raw) == 0
    assert 'logscrub_consumer_lag{partition="1"' in text or "partition=\"1\"" in text
    for rec in records[:50]:
        for secret in rec.secrets:
            assert secret.decode() not in text

    proc.terminate()
    assert proc.wait(timeout=60) == 0, proc.log()
