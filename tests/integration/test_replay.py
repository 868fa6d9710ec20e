"""`logscrub replay` on the real broker: bounds, staging output, diff report, refusals."""

from __future__ import annotations

import json
import uuid

import pytest
from kafka_broker import create_topic
from replay_harness import logscrub, now_ms, produce_at, rules_dirs

pytestmark = pytest.mark.integration

HOUR = 3_600_000


def _record(i: int) -> bytes:
    return json.dumps({"msg": f"order ORD-{100000 + i} for user{i}@example.com", "id": i}).encode()


@pytest.fixture
def staging(bootstrap):
    """A fresh staging topic with two partitions."""
    name = f"staging-{uuid.uuid4().hex[:10]}"
    create_topic(bootstrap, name, 2)
    return name


def test_replay_by_time_writes_staging_and_reports_the_added_rule(
        topics_factory, bootstrap, kafka, staging, tmp_path):
    """Only records after --from are replayed, tagged with the replay id; the diff names the
    added rule with the right counts and shows no raw text."""
    topics = topics_factory(raw_partitions=2, clean_partitions=2)
    base = now_ms() - 3 * HOUR
    early = [(base + i, f"k{i}".encode(), _record(i)) for i in range(10)]
    late = [(base + 2 * HOUR + i, f"k{i}".encode(), _record(i)) for i in range(10, 30)]
    produce_at(bootstrap, topics.raw, early + late)
    old, new = rules_dirs(tmp_path)
    report_path = tmp_path / "diff.json"
    done = logscrub("replay", "--topic", topics.raw, "--from", str(base + HOUR),
                    "--rules", str(new), "--diff-against", str(old), "--output", staging,
                    "--report", str(report_path), "--bootstrap-servers", bootstrap,
                    env={"LOGSCRUB_KAFKA__OUTPUT": topics.clean})
    assert done.returncode == 0, done.stderr
    report = json.loads(report_path.read_text())
    out = kafka.read(staging, expect=20, settle=1)
    assert len(out) == 20
    raw_offsets = set()
    for msg in out:
        assert kafka.header(msg, "scrub.replay") == report["replay_id"]
        topic, _partition, offset = (kafka.header(msg, "scrub.source") or "").split("/")
        assert topic == topics.raw
        raw_offsets.add((_partition, offset))
        value = json.loads(msg.value())
        assert value["id"] >= 10
        assert "ORD-" not in value["msg"] and "@example.com" not in value["msg"]
    assert len(raw_offsets) == 20
    rows = {r["rule"]: r for r in report["by_rule"]}
    assert (rows["order-number"]["added"], rows["order-number"]["removed"]) == (20, 0)
    assert (rows["order-number"]["new"], rows["order-number"]["old"]) == (20, 0)
    assert rows["email-address"]["added"] == rows["email-address"]["removed"] == 0
    assert report["records"] == report["records_differing"] == 20
    examples = rows["order-number"]["examples"]
    assert examples and all("[MASKED-ORDER_ID]" in e["line"] for e in examples)
    text = report_path.read_text() + done.stdout + done.stderr
    assert "ORD-1" not in text and "@example.com" not in text
    assert "order-number" in done.stdout and "20 of 20 records differ" in done.stdout
    assert len(kafka.read(topics.clean, settle=0.5)) == 0


def test_replay_by_offsets_reads_exactly_the_range(topics_factory, bootstrap, kafka, staging,
                                                   tmp_path):
    """--offsets 0:2-7 replays offsets 2 to 6 of partition 0 and nothing else."""
    topics = topics_factory(raw_partitions=1, clean_partitions=1)
    produce_at(bootstrap, topics.raw, [(now_ms(), b"k", _record(i)) for i in range(12)])
    _old, new = rules_dirs(tmp_path)
    done = logscrub("replay", "--topic", topics.raw, "--offsets", "0:2-7", "--rules", str(new),
                    "--output", staging, "--bootstrap-servers", bootstrap,
                    env={"LOGSCRUB_KAFKA__OUTPUT": topics.clean})
    assert done.returncode == 0, done.stderr
    out = kafka.read(staging, expect=5, settle=1)
    sources = sorted(int((kafka.header(m, "scrub.source") or "").rsplit("/", 1)[1]) for m in out)
    assert sources == [2, 3, 4, 5, 6]


@pytest.mark.parametrize("target", ["clean", "production", "raw"])
def test_replay_refuses_production_topics(topics_factory, bootstrap, kafka, tmp_path, target):
    """The clean topic, a production-pattern topic and the raw input are refused (exit 2)."""
    topics = topics_factory(raw_partitions=1, clean_partitions=1)
    produce_at(bootstrap, topics.raw, [(now_ms(), b"k", _record(i)) for i in range(3)])
    prod = f"prod.logs-{uuid.uuid4().hex[:6]}"
    output = {"clean": topics.clean, "production": prod, "raw": topics.raw}[target]
    done = logscrub("replay", "--topic", topics.raw, "--offsets", "0:0-3", "--output", output,
                    "--bootstrap-servers", bootstrap,
                    env={"LOGSCRUB_KAFKA__OUTPUT": topics.clean,
                         "LOGSCRUB_KAFKA__INPUTS": f'["{topics.raw}"]',
                         "LOGSCRUB_REPLAY__PRODUCTION_PATTERNS": '["prod[.].*"]'})
    assert done.returncode == 2, done.stderr
    assert "refusing to write" in done.stderr
    assert len(kafka.read(topics.clean, settle=0.5)) == 0
