"""Every Prometheus metric of logscrub, defined once.

The worker processes write their metrics to per-process files under
``PROMETHEUS_MULTIPROC_DIR`` (prometheus-client's multiprocess mode). The supervisor
sets that variable before it spawns the workers and serves the merged view with
:func:`merged_registry`. A process started without the variable keeps its metrics in
memory, which is what the unit tests use.

Label values are only topic names, partition numbers, rule ids, entity types, reason
codes and outcomes: never record content, keys or header values.
"""

from __future__ import annotations

from collections import Counter as CounterType
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, multiprocess

__all__ = [
    "CONSUMER_LAG",
    "FINDINGS",
    "NER_SECONDS",
    "PROCESSING_SECONDS",
    "RECORDS_IN",
    "RECORDS_OUT",
    "RECORDS_QUARANTINED",
    "RULESET_INFO",
    "RULESET_RELOADS",
    "SHADOW_FINDINGS",
    "SUPERVISOR_REGISTRY",
    "TRANSACTIONS",
    "WORKER_STARTS",
    "mark_worker_dead",
    "merged_registry",
    "record_findings",
    "record_shadow_findings",
]

RECORDS_IN = Counter(
    "logscrub_records_in",
    "Records consumed from an input topic and committed.",
    ["topic"],
)
RECORDS_OUT = Counter(
    "logscrub_records_out",
    "Scrubbed records committed to the clean topic, by source topic.",
    ["topic"],
)
RECORDS_QUARANTINED = Counter(
    "logscrub_records_quarantined",
    "Records that could not be scrubbed safely: fully masked and quarantined.",
    ["topic", "reason"],
)
FINDINGS = Counter(
    "logscrub_findings",
    "Masked findings (the detector hit rates), by rule, entity type and source topic.",
    ["rule", "entity", "topic"],
)
PROCESSING_SECONDS = Histogram(
    "logscrub_processing_seconds",
    "Seconds from a batch being consumed to its transaction being committed.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
CONSUMER_LAG = Gauge(
    "logscrub_consumer_lag",
    "Records between the consumer position and the last stable offset, per partition.",
    ["topic", "partition"],
    # Only the live process that owns a partition reports it; a revoked partition
    # is set to 0 by its previous owner, so the max across live workers is the lag.
    multiprocess_mode="livemax",
)
TRANSACTIONS = Counter(
    "logscrub_transactions",
    "Kafka transactions ended, by outcome (commit or abort).",
    ["outcome"],
)
RULESET_INFO = Gauge(
    "logscrub_ruleset_info",
    "The version hash of the rule set the workers run (value 1).",
    ["version"],
    multiprocess_mode="livemax",
)
#: Metrics of the supervisor process itself, served beside the workers' merged files.
SUPERVISOR_REGISTRY = CollectorRegistry(auto_describe=True)
RULESET_RELOADS = Counter(
    "logscrub_ruleset_reload",
    "Rule set reloads (SIGHUP or a change in the rules directory), by outcome: "
    "success, invalid (the old rules stay), unchanged.",
    ["outcome"],
    registry=SUPERVISOR_REGISTRY,
)
SHADOW_FINDINGS = Counter(
    "logscrub_shadow_findings",
    "Findings of mode: shadow rules that the live rules would not have masked (not masked).",
    ["rule", "entity", "topic"],
)
WORKER_STARTS = Counter(
    "logscrub_worker_starts",
    "Worker processes started by the supervisor (a rise after start-up is a restart).",
)
NER_SECONDS = Counter(
    "logscrub_ner_seconds",
    "Seconds spent in named-entity recognition.",
)


def record_findings(counts: CounterType[tuple[str, str]], topic: str) -> None:
    """Add the ``(rule_id, entity)`` counts of committed records to the hit rates."""
    for (rule, entity), n in counts.items():
        if n:
            FINDINGS.labels(rule=rule, entity=entity, topic=topic).inc(n)


def record_shadow_findings(counts: CounterType[tuple[str, str]], topic: str) -> None:
    """Add the ``(rule_id, entity)`` counts of shadow findings of committed records."""
    for (rule, entity), n in counts.items():
        if n:
            SHADOW_FINDINGS.labels(rule=rule, entity=entity, topic=topic).inc(n)


def merged_registry(multiproc_dir: Path) -> CollectorRegistry:
    """A registry that merges the metric files of every worker process in ``multiproc_dir``."""
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(multiproc_dir))  # type: ignore[no-untyped-call]
    return registry


def mark_worker_dead(pid: int, multiproc_dir: Path) -> None:
    """Drop the live gauges of a worker process that has exited."""
    multiprocess.mark_process_dead(pid, path=str(multiproc_dir))  # type: ignore[no-untyped-call]
