"""Kafka broker for the integration tests (a helper module, not a conftest).

Which broker is used, in order:

1. ``KAFKA_BOOTSTRAP_SERVERS`` when it is set (an already running broker);
2. a testcontainers ``KafkaContainer`` when a Docker engine answers and the
   ``testcontainers`` package is importable (best effort);
3. otherwise the local single-node KRaft broker run from Maven Central jars by
   ``scripts/kafka/kafka.sh up`` (no Docker needed), at ``127.0.0.1:$KAFKA_PORT``.

No mocks: every path yields a real Kafka broker.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import AdminClient, NewTopic

REPO_ROOT: Path = Path(__file__).resolve().parents[2]
KAFKA_SH: Path = REPO_ROOT / "scripts" / "kafka" / "kafka.sh"

#: Image for the testcontainers path; override with KAFKA_TESTCONTAINERS_IMAGE.
DEFAULT_CONTAINER_IMAGE = "confluentinc/cp-kafka:7.6.1"

_bootstrap: str | None = None
_mode: str | None = None  # "env" | "testcontainers" | "local"
_container: Any = None


def _local_bootstrap() -> str:
    return f"127.0.0.1:{os.environ.get('KAFKA_PORT', '9092')}"


def _kafka_sh(command: str, timeout: float = 600.0) -> None:
    """Run ``scripts/kafka/kafka.sh <command>``; raise RuntimeError on failure.

    The readiness probe uses this interpreter (which has confluent_kafka) unless
    PYTHON is already set.
    """
    env = dict(os.environ)
    env.setdefault("PYTHON", sys.executable)
    proc = subprocess.run(
        ["bash", str(KAFKA_SH), command],
        cwd=str(REPO_ROOT),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"kafka.sh {command} failed (exit {proc.returncode}):\n{proc.stdout}")


def docker_available(timeout: float = 5.0) -> bool:
    """Return True if a Docker engine answers ``docker info`` within ``timeout`` seconds."""
    if shutil.which("docker") is None:
        return False
    try:
        proc = subprocess.run(
            ["docker", "info"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0


def _start_testcontainer() -> str | None:
    """Start a testcontainers KafkaContainer; return its bootstrap or None if unusable."""
    global _container
    try:
        from testcontainers.kafka import KafkaContainer  # type: ignore[import-not-found]
    except ImportError:
        return None
    image = os.environ.get("KAFKA_TESTCONTAINERS_IMAGE", DEFAULT_CONTAINER_IMAGE)
    container = KafkaContainer(image)
    if hasattr(container, "with_kraft"):
        with contextlib.suppress(Exception):  # older images have no KRaft support
            container = container.with_kraft()
    container.start()
    _container = container
    atexit.register(_stop_testcontainer)
    return str(container.get_bootstrap_server())


def _stop_testcontainer() -> None:
    global _container
    if _container is not None:
        try:
            _container.stop()
        finally:
            _container = None


def broker_bootstrap() -> str:
    """Return the bootstrap servers of a running Kafka broker for the tests.

    Uses ``KAFKA_BOOTSTRAP_SERVERS`` if set; else a testcontainers Kafka when a
    Docker engine answers and ``testcontainers`` is importable; else starts (or
    reuses) the local broker with ``scripts/kafka/kafka.sh up``. The choice is
    made once per process and cached.
    """
    global _bootstrap, _mode
    if _bootstrap is not None:
        return _bootstrap
    env_bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "").strip()
    if env_bootstrap:
        _bootstrap, _mode = env_bootstrap, "env"
        return _bootstrap
    if docker_available():
        bootstrap = _start_testcontainer()
        if bootstrap:
            _bootstrap, _mode = bootstrap, "testcontainers"
            return _bootstrap
    _kafka_sh("up")
    _bootstrap, _mode = _local_bootstrap(), "local"
    return _bootstrap


def local_broker_running() -> bool:
    """Return True if the local broker of ``kafka.sh`` runs and answers."""
    proc = subprocess.run(
        ["bash", str(KAFKA_SH), "status"],
        cwd=str(REPO_ROOT),
        env={**os.environ, "PYTHON": os.environ.get("PYTHON", sys.executable)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return proc.returncode == 0


def restart_local_broker() -> None:
    """Restart the local broker with ``kafka.sh restart``, keeping its data.

    Only valid for the local broker: raises RuntimeError when the tests use a
    testcontainers broker, or an external ``KAFKA_BOOTSTRAP_SERVERS`` broker that
    is not the local one run by ``kafka.sh``. Returns once the broker answers.
    """
    if _mode == "testcontainers":
        raise RuntimeError("restart_local_broker() is only valid for the local kafka.sh broker")
    if (_mode == "env" or os.environ.get("KAFKA_BOOTSTRAP_SERVERS")) and not local_broker_running():
        raise RuntimeError(
            "KAFKA_BOOTSTRAP_SERVERS points at a broker not run by scripts/kafka/kafka.sh; "
            "it cannot be restarted from the tests"
        )
    _kafka_sh("restart")


def _admin(bootstrap: str) -> AdminClient:
    return AdminClient({"bootstrap.servers": bootstrap})


def _error_code(exc: BaseException) -> int | None:
    if isinstance(exc, KafkaException) and exc.args and isinstance(exc.args[0], KafkaError):
        return exc.args[0].code()
    return None


def create_topic(
    bootstrap: str,
    name: str,
    partitions: int,
    replication_factor: int = 1,
    config: dict[str, str] | None = None,
    timeout: float = 30.0,
    exist_ok: bool = False,
) -> None:
    """Create topic ``name`` and wait until every partition has a leader.

    Raises KafkaException on failure (including an existing topic unless
    ``exist_ok``), TimeoutError if the topic is not ready within ``timeout`` s.
    """
    admin = _admin(bootstrap)
    new_topic = NewTopic(
        name,
        num_partitions=partitions,
        replication_factor=replication_factor,
        config=dict(config or {}),
    )
    futures = admin.create_topics([new_topic], operation_timeout=timeout, request_timeout=timeout)
    try:
        futures[name].result(timeout=timeout)
    except KafkaException as exc:
        if not (exist_ok and _error_code(exc) == KafkaError.TOPIC_ALREADY_EXISTS):
            raise
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            md = admin.list_topics(topic=name, timeout=max(1.0, deadline - time.monotonic()))
        except KafkaException:
            time.sleep(0.2)
            continue
        tmd = md.topics.get(name)
        if (
            tmd is not None
            and tmd.error is None
            and len(tmd.partitions) >= partitions
            and all(p.leader >= 0 for p in tmd.partitions.values())
        ):
            return
        time.sleep(0.2)
    raise TimeoutError(f"topic {name!r} not ready with {partitions} partitions after {timeout} s")


def delete_topic(bootstrap: str, name: str, timeout: float = 30.0, missing_ok: bool = True) -> None:
    """Delete topic ``name`` and wait until the broker no longer lists it.

    A missing topic is ignored when ``missing_ok``. Raises TimeoutError if it is
    still listed after ``timeout`` s.
    """
    admin = _admin(bootstrap)
    futures = admin.delete_topics([name], operation_timeout=timeout, request_timeout=timeout)
    try:
        futures[name].result(timeout=timeout)
    except KafkaException as exc:
        if not (missing_ok and _error_code(exc) == KafkaError.UNKNOWN_TOPIC_OR_PART):
            raise
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            md = admin.list_topics(timeout=max(1.0, deadline - time.monotonic()))
        except KafkaException:
            time.sleep(0.2)
            continue
        if name not in md.topics:
            return
        time.sleep(0.2)
    raise TimeoutError(f"topic {name!r} still listed {timeout} s after deletion")
