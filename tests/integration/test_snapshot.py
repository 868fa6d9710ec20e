"""Replay by workflow run (through the index) and run snapshots, on the real broker."""

from __future__ import annotations

import json
import shutil
import uuid
from datetime import datetime

import pytest
from debugapi_harness import indexed
from kafka_broker import create_topic
from replay_harness import json_lines, logscrub

from processor.settings import BUNDLED_RULES

pytestmark = pytest.mark.integration

__all__ = ["indexed"]  # the shared fixture, imported so pytest finds it

# the run's timestamps are an hour old; the snapshot looks that far around them
_ENV = {"LOGSCRUB_REPLAY__SNAPSHOT_SLACK_S": "10800"}


def test_replay_by_run_reads_only_that_runs_records(indexed, kafka, bootstrap, tmp_path):
    """--workflow-id/--run-id replays the run's 8 raw records, found through the index; the
    diff against the rules without pii.yaml names the email rule with its one mask."""
    topics, config, _audit, secrets, _port = indexed
    staging = f"staging-{uuid.uuid4().hex[:10]}"
    create_topic(bootstrap, staging, 2)
    without_pii = tmp_path / "rules-without-pii"
    shutil.copytree(BUNDLED_RULES, without_pii)
    (without_pii / "pii.yaml").unlink()
    report = tmp_path / "diff.json"
    done = logscrub("--config", str(config), "replay", "--workflow-id", "charge-100",
                    "--run-id", "run-1", "--output", staging, "--diff-against",
                    str(without_pii), "--report", str(report))
    assert done.returncode == 0, done.stderr
    diff = json.loads(report.read_text())
    rows = {r["rule"]: r for r in diff["by_rule"]}
    # one email in the run's 8 records: the bundled rules add exactly that mask
    assert (rows["email-address"]["added"], rows["email-address"]["removed"]) == (1, 0)
    assert diff["records"] == 8 and diff["records_differing"] == 1
    assert not any(s in report.read_bytes() for s in secrets)
    out = kafka.read(staging, expect=8, settle=1)
    assert len(out) == 8
    for msg in out:
        assert (kafka.header(msg, "scrub.source") or "").startswith(topics.raw + "/")
        assert json.loads(msg.value())["workflow_id"] == "charge-100"
        assert not any(s in msg.value() for s in secrets)


def test_snapshot_round_trip_keeps_order_and_content(indexed, kafka, bootstrap, tmp_path):
    """A run's snapshot holds its 8 clean records; loading it replays them in order, unchanged,
    and a tampered file is refused."""
    topics, config, _audit, secrets, _port = indexed
    snap = tmp_path / "run.snapshot"
    done = logscrub("--config", str(config), "snapshot", "--workflow-id", "charge-100",
                    "--run-id", "run-1", "--out", str(snap), env=_ENV)
    assert done.returncode == 0, done.stderr
    lines = json_lines(snap)
    header, records = lines[0], lines[1:-1]
    assert header["records"] == len(records) == 8
    assert not any(s in snap.read_bytes() for s in secrets)
    clean = {f"{m.topic()}/{m.partition()}/{m.offset()}": m.value()
             for m in kafka.read(topics.clean, settle=0.5)}
    assert all(r["clean"] in clean for r in records)

    staging = f"staging-{uuid.uuid4().hex[:10]}"
    create_topic(bootstrap, staging, 1)
    done = logscrub("--config", str(config), "snapshot", "load", str(snap), "--topic", staging,
                    "--speed", "50")
    assert done.returncode == 0, done.stderr
    out = kafka.read(staging, expect=8, settle=1)
    assert [m.value() for m in out] == [clean[str(r["clean"])] for r in records]
    times = [datetime.fromisoformat(json.loads(m.value())["ts"]) for m in out]
    assert times == sorted(times)

    snap.write_text(snap.read_text().replace("charge-100", "charge-101", 1))
    done = logscrub("--config", str(config), "snapshot", "load", str(snap), "--topic", staging)
    assert done.returncode == 2 and "checksum mismatch" in done.stderr
    refused = logscrub("--config", str(config), "snapshot", "load", str(snap), "--topic",
                       topics.clean)
    assert refused.returncode == 2
