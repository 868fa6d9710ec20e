"""Fixtures for the stream integration tests: a real broker, unique topics, the processor.

The processor always runs as a real subprocess (``python -m processor.cli run``) against
a real Kafka broker from ``kafka_broker.broker_bootstrap()``. Nothing is mocked.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import Consumer, Message, Producer
from kafka_broker import broker_bootstrap, create_topic, delete_topic

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Topics:
    """One test's unique raw, clean and quarantine topics and consumer group."""

    raw: str
    clean: str
    quarantine: str
    group: str


@dataclass
class Processor:
    """A running ``logscrub run`` subprocess (its own process group, output to a file)."""

    proc: subprocess.Popen[bytes]
    log_path: Path
    _log: Any = field(repr=False, default=None)

    def wait(self, timeout: float) -> int:
        """Wait for the exit code; kill the group and fail when it takes longer."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"processor did not exit within {timeout} s; log:\n{self.log()}")

    def terminate(self) -> None:
        """SIGTERM the supervisor (it forwards the signal to its workers)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL the whole process group, as a pod kill would."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def log(self) -> str:
        """Everything the processor wrote to stdout and stderr."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="session")
def bootstrap() -> str:
    """Bootstrap servers of the real broker (env, testcontainers or the local one)."""
    return broker_bootstrap()


@pytest.fixture
def topics_factory(bootstrap: str) -> Iterator[Callable[..., Topics]]:
    """Create unique raw/clean/quarantine topics for a test and delete them afterwards."""
    created: list[str] = []

    def make(
        raw_partitions: int = 3,
        clean_partitions: int = 3,
        clean_config: dict[str, str] | None = None,
    ) -> Topics:
        uid = uuid.uuid4().hex[:10]
        t = Topics(f"it-raw-{uid}", f"it-clean-{uid}", f"it-quarantine-{uid}", f"it-group-{uid}")
        layout = (
            (t.raw, raw_partitions, None),
            (t.clean, clean_partitions, clean_config),
            (t.quarantine, 1, None),
        )
        for name, parts, config in layout:
            create_topic(bootstrap, name, parts, config=config)
            created.append(name)
        return t

    yield make
    for name in created:
        # Cleanup is best effort: the names are unique, a leftover topic harms nothing.
        with contextlib.suppress(Exception):
            delete_topic(bootstrap, name, timeout=10)


@pytest.fixture
def start_processor(
    bootstrap: str, tmp_path: Path
) -> Iterator[Callable[..., Processor]]:
    """Start ``python -m processor.cli run`` on a test's topics; kill leftovers at the end."""
    started: list[Processor] = []

    def start(
        topics: Topics,
        *,
        workers: int = 1,
        exit_when_idle: float | None = 5.0,
        ner: bool = False,
        env: dict[str, str] | None = None,
        metrics_port: int = 0,
        instance: str = "it",
    ) -> Processor:
        args = [
            sys.executable, "-m", "processor.cli", "run",
            "--input", topics.raw,
            "--output", topics.clean,
            "--quarantine", topics.quarantine,
            "--bootstrap-servers", bootstrap,
            "--group-id", topics.group,
            "--workers", str(workers),
            "--metrics-port", str(metrics_port),
        ]  # fmt: skip
        if exit_when_idle is not None:
            args += ["--exit-when-idle", str(exit_when_idle)]
        full_env = {
            k: v for k, v in os.environ.items() if not k.startswith("LOGSCRUB_")
        }
        full_env.update(
            {
                "LOGSCRUB_SCRUB__NER_ENABLED": "true" if ner else "false",
                "LOGSCRUB_KAFKA__INSTANCE_ID": instance,
                # The shared 2-core machine can run at a load of 10+; a record past the
                # 250 ms budget would rightly come out masked whole, and break the exact
                # output these tests check. The budget itself is tested in unit tests.
                "LOGSCRUB_SCRUB__RECORD_BUDGET_MS": "5000",
                # A killed member leaves the group after 6 s (the broker's minimum), not 45 s.
                "LOGSCRUB_KAFKA__CLIENT__SESSION_TIMEOUT_MS": "6000",
                "LOGSCRUB_KAFKA__CLIENT__HEARTBEAT_INTERVAL_MS": "1000",
                "PYTHONUNBUFFERED": "1",
            }
        )
        full_env.update(env or {})
        log_path = tmp_path / f"processor-{len(started)}.log"
        log = log_path.open("wb")
        proc = subprocess.Popen(
            args, cwd=REPO_ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        p = Processor(proc, log_path, log)
        started.append(p)
        return p

    yield start
    for p in started:
        p.kill()
        if p._log is not None:
            p._log.close()


class KafkaIO:
    """Produce test records and read topics back as a read_committed reader would."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap

    def produce(
        self,
        topic: str,
        records: Sequence[tuple[bytes | None, bytes, list[tuple[str, bytes]] | None]],
    ) -> None:
        """Produce ``(key, value, headers)`` records idempotently and wait for delivery."""
        producer = Producer(
            {"bootstrap.servers": self.bootstrap, "enable.idempotence": True, "linger.ms": 5}
        )
        for key, value, headers in records:
            while True:
                try:
                    producer.produce(topic, value=value, key=key, headers=headers)
                    break
                except BufferError:
                    producer.poll(0.1)
            producer.poll(0)
        remaining = producer.flush(60)
        assert remaining == 0, f"{remaining} test records not delivered"

    def read(
        self,
        topic: str,
        *,
        expect: int | None = None,
        timeout: float = 60.0,
        settle: float = 3.0,
    ) -> list[Message]:
        """Every record a read_committed reader sees in ``topic``, in partition order.

        Stops once ``expect`` records arrived and nothing more came for ``settle`` seconds
        (so duplicates would be caught), or when nothing came for ``settle`` seconds and
        ``expect`` is None, or at ``timeout``.
        """
        consumer = Consumer(
            {
                "bootstrap.servers": self.bootstrap,
                "group.id": f"it-reader-{uuid.uuid4().hex[:10]}",
                "auto.offset.reset": "earliest",
                "enable.auto.commit": False,
                "isolation.level": "read_committed",
            }
        )
        consumer.subscribe([topic])
        out: list[Message] = []
        deadline = time.monotonic() + timeout
        last = time.monotonic()
        try:
            while time.monotonic() < deadline:
                for msg in consumer.consume(1000, 0.5):
                    if msg.error() is None:
                        out.append(msg)
                        last = time.monotonic()
                quiet = time.monotonic() - last >= settle
                if quiet and (expect is None or len(out) >= expect):
                    break
        finally:
            consumer.close()
        return out

    @staticmethod
    def header(msg: Message, name: str) -> str | None:
        """The value of header ``name`` as text, or None."""
        for key, value in msg.headers() or []:
            if key == name:
                return value.decode("utf-8") if isinstance(value, bytes) else value
        return None

    @staticmethod
    def json_value(msg: Message) -> dict[str, Any]:
        """The record value parsed as a JSON object."""
        value = json.loads(msg.value() or b"null")
        assert isinstance(value, dict)
        return value


@pytest.fixture(scope="session")
def kafka(bootstrap: str) -> KafkaIO:
    """Test-side producer and read_committed reader on the real broker."""
    return KafkaIO(bootstrap)


@dataclass(frozen=True)
class SecretRecord:
    """A test record and the secrets injected into it."""

    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]]
    secrets: tuple[bytes, ...]


def secret_records(n: int, n_keys: int = 7, start: int = 0) -> list[SecretRecord]:
    """``n`` JSON log records full of secrets; ``id`` is global, ``seq`` counts per key."""
    out: list[SecretRecord] = []
    for i in range(start, start + n):
        key = f"user-{i % n_keys}"
        email = f"customer{i}@example.com"
        password = f"pw-{i}-Sup3rSecret"
        token = "ghp_" + f"{i:036d}"[-36:].replace("0", "a")
        value = {
            "msg": f"login by {email} from 10.0.{i % 250}.7",
            "password": password,
            "card": "4111 1111 1111 1111",
            "auth": f"token={token}",
            "key": key,
            "seq": i // n_keys,
            "id": i,
        }
        out.append(
            SecretRecord(
                key=key.encode(),
                value=json.dumps(value).encode(),
                headers=[("trace-user", email.encode())],
                secrets=(email.encode(), password.encode(), b"4111 1111 1111 1111", token.encode()),
            )
        )
    return out


@pytest.fixture(scope="session")
def make_secret_records() -> Callable[..., list[SecretRecord]]:
    """Factory of JSON log records with injected secrets (see ``secret_records``)."""
    return secret_records
