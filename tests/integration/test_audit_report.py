"""``logscrub audit report`` on the real broker: committed events of the period, per actor."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from confluent_kafka import Producer
from kafka_broker import create_topic, delete_topic

from scripts.access_events import access_message

pytestmark = pytest.mark.integration
REPO_ROOT = Path(__file__).resolve().parents[2]


def _produce(bootstrap: str, topic: str, messages, *, abort: bool = False) -> None:
    producer = Producer({"bootstrap.servers": bootstrap,
                         "transactional.id": f"it-audit-report-{uuid.uuid4().hex[:8]}"})
    producer.init_transactions(30)
    producer.begin_transaction()
    for key, value, headers in messages:
        producer.produce(topic, key=key, value=value, headers=headers)
    producer.flush(30)
    (producer.abort_transaction if abort else producer.commit_transaction)(30)


def _report(bootstrap: str, topic: str, fmt: str, out) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "processor.cli", "audit", "report", "--since", "7d",
         "--format", fmt, "--output", str(out), "--bootstrap-servers", bootstrap,
         "--access-topic", topic],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip


def test_audit_report__committed_events_of_the_period_per_actor(bootstrap, tmp_path):
    """Only committed, in-period, valid events count; JSON and HTML both come out."""
    topic = f"it-access-report-{uuid.uuid4().hex[:8]}"
    create_topic(bootstrap, topic, 2)
    try:
        now_ms = int(time.time() * 1000)
        _produce(bootstrap, topic, [access_message("eve", decision="deny")], abort=True)
        _produce(bootstrap, topic, [
            access_message("alice", decision="deny", operation="ViewRecords",
                           policy_ids=("records-need-ticket",)),
            access_message("alice", operation="ViewTimeline", ticket="INC-42",
                           justification="payments outage"),
            access_message("bob", operation="Reveal", ticket="INC-43"),
            access_message("carol", time_ms=now_ms - 9 * 86_400_000),  # before the period
        ])  # fmt: skip
        broken = Producer({"bootstrap.servers": bootstrap})
        broken.produce(topic, key=b"x", value=b"not an event")
        broken.flush(30)

        done = _report(bootstrap, topic, "json", tmp_path / "r.json")
        assert done.returncode == 0, done.stderr[-3000:]
        data = json.loads((tmp_path / "r.json").read_text())
        by_actor = {a["actor"]: a for a in data["actors"]}
        assert set(by_actor) == {"alice", "bob"}  # eve aborted, carol out of the period
        alice = by_actor["alice"]
        assert (alice["requests"], alice["denials"], alice["without_ticket"]) == (2, 1, 1)
        assert alice["tickets"] == ["INC-42"]
        assert alice["justifications"] == ["payments outage"]
        assert by_actor["bob"]["reveals_by_entity"] == {"unknown": 1}
        assert data["skipped_invalid"] == {"cloudevents_headers": 1}

        done = _report(bootstrap, topic, "html", tmp_path / "r.html")
        assert done.returncode == 0, done.stderr[-3000:]
        page = (tmp_path / "r.html").read_text()
        assert "<svg" in page and "alice" in page and "INC-42" in page
        assert "not an event" not in page and "not an event" not in done.stderr
    finally:
        delete_topic(bootstrap, topic, timeout=10)
