"""Hot reload mid-stream on the real broker: no record lost or doubled, the new rules apply."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest
from http_probe import free_port, http_get, sample

from processor.rules.loader import load_rules
from tests.configmap_dir import BASIC_RULES, ORDER_RULE, swap_configmap, write_configmap

pytestmark = pytest.mark.integration

BROKEN = ORDER_RULE.replace("regex: 'ORD-[0-9]{6}'", "regex: 'ORD-([0-9]{6}'")


def _records(start: int, n: int) -> list[tuple[bytes, bytes, None]]:
    return [
        (f"k{i % 3}".encode(),
         json.dumps({"msg": f"order ORD-{100000 + i} by user{i}@example.com", "id": i}).encode(),
         None)
        for i in range(start, start + n)
    ]


def _wait_metric(port: int, proc, what: str, check) -> str:
    deadline = time.monotonic() + 60
    while True:
        status, text = http_get(port, "/metrics")
        if status == 200 and check(text):
            return text
        assert proc.proc.poll() is None, proc.log()
        assert time.monotonic() < deadline, f"{what} never happened\n{proc.log()}"
        time.sleep(0.3)


def test_reload_mid_stream_valid_then_invalid(topics_factory, start_processor, kafka,
                                              tmp_path: Path):
    """A ConfigMap swap applies new rules mid-stream; an invalid set then changes nothing."""
    rules = tmp_path / "rules"
    write_configmap(rules, {"basic.yaml": BASIC_RULES})
    v1 = load_rules(rules).version
    port = free_port()
    topics = topics_factory(raw_partitions=2, clean_partitions=2)
    proc = start_processor(topics, exit_when_idle=None, metrics_port=port,
                           env={"LOGSCRUB_SCRUB__RULES_DIR": str(rules)})
    _wait_metric(port, proc, "readiness", lambda t: f'version="{v1}"' in t)
    n = 60
    kafka.produce(topics.raw, _records(0, n))
    assert len(kafka.read(topics.clean, expect=n, settle=0.5)) == n

    # 1. the kubelet's ..data swap, picked up by the watcher
    swap_configmap(rules, {"basic.yaml": BASIC_RULES, "orders.yaml": ORDER_RULE}, 2)
    v2 = load_rules(rules).version
    _wait_metric(port, proc, "the swap to the new rule set",
                 lambda t: sample(t, "logscrub_ruleset_info", version=v2) == 1)
    kafka.produce(topics.raw, _records(n, n))

    # 2. an invalid set, announced with SIGHUP: refused, the workers keep v2
    swap_configmap(rules, {"basic.yaml": BASIC_RULES, "orders.yaml": BROKEN}, 3)
    os.kill(proc.proc.pid, signal.SIGHUP)
    text = _wait_metric(
        port, proc, "the invalid reload",
        lambda t: sample(t, "logscrub_ruleset_reload_total", outcome="invalid") >= 1,
    )
    assert sample(text, "logscrub_ruleset_reload_total", outcome="success") == 1
    assert sample(text, "logscrub_ruleset_info", version=v2) == 1
    kafka.produce(topics.raw, _records(2 * n, n))

    out = kafka.read(topics.clean, expect=3 * n, settle=2)
    ids = sorted(json.loads(m.value())["id"] for m in out)
    assert ids == list(range(3 * n)), "records lost or duplicated across the reloads"
    for msg in out:
        value = json.loads(msg.value())
        version = kafka.header(msg, "scrub.ruleset")
        assert "@example.com" not in value["msg"]
        if value["id"] < n:
            assert version == v1 and "ORD-" in value["msg"]
        else:
            assert version == v2, f"record {value['id']} scrubbed with {version}"
            assert "ORD-" not in value["msg"] and "[MASKED-ORDER_ID]" in value["msg"]
    assert "orders.yaml" in proc.log() and "ORD-1" not in proc.log()
