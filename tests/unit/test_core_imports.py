"""The scrubbing core never imports Kafka, HTTP or storage code."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "processor"
FORBIDDEN = ("confluent_kafka", "fastapi", "starlette", "uvicorn", "httpx", "urllib.request",
             "http", "sqlite3", "psycopg", "cedarpy", "jwt", "cloudevents",
             "processor.index", "processor.debugapi", "processor.stream")


def _core_files() -> list[Path]:
    files = [CORE / "pipeline.py", CORE / "records.py"]
    for folder in ("detectors", "masking", "rules"):
        files += sorted((CORE / folder).glob("*.py"))
    return files


def test_core__imports_no_io_layer():
    """pipeline, records, detectors, masking and rules import none of the I/O layers."""
    offenders = []
    for path in _core_files():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if any(name == f or name.startswith(f + ".") for f in FORBIDDEN):
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []
    assert len(_core_files()) > 10


def test_scrub_command_loads_no_kafka_client() -> None:
    """`logscrub scrub` parses its command line without loading the Kafka client, the
    metrics server or the key management code: they cost start-up time on every run."""
    import subprocess
    import sys

    probe = ("import sys; from processor.cli import _parser; _parser(); "
             "print(sorted(m for m in ('confluent_kafka', 'prometheus_client', "
             "'processor.stream.supervisor', 'processor.keys.keyring') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
