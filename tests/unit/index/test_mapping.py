"""Field-mapping presets turn clean records into timeline entries."""

from __future__ import annotations

import json

from processor.index.mapping import PRESETS, extract_entry, mappings_for
from processor.settings import FieldMapping, IndexSettings

HEADERS = {"scrub.source": "logs.raw/2/41", "scrub.ruleset": "abc123"}
ALL = mappings_for(IndexSettings())


def _entry(value, headers=HEADERS, mappings=ALL):
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return extract_entry(raw, headers, 1_700_000_000_000, mappings, topic="clean",
                         partition=1, offset=9)


def test_temporal_activity_log():
    """Temporal's WorkflowID, RunID, ActivityType, Attempt and Namespace are mapped."""
    e = _entry({"level": "WARN", "ts": "2026-11-28T10:00:00.250Z", "msg": "Activity error.",
                "Namespace": "payments", "WorkflowID": "charge-1", "RunID": "r-1",
                "ActivityType": "ChargeCard", "Attempt": 3, "Duration": "1.5s"})
    assert (e.workflow_id, e.run_id, e.step, e.attempt, e.event) == (
        "charge-1", "r-1", "ChargeCard", 3, "failed")
    assert e.namespace == "payments" and e.service == "payments" and e.duration_ms == 1500
    assert e.ts_ms == 1_795_860_000_250 and e.source == "logs.raw/2/41"


def test_argo_node_event():
    """Argo's workflow, node and phase are mapped."""
    e = _entry({"time": "2026-11-28T10:00:00Z", "namespace": "argo", "workflow": "nightly-x",
                "workflowUID": "u-1", "node": "build", "phase": "Succeeded"})
    assert (e.workflow_id, e.run_id, e.step, e.event) == ("nightly-x", "u-1", "build",
                                                          "completed")


def test_airflow_task_log():
    """Airflow's dag_id, run_id, task_id and try_number are mapped."""
    e = _entry({"asctime": "2026-11-28 10:00:00,123", "dag_id": "etl", "task_id": "load",
                "run_id": "scheduled__2026", "try_number": 2, "state": "up_for_retry",
                "message": "retrying"})
    assert (e.workflow_id, e.run_id, e.step, e.attempt) == ("etl", "scheduled__2026", "load", 2)
    assert e.event == "log"  # state wins over message and says nothing we map
    assert e.ts_ms == 1_795_860_000_123


def test_generic_logfmt():
    """Plain workflow_id/run_id/step keys work in logfmt too."""
    e = _entry(b'ts=1764324000 level=info msg="step completed" workflow_id=order-9 '
               b'run_id=r9 step=ship event=completed service=orders')
    assert (e.workflow_id, e.run_id, e.step, e.event, e.service) == (
        "order-9", "r9", "ship", "completed", "orders")
    assert e.ts_ms == 1_764_324_000_000


def test_not_a_workflow_record__skipped():
    """Records without a workflow id, or plain text, are not indexed."""
    assert _entry({"msg": "hello"}) is None
    assert _entry(b"just some text") is None
    assert _entry(b"\xff\xfe") is None


def test_unscrubbed_record__never_indexed():
    """A record without logscrub's headers did not pass the scrubber and is skipped."""
    assert _entry({"workflow_id": "w", "run_id": "r"}, headers={}) is None
    assert _entry({"workflow_id": "w"}, headers={"scrub.source": "x/0/1"}) is None


def test_custom_mapping__first():
    """A mapping in the settings comes before the presets."""
    custom = FieldMapping(name="mine", workflow_id=("job",), step=("phase_name",))
    mappings = mappings_for(IndexSettings(mappings=(custom,), presets=("generic",)))
    e = _entry({"job": "j1", "phase_name": "p", "workflow_id": "ignored"}, mappings=mappings)
    assert (e.workflow_id, e.step, e.run_id) == ("j1", "p", "-")
    assert set(PRESETS) == {"temporal", "argo", "airflow", "generic"}
