"""A real OpenTelemetry Collector (otelcol-logscrub, built by ``make install`` with ocb).

``collector_binary()`` asks ``mk/otel.mk`` where the cached build lives, so the tests and
the Makefile never disagree. ``Collector`` runs one collector process with a config
written to a temp dir (JSON, which the collector reads as YAML), in its own process group,
with its output in a log file.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Collector", "collector_binary", "file_to_kafka_config", "kafka_to_file_config"]

REPO_ROOT = Path(__file__).resolve().parents[2]

# No internal telemetry server: a fixed :8888 would collide with other collectors here.
_SERVICE_TELEMETRY = {"metrics": {"level": "none"}, "logs": {"level": "info"}}


def collector_binary() -> Path:
    """The path of the collector that ``make install`` built (it may not exist yet)."""
    out = subprocess.run(
        ["make", "-s", "-f", "mk/otel.mk", "otelcol-path"],
        cwd=REPO_ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return Path(out.stdout.strip())


def file_to_kafka_config(log_file: Path, bootstrap: str, topic: str) -> dict[str, Any]:
    """Collector A: tail JSON workflow log lines, keep their trace context, export OTLP."""
    operators = [
        {"type": "json_parser", "severity": {"parse_from": "attributes.level"}},
        {"type": "trace_parser",
         "trace_id": {"parse_from": "attributes.trace_id"},
         "span_id": {"parse_from": "attributes.span_id"}},
        {"type": "remove", "field": "attributes.trace_id"},
        {"type": "remove", "field": "attributes.span_id"},
        {"type": "move", "from": "attributes.message", "to": "body"},
    ]  # fmt: skip
    return {
        "receivers": {
            "file_log": {"include": [str(log_file)], "start_at": "beginning",
                        "operators": operators},
        },
        "exporters": {
            "kafka": {"brokers": [bootstrap], "client_id": "it-collector-a",
                      "logs": {"topic": topic, "encoding": "otlp_proto"}},
        },
        "service": {
            "telemetry": _SERVICE_TELEMETRY,
            "pipelines": {"logs": {"receivers": ["file_log"], "exporters": ["kafka"]}},
        },
    }  # fmt: skip


def kafka_to_file_config(bootstrap: str, topic: str, group: str, out: Path) -> dict[str, Any]:
    """Collector B: read OTLP from the clean topic and write it to a JSON-lines file."""
    return {
        "receivers": {
            "kafka": {"brokers": [bootstrap], "client_id": "it-collector-b",
                      "group_id": group, "initial_offset": "earliest",
                      "logs": {"topics": [topic], "encoding": "otlp_proto"}},
        },
        "exporters": {"file": {"path": str(out), "format": "json", "flush_interval": "200ms"}},
        "service": {
            "telemetry": _SERVICE_TELEMETRY,
            "pipelines": {"logs": {"receivers": ["kafka"], "exporters": ["file"]}},
        },
    }  # fmt: skip


@dataclass
class Collector:
    """One running collector process; ``stop()`` ends it and waits."""

    name: str
    proc: subprocess.Popen[bytes]
    log_path: Path

    @classmethod
    def start(cls, binary: Path, name: str, config: dict[str, Any], workdir: Path) -> Collector:
        """Write ``config`` to ``workdir`` and start the collector on it."""
        config_path = workdir / f"{name}.yaml"
        config_path.write_text(json.dumps(config, indent=1), encoding="utf-8")
        log_path = workdir / f"{name}.log"
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [str(binary), "--config", str(config_path)],
                cwd=workdir, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                env={"PATH": os.environ.get("PATH", ""), "HOME": str(workdir)},
            )  # fmt: skip
        return cls(name, proc, log_path)

    def running(self) -> bool:
        """True while the process has not exited."""
        return self.proc.poll() is None

    def log(self) -> str:
        """Everything the collector wrote to stdout and stderr."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM the collector (it flushes and exits), SIGKILL its group past ``timeout``."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        return self.proc.wait(timeout=timeout)
