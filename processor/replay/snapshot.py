"""Run snapshots: one workflow run's clean records in a file, and back onto staging.

``write_snapshot`` finds the run's source coordinates in the timeline index, reads the
clean topic around the run's time span, and keeps the clean records whose
``scrub.source`` belongs to the run. Only records that logscrub wrote (they carry
``scrub.ruleset``) are kept, so the file holds scrubbed content only.

The file is JSON Lines: a header line, one line per record (key, value and header values
base64-encoded, the clean and source coordinates, the Kafka timestamp and the rule set
version), and a last line with the SHA-256 of everything before it. ``load_snapshot``
checks that checksum, then produces the records to a staging topic in their original
order (each to its original partition number, modulo the target's) with their original
spacing in time, divided by ``speed``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from confluent_kafka import Message, Producer

from processor.errors import ConfigError, StreamError
from processor.settings import Settings
from processor.stream.config import producer_config
from processor.stream.headers import RULESET_HEADER, SOURCE_HEADER

from .bounds import ranges_for_times
from .guard import check_target
from .reader import open_reader, read_ranges
from .sources import run_records

__all__ = ["FORMAT", "load_snapshot", "read_snapshot", "schedule", "write_snapshot"]

FORMAT = "logscrub-snapshot/1"
Progress = Callable[[int, int | None], None]


def _b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode("ascii")


def _unb64(text: str | None) -> bytes | None:
    return None if text is None else base64.b64decode(text)


def _header(msg: Message, name: str) -> str | None:
    for header in msg.headers() or []:
        if header[0] == name and isinstance(header[1], bytes):
            return header[1].decode("utf-8", "replace")
    return None


def write_snapshot(settings: Settings, workflow_id: str, run_id: str, out: Path, *,
                   clean_topic: str | None = None,
                   on_progress: Progress = lambda d, t: None) -> dict[str, Any]:
    """Write the run's clean records to ``out``; return the summary."""
    topic = clean_topic or settings.kafka.output
    indexed = run_records(settings.index, workflow_id, run_id)
    sources = {s for _ts, s in indexed}
    slack = int(settings.replay.snapshot_slack_s * 1000)
    lo, hi = min(t for t, _s in indexed) - slack, max(t for t, _s in indexed) + slack + 1
    consumer = open_reader(settings.kafka, "snapshot")
    found: dict[str, Message] = {}
    try:
        ranges = ranges_for_times(consumer, topic, max(0, lo), hi)
        for batch in read_ranges(consumer, ranges, lambda m: _header(m, SOURCE_HEADER) in sources
                                 and _header(m, RULESET_HEADER) is not None):
            for msg in batch:
                found.setdefault(_header(msg, SOURCE_HEADER) or "", msg)
            on_progress(len(found), len(sources))
    finally:
        consumer.close()
    ordered = sorted(found.values(), key=lambda m: (m.timestamp()[1], m.partition() or 0,
                                                    m.offset() or 0))
    rulesets = sorted({_header(m, RULESET_HEADER) or "" for m in ordered})
    lines = [json.dumps({"format": FORMAT, "workflow_id": workflow_id, "run_id": run_id,
                         "clean_topic": topic, "records": len(ordered), "rulesets": rulesets,
                         "created_ms": int(time.time() * 1000)})]
    for msg in ordered:
        lines.append(json.dumps({
            "clean": f"{msg.topic()}/{msg.partition()}/{msg.offset()}",
            "source": _header(msg, SOURCE_HEADER), "ruleset": _header(msg, RULESET_HEADER),
            "partition": msg.partition(), "ts": msg.timestamp()[1],
            "key": _b64(msg.key()), "value": _b64(msg.value()),
            "headers": [[str(h[0]), _b64(h[1] if isinstance(h[1], bytes) else None)]
                        for h in msg.headers() or []],
        }))  # fmt: skip
    body = "".join(line + "\n" for line in lines)
    checksum = hashlib.sha256(body.encode("utf-8")).hexdigest()
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(body + json.dumps({"sha256": checksum}) + "\n")
    return {"file": str(out), "records": len(ordered), "indexed": len(sources),
            "missing from the clean topic": len(sources) - len(ordered),
            "rulesets": ", ".join(rulesets), "sha256": checksum}


def read_snapshot(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]], str]:
    """The header, the records and the checksum of a snapshot; ConfigError when tampered."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    if len(lines) < 2:
        raise ConfigError(f"{path.name}: not a snapshot file")
    body, last = "".join(lines[:-1]), lines[-1]
    try:
        expected = json.loads(last)["sha256"]
        header = json.loads(lines[0])
    except (ValueError, KeyError, TypeError):
        raise ConfigError(f"{path.name}: not a snapshot file") from None
    actual = hashlib.sha256(body.encode("utf-8")).hexdigest()
    if actual != expected:
        raise ConfigError(f"{path.name}: checksum mismatch; the file was changed or truncated")
    if header.get("format") != FORMAT:
        raise ConfigError(f"{path.name}: unknown snapshot format")
    return header, [json.loads(line) for line in lines[1:-1]], actual


def schedule(timestamps: list[int], speed: float) -> list[float]:
    """Seconds after the start at which each record is due: the original spacing / speed.

    ``speed`` 0 means no waiting at all. Timestamps that go backwards (another partition,
    a producer-set time) are due at once, never before the previous record.
    """
    if speed <= 0 or not timestamps:
        return [0.0] * len(timestamps)
    first, due, last = timestamps[0], [], 0.0
    for ts in timestamps:
        last = max(last, (ts - first) / 1000 / speed)
        due.append(last)
    return due


def load_snapshot(settings: Settings, path: Path, topic: str, *, speed: float = 1.0,
                  on_progress: Progress = lambda d, t: None,
                  sleep: Callable[[float], None] = time.sleep,
                  clock: Callable[[], float] = time.monotonic) -> dict[str, Any]:
    """Produce a snapshot's records to ``topic`` in order and with their relative timing."""
    if speed < 0:
        raise ConfigError("--speed must be 0 (no waiting) or more")
    check_target(settings, topic)
    _header_line, records, checksum = read_snapshot(path)
    conf = producer_config(settings.kafka, 0)
    conf.pop("transactional.id", None)
    conf["client.id"] = "logscrub-snapshot-load"
    producer = Producer(conf)
    md = producer.list_topics(topic, timeout=15)
    tmd = md.topics.get(topic)
    if tmd is None or tmd.error is not None or not tmd.partitions:
        raise ConfigError(f"topic {topic!r} does not exist; create the staging topic first")
    partitions = len(tmd.partitions)
    failures: list[Any] = []
    started = clock()
    due = schedule([int(r["ts"]) for r in records], speed)
    for i, rec in enumerate(records):
        wait = due[i] - (clock() - started)
        if wait > 0:
            producer.poll(0)
            sleep(wait)
        headers: list[tuple[str, str | bytes | None]] = [
            (str(k), _unb64(v)) for k, v in rec["headers"]
        ]
        producer.produce(topic, key=_unb64(rec["key"]), value=_unb64(rec["value"]),
                         headers=headers, partition=int(rec["partition"]) % partitions,
                         on_delivery=lambda err, _m: failures.append(err) if err else None)
        producer.poll(0)
        on_progress(i + 1, len(records))
    if producer.flush(60) or failures:
        raise StreamError("some snapshot records were not delivered")
    return {"file": str(path), "topic": topic, "records": len(records), "speed": speed,
            "seconds": f"{clock() - started:.1f}", "sha256": checksum}
