"""Helpers for the replay and snapshot integration tests: the CLI as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from confluent_kafka import Producer

from tests.configmap_dir import BASIC_RULES, ORDER_RULE

REPO_ROOT = Path(__file__).resolve().parents[2]

__all__ = ["logscrub", "produce_at", "rules_dirs"]


def logscrub(*args: str, env: dict[str, str] | None = None,
             timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run ``python -m processor.cli ARGS`` and return its result (stdout and stderr)."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("LOGSCRUB_")}
    full.update({"LOGSCRUB_SCRUB__NER_ENABLED": "false", "PYTHONUNBUFFERED": "1"})
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "processor.cli", *args], cwd=REPO_ROOT,
                          env=full, capture_output=True, text=True, timeout=timeout,
                          check=False)


def produce_at(bootstrap: str, topic: str, records: list[tuple[int, bytes, bytes]]) -> None:
    """Produce ``(timestamp_ms, key, value)`` records with those Kafka timestamps."""
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
    for ts, key, value in records:
        producer.produce(topic, key=key, value=value, timestamp=ts)
        producer.poll(0)
    assert producer.flush(60) == 0


def rules_dirs(tmp_path: Path) -> tuple[Path, Path]:
    """(old, new): the basic rules, and the basic rules plus the enforcing order rule."""
    old, new = tmp_path / "rules-old", tmp_path / "rules-new"
    for d in (old, new):
        d.mkdir()
        (d / "basic.yaml").write_text(BASIC_RULES)
    (new / "orders.yaml").write_text(ORDER_RULE)
    return old, new


def now_ms() -> int:
    """The current time in epoch milliseconds."""
    return int(time.time() * 1000)


def json_lines(path: Path) -> list[dict[str, object]]:
    """A JSON Lines file, parsed."""
    return [json.loads(line) for line in path.read_text().splitlines()]
