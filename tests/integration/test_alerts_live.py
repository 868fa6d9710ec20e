"""End to end: real processor, monitor, Prometheus and Alertmanager; the alerts arrive."""

from __future__ import annotations

import json
import os
import time

import monitor_fixtures
import pytest
from monitor_fixtures import free_port

from scripts.access_events import access_message
from scripts.prometheus_stack import PrometheusStack, tools_available

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not tools_available(), reason="needs Debian's prometheus packages "
                       "(make install installs them)"),
]
monitor_topics = monitor_fixtures.monitor_topics
start_monitor = monitor_fixtures.start_monitor

RULES = monitor_fixtures.REPO_ROOT / "alerts" / "logscrub.rules.yml"
ATTACKER = "mallory@example.com"


def _backfill(topic: str) -> str:
    """Three hours of history ending 15 minutes ago: the topic flowed and carried EMAIL."""
    now = int(time.time())
    stamps = range(now - 3 * 3600, now - 15 * 60, 300)
    lines = ["# TYPE topic:logscrub_records_in:present gauge"]
    lines += [f'topic:logscrub_records_in:present{{topic="{topic}"}} 1 {t}' for t in stamps]
    lines.append("# TYPE topic_entity:logscrub_findings:present gauge")
    lines += [f'topic_entity:logscrub_findings:present{{topic="{topic}",entity="EMAIL"}} 1 {t}'
              for t in stamps]
    return "\n".join([*lines, "# EOF", ""])


def _records(n: int, start: int, *, iban: bool) -> list[tuple[bytes, bytes, None]]:
    out = []
    for i in range(start, start + n):
        value = {"msg": f"login by customer{i}@example.com", "id": i}
        if iban:
            value["note"] = "refund to iban DE89 3704 0044 0532 0130 00"
        out.append((f"k{i % 5}".encode(), json.dumps(value).encode(), None))
    return out


def _alert_names(stack: PrometheusStack) -> set[tuple[str, str, str]]:
    return {
        (a["labels"]["alertname"], a["labels"].get("topic", ""), a["labels"].get("entity", ""))
        for a in stack.am_alerts()
    }


def test_alerts__denied_burst_and_new_entity_reach_alertmanager(
    tmp_path, bootstrap, kafka, topics_factory, start_processor, monitor_topics, start_monitor
):
    """A burst of denied requests and a stream with a new entity both alert via Alertmanager."""
    raw = topics_factory(raw_partitions=1, clean_partitions=1)
    proc_port = free_port()
    processor = start_processor(raw, exit_when_idle=None, metrics_port=proc_port)
    monitor = start_monitor(monitor_topics, {"LOGSCRUB_MONITOR__THRESHOLDS__DENIED": "5"})
    kafka.produce(raw.raw, _records(50, 0, iban=False))

    stack = PrometheusStack(
        tmp_path / "prom", RULES,
        {"logscrub": f"127.0.0.1:{proc_port}", "logscrub-monitor": f"127.0.0.1:{monitor.port}"},
        backfill=_backfill(raw.raw),
    )  # fmt: skip
    try:
        stack.start()
        deadline = time.monotonic() + 120
        while not stack.query(f'logscrub_findings_total{{topic="{raw.raw}",entity="EMAIL"}}'):
            assert time.monotonic() < deadline, "EMAIL findings never scraped\n" + processor.log()
            time.sleep(1)
        monitor.wait_metric("logscrub_debug_access_bursts_total", 0, kind="denied")

        # The attack and the new personal data.
        kafka.produce(monitor_topics.access,
                      [access_message(ATTACKER, decision="deny", operation="ViewRecords")
                       for _ in range(6)])  # fmt: skip
        kafka.produce(raw.raw, _records(20, 50, iban=True))

        want = {("LogscrubDebugAccessDeniedBurst", "", ""),
                ("LogscrubNewEntityOnTopic", raw.raw, "IBAN")}
        deadline = time.monotonic() + 240
        while not want <= (got := _alert_names(stack)):
            if time.monotonic() > deadline:
                pytest.fail(f"alerts {want - got} never reached Alertmanager; got {got}\n"
                            f"{stack.logs()}\n{monitor.log()[-3000:]}")
            time.sleep(2)
        # EMAIL was on the topic all along: it is not new.
        assert ("LogscrubNewEntityOnTopic", raw.raw, "EMAIL") not in got
        burst = next(a for a in stack.am_alerts()
                     if a["labels"]["alertname"] == "LogscrubDebugAccessDeniedBurst")
        assert burst["labels"]["severity"] == "warning"
        assert burst["annotations"]["runbook_url"].endswith("#logscrubdebugaccessdeniedburst")
        # The actor is in the burst event, never in a label or annotation.
        assert ATTACKER not in json.dumps(stack.am_alerts())
    finally:
        stack.stop()
        monitor.terminate()
        processor.terminate()
        processor.wait(60)
    # Nothing is left behind: every process has exited and been reaped.
    for pid in [*stack.pids(), monitor.proc.pid, processor.proc.pid]:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
