"""A real OpenTelemetry Collector on both sides of ``logscrub run``, on the real broker.

Collector A tails a workflow log file and exports OTLP protobuf to the raw topic with its
Kafka exporter; ``logscrub run`` scrubs the raw topic into the clean one; collector B reads
the clean topic with its Kafka receiver and writes what it got to a file. Both collectors
are ``otelcol-logscrub``, built by ``make install`` with ocb from otel/builder-config.yaml.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from otel_collector import Collector, collector_binary, file_to_kafka_config, kafka_to_file_config

pytestmark = pytest.mark.integration

N_LINES = 12


@dataclass(frozen=True)
class LogLine:
    """One workflow log line, its trace context and the secrets in it."""

    workflow_id: str
    trace_id: str
    span_id: str
    text: str
    secrets: tuple[str, ...]


def _workflow_lines(n: int) -> list[LogLine]:
    """``n`` JSON log lines of a payment workflow, each with trace context and secrets."""
    out = []
    for i in range(n):
        email, password = f"payer{i}.ops@example.com", f"Vault-{i}-Hunter2x"
        token = "ghp_" + f"{i:036d}"[-36:].replace("0", "k")
        card = "4111 1111 1111 1111"
        trace_id, span_id = f"{i + 1:032x}".replace("0", "a"), f"{i + 1:016x}".replace("0", "b")
        line = {
            "level": "ERROR",
            "trace_id": trace_id,
            "span_id": span_id,
            "workflow.id": f"wf-{i:04d}",
            "activity": "charge-card",
            "message": f"charge failed for {email} card {card} with token={token}",
            "user.email": email,
            "db.password": password,
        }
        fragments = (email, email.split("@")[0], password, token, token[4:20], "4111 1111")
        out.append(LogLine(f"wf-{i:04d}", trace_id, span_id, json.dumps(line), fragments))
    return out


def _records(path: Path) -> list[dict[str, Any]]:
    """Every log record in the file exporter's complete JSON lines so far."""
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    complete = text[: text.rfind("\n") + 1]
    return [
        record
        for line in complete.splitlines() if line.strip()
        for rl in json.loads(line).get("resourceLogs", [])
        for sl in rl.get("scopeLogs", [])
        for record in sl.get("logRecords", [])
    ]  # fmt: skip


def _attrs(record: dict[str, Any]) -> dict[str, Any]:
    """A record's attributes as key -> string value."""
    return {kv["key"]: kv["value"].get("stringValue") for kv in record.get("attributes", [])}


@pytest.fixture
def start_collector(tmp_path: Path) -> Iterator[Callable[[str, dict[str, Any]], Collector]]:
    """Start otelcol-logscrub on a config; stop every collector started at the end."""
    binary = collector_binary()
    if not binary.is_file():
        pytest.fail(f"no collector at {binary}: `make install` builds it (mk/otel.mk)")
    started: list[Collector] = []

    def start(name: str, config: dict[str, Any]) -> Collector:
        c = Collector.start(binary, name, config, tmp_path)
        started.append(c)
        return c

    yield start
    for c in started:
        c.stop()


def test_collector_to_collector_through_logscrub_is_masked_with_trace_context(
    topics_factory, start_processor, start_collector, bootstrap, tmp_path
):
    """Every line collector A reads reaches collector B's file masked, with its trace ids."""
    topics = topics_factory(raw_partitions=1, clean_partitions=1)
    lines = _workflow_lines(N_LINES)
    log_file = tmp_path / "workflow.log"
    log_file.write_text("".join(line.text + "\n" for line in lines), encoding="utf-8")
    out_file = tmp_path / "collector-b.json"

    pin = json.dumps({topics.raw: "otlp_proto"})
    proc = start_processor(topics, exit_when_idle=None, env={"LOGSCRUB_FORMATS__TOPICS": pin})
    b = start_collector("collector-b", kafka_to_file_config(
        bootstrap, topics.clean, f"{topics.group}-b", out_file))  # fmt: skip
    a = start_collector("collector-a", file_to_kafka_config(log_file, bootstrap, topics.raw))

    deadline = time.monotonic() + 180
    records = _records(out_file)
    while len(records) < N_LINES and time.monotonic() < deadline:
        for c in (a, b):
            assert c.running(), f"{c.name} exited:\n{c.log()}"
        assert proc.proc.poll() is None, proc.log()
        time.sleep(0.5)
        records = _records(out_file)
    assert len(records) >= N_LINES, f"B got {len(records)} records:\n{a.log()}\n{b.log()}"

    a.stop()
    proc.terminate()
    assert proc.wait(timeout=60) == 0, proc.log()
    assert b.stop() == 0, b.log()

    text = out_file.read_text(encoding="utf-8")
    for line in lines:
        for fragment in line.secrets:
            assert fragment not in text, f"a secret of {line.workflow_id} reached collector B"
            assert fragment not in proc.log()
    records = _records(out_file)
    by_id = {_attrs(r)["workflow.id"]: r for r in records}
    assert len(records) == N_LINES and sorted(by_id) == [line.workflow_id for line in lines]
    for line in lines:
        record = by_id[line.workflow_id]
        assert (record["traceId"], record["spanId"]) == (line.trace_id, line.span_id)
        assert record["severityNumber"] == 17  # ERROR, parsed by collector A, kept as is
        attrs = _attrs(record)
        assert attrs["user.email"] == "[MASKED-EMAIL]"
        assert attrs["db.password"] == "[MASKED-PASSWORD]"
        assert attrs["activity"] == "charge-card"
        body = record["body"]["stringValue"]
        assert body.startswith("charge failed for [MASKED-EMAIL] card ")
