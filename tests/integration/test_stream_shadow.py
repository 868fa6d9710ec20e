"""Shadow rules on the real broker: counted per rule and topic, not masked, then promoted."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest
from http_probe import free_port, http_get, sample

from processor.cli import main
from processor.rules.loader import load_rules
from tests.configmap_dir import BASIC_RULES, SHADOW_RULES

pytestmark = pytest.mark.integration


def _records(start: int, n: int) -> list[tuple[bytes, bytes, None]]:
    return [
        (None,
         json.dumps({"msg": f"order ORD-{100000 + i} for user{i}@example.com", "id": i}).encode(),
         None)
        for i in range(start, start + n)
    ]


def _metrics_until(port: int, proc, what: str, check) -> str:
    deadline = time.monotonic() + 60
    while True:
        status, text = http_get(port, "/metrics")
        if status == 200 and check(text):
            return text
        assert proc.proc.poll() is None, proc.log()
        assert time.monotonic() < deadline, f"{what} never happened\n{proc.log()}"
        time.sleep(0.3)


def test_shadow_counts_then_promote_and_reload(topics_factory, start_processor, kafka,
                                               tmp_path: Path):
    """Shadow hits are counted (not masked); after promote and SIGHUP the rule masks."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "basic.yaml").write_text(BASIC_RULES)
    (rules / "shadow.yaml").write_text(SHADOW_RULES)
    port = free_port()
    topics = topics_factory(raw_partitions=1, clean_partitions=1)
    proc = start_processor(topics, exit_when_idle=None, metrics_port=port,
                           env={"LOGSCRUB_SCRUB__RULES_DIR": str(rules)})
    n = 40
    kafka.produce(topics.raw, _records(0, n))
    text = _metrics_until(
        port, proc, "shadow counting",
        lambda t: sample(t, "logscrub_records_out_total", topic=topics.raw) == n)
    assert sample(text, "logscrub_shadow_findings_total", rule="order-number",
                  entity="ORDER_ID", topic=topics.raw) == n
    # every example.com hit lies inside an email address the live rule masks
    assert sample(text, "logscrub_shadow_findings_total", rule="example-domain") == 0
    first = kafka.read(topics.clean, expect=n, settle=0.5)
    assert all("ORD-" in json.loads(m.value())["msg"] for m in first)
    assert all("@example.com" not in json.loads(m.value())["msg"] for m in first)

    assert main(["rules", "promote", "order-number", "--rules", str(rules)]) == 0
    promoted = load_rules(rules).version
    os.kill(proc.proc.pid, signal.SIGHUP)
    _metrics_until(port, proc, "the reload of the promoted rule",
                   lambda t: sample(t, "logscrub_ruleset_info", version=promoted) == 1)
    kafka.produce(topics.raw, _records(n, n))
    out = kafka.read(topics.clean, expect=2 * n, settle=1)
    assert len(out) == 2 * n
    later = [json.loads(m.value()) for m in out if json.loads(m.value())["id"] >= n]
    assert len(later) == n and all("[MASKED-ORDER_ID]" in v["msg"] for v in later)
