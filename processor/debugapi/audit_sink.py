"""Writes audit events to Kafka and waits for the broker's acknowledgement.

The producer is idempotent with ``acks=all``. :meth:`AuditSink.emit` returns only once
the event is acknowledged, and raises :class:`AuditError` when that does not happen
within ``debug_api.audit_timeout_ms``: the caller then answers 503 with no data.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from typing import Any, Protocol

from confluent_kafka import KafkaError, KafkaException, Message, Producer
from pydantic import SecretStr

from processor.debugapi.audit_event import AccessRecord, to_kafka_message
from processor.errors import AuditError
from processor.settings import Settings

__all__ = ["AuditSink", "KafkaAuditSink", "producer_config"]

log = logging.getLogger(__name__)


class AuditSink(Protocol):
    """Where audit events go."""

    async def emit(self, record: AccessRecord) -> None:
        """Write one event; raise AuditError when it is not acknowledged in time."""
        ...

    def close(self) -> None:
        """Flush and stop."""
        ...


def producer_config(settings: Settings) -> dict[str, Any]:
    """Idempotent, acks=all, no batching delay; delivery given up at the audit timeout."""
    config: dict[str, Any] = {
        # client secrets are unwrapped only here, into the dict librdkafka reads
        k: v.get_secret_value() if isinstance(v, SecretStr) else v
        for k, v in settings.kafka.client.items()
        if not k.startswith(("session.", "heartbeat.", "auto.", "partition.assignment",
                             "max.poll", "group.", "fetch.", "queued.", "isolation."))
    }
    config.update({
        "bootstrap.servers": settings.kafka.bootstrap_servers,
        "enable.idempotence": True,
        "acks": "all",
        "linger.ms": 0,
        # same actor -> same partition as Java clients (and faust) would pick
        "partitioner": "murmur2_random",
        "message.timeout.ms": settings.debug_api.audit_timeout_ms,
        # A missing audit topic is an error (503), not something to create with defaults.
        "allow.auto.create.topics": False,
        "client.id": "logscrub-debug-api-audit",
    })
    return config


class KafkaAuditSink:
    """One shared producer; a daemon thread serves its delivery reports."""

    def __init__(self, settings: Settings) -> None:
        self.topic = settings.debug_api.audit_topic
        self.timeout_s = settings.debug_api.audit_timeout_ms / 1000
        self._producer = Producer(producer_config(settings))
        self._stop = threading.Event()
        self._poller = threading.Thread(target=self._poll, name="audit-poll", daemon=True)
        self._poller.start()

    def _poll(self) -> None:
        while not self._stop.is_set():
            self._producer.poll(0.05)

    async def emit(self, record: AccessRecord) -> None:
        """Produce and wait for the acknowledgement (or fail within the timeout)."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[KafkaError | None] = loop.create_future()

        def on_delivery(err: KafkaError | None, _msg: Message) -> None:
            def settle() -> None:
                if not done.done():
                    done.set_result(err)

            # the loop may have closed while the report was in flight
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(settle)

        msg = to_kafka_message(record)
        try:
            self._producer.produce(
                self.topic, value=msg.value, key=msg.key,
                headers=list(msg.headers.items()), on_delivery=on_delivery,
            )
        except (BufferError, KafkaException) as exc:
            raise AuditError(f"audit event not queued: {type(exc).__name__}") from None
        try:
            err = await asyncio.wait_for(done, self.timeout_s)
        except TimeoutError:
            raise AuditError("audit event not acknowledged in time") from None
        if err is not None:
            raise AuditError(f"audit event not written: {err.name()}")

    def close(self) -> None:
        """Flush what is queued, then stop the poller."""
        self._producer.flush(self.timeout_s)
        self._stop.set()
        self._poller.join(2)
