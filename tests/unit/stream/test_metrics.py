"""Metrics of committed batches: the right series, and labels that never carry content."""

from __future__ import annotations

from prometheus_client import REGISTRY

from processor import metrics
from processor.pipeline import Scrubber
from processor.stream.batch import transform_batch
from processor.stream.batch_metrics import count_committed

from .fakes import FakeMessage

SECRET_BITS = ("hunter2", "jane@example.com", "SECRET", "user-42")


def _label_values() -> set[str]:
    values: set[str] = set()
    for family in REGISTRY.collect():
        if family.name.startswith("logscrub_"):
            for sample in family.samples:
                values.update(sample.labels.values())
    return values


def test_committed_batch_counts_records_findings_and_quarantine(scrubber: Scrubber) -> None:
    """records in/out, findings by rule/entity/topic and quarantine by reason are counted."""
    topic = "unit.metrics.raw"
    raw = b"\xff hunter2 jane@example.com"
    msgs = [
        FakeMessage(b"mail jane@example.com and jane@example.com", _topic=topic, _key=b"user-42"),
        FakeMessage(raw, _topic=topic, _offset=1, _key=b"user-42"),
    ]
    batch = transform_batch(msgs, scrubber, output_topic="c", quarantine_topic="q",
                            output_partitions=1)
    count_committed(batch)
    get = REGISTRY.get_sample_value
    assert get("logscrub_records_in_total", {"topic": topic}) == 2
    assert get("logscrub_records_out_total", {"topic": topic}) == 2
    assert get("logscrub_findings_total",
               {"rule": "email-address", "entity": "EMAIL", "topic": topic}) == 2
    assert get("logscrub_records_quarantined_total",
               {"topic": topic, "reason": "undecodable"}) == 1


def test_label_values_never_hold_record_content() -> None:
    """No label value of any logscrub metric contains record content or keys."""
    metrics.CONSUMER_LAG.labels(topic="unit.metrics.raw", partition="0").set(3)
    metrics.TRANSACTIONS.labels(outcome="commit").inc()
    labels = _label_values()
    assert "unit.metrics.raw" in labels
    for bit in SECRET_BITS:
        assert not any(bit in v for v in labels)


def test_every_issue_metric_is_defined_once() -> None:
    """The metric names the issue lists exist with the documented label sets."""
    expected = {
        "logscrub_records_in": ("topic",),
        "logscrub_records_out": ("topic",),
        "logscrub_records_quarantined": ("topic", "reason"),
        "logscrub_findings": ("rule", "entity", "topic"),
        "logscrub_processing_seconds": (),
        "logscrub_consumer_lag": ("topic", "partition"),
        "logscrub_transactions": ("outcome",),
        "logscrub_ruleset_info": ("version",),
        "logscrub_ner_seconds": (),
        "logscrub_ruleset_reload": ("outcome",),
        "logscrub_shadow_findings": ("rule", "entity", "topic"),
        "logscrub_worker_starts": (),
    }
    defined = {
        m._name: tuple(m._labelnames)
        for m in vars(metrics).values()
        if hasattr(m, "_labelnames") and hasattr(m, "_name")
    }
    assert defined == expected
