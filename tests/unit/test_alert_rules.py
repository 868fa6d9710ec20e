"""The alert rules file as data: fixed names, labels, runbooks, tests and real metric names."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from prometheus_client import REGISTRY

import processor.metrics  # noqa: F401 - registers the processor's metrics
from processor.monitor.metrics import MonitorMetrics
from processor.settings import MonitorSettings

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "alerts" / "logscrub.rules.yml"
RUNBOOKS = ROOT / "docs" / "runbooks.md"
TESTS = sorted((ROOT / "alerts" / "tests").glob("*.test.yml"))

FIXED_ALERTS = {
    "LogscrubFindingsSpike", "LogscrubNewEntityOnTopic", "LogscrubDetectorSilent",
    "LogscrubQuarantineRate", "LogscrubTransactionAborts", "LogscrubConsumerLagHigh",
    "LogscrubWorkerRestarts", "LogscrubDown", "LogscrubDebugAccessDeniedBurst",
    "LogscrubDebugRevealBurst", "LogscrubDebugAccessWithoutTicket",
    "LogscrubDebugMutationAttempt", "LogscrubDebugAuditWriteFailures", "LogscrubMonitorDown",
}
#: Exported by the debug API (issue 9), not by code in this package.
EXTERNAL_METRICS = {"logscrub_debug_audit_write_failures_total"}


def _alerts() -> list[dict[str, Any]]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    return [r for g in groups for r in g["rules"] if "alert" in r]


def test_rules__exactly_the_fixed_alert_names() -> None:
    """The rules file defines each fixed alert name once, and no other alert."""
    names = [a["alert"] for a in _alerts()]
    assert sorted(names) == sorted(FIXED_ALERTS)


def test_rules__every_alert_has_severity_summary_description_and_a_runbook_section() -> None:
    """Each alert has a severity, a summary and description naming labels, and a runbook."""
    anchors = {
        re.sub(r"[^a-z0-9-]", "", line[3:].strip().lower().replace(" ", "-"))
        for line in RUNBOOKS.read_text().splitlines() if line.startswith("## ")
    }  # fmt: skip
    for alert in _alerts():
        name = alert["alert"]
        assert alert["labels"]["severity"] in ("warning", "critical"), name
        notes = alert["annotations"]
        assert notes["summary"] and notes["description"], name
        assert "$labels." in notes["summary"] + notes["description"], name
        page, _, anchor = notes["runbook_url"].partition("#")
        assert page == "docs/runbooks.md" and anchor in anchors, name
        assert alert.get("for"), f"{name} needs a for: duration"


def test_rules__every_alert_has_a_firing_and_a_near_miss_promtool_case() -> None:
    """Across the promtool test files each alert fires at least once and misses at least once."""
    fires: set[str] = set()
    misses: set[str] = set()
    for path in TESTS:
        for test in yaml.safe_load(path.read_text())["tests"]:
            for case in test.get("alert_rule_test", []):
                (fires if case.get("exp_alerts") else misses).add(case["alertname"])
    assert fires == FIXED_ALERTS and misses == FIXED_ALERTS


def test_rules__every_metric_used_is_exported() -> None:
    """Every raw logscrub_* metric in an expression is one that logscrub exports."""
    families = [*REGISTRY.collect(), *MonitorMetrics(MonitorSettings()).registry.collect()]
    exported = {m.name + ("_total" if m.type == "counter" else "") for m in families}
    groups = yaml.safe_load(RULES.read_text())["groups"]
    used = {
        name for g in groups for r in g["rules"]
        for name in re.findall(r"(?<![:\w])(logscrub_[a-z_]+)(?![:\w])", r["expr"])
    }  # fmt: skip
    assert used - EXTERNAL_METRICS <= exported, sorted(used - EXTERNAL_METRICS - exported)
