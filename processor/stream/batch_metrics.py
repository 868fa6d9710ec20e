"""The counters a batch adds to once its transaction has committed (never before: an
aborted batch is processed again and must not be counted twice)."""

from __future__ import annotations

from processor import metrics
from processor.stream.batch import BatchOutput

__all__ = ["count_committed"]


def count_committed(batch: BatchOutput) -> None:
    """Add a committed batch to the record, quarantine and findings counters."""
    for topic, n in batch.records_in.items():
        metrics.RECORDS_IN.labels(topic=topic).inc(n)
        metrics.RECORDS_OUT.labels(topic=topic).inc(n)
    for (topic, reason), n in batch.quarantined.items():
        metrics.RECORDS_QUARANTINED.labels(topic=topic, reason=reason).inc(n)
    for topic, counts in batch.findings.items():
        metrics.record_findings(counts, topic)
    for topic, counts in batch.shadow.items():
        metrics.record_shadow_findings(counts, topic)
