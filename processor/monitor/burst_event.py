"""The burst event: a CloudEvent (binary mode) on ``logscrub.debug.alerts``.

Payload: ``{"actor", "kind", "count", "threshold", "window": {"start", "end"}}`` with
window bounds in RFC 3339 UTC. The id is derived from actor, kind and window, so a
burst re-emitted after a restart carries the same id and consumers can drop it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson
from cloudevents.core.bindings.kafka import to_binary_event
from cloudevents.core.v1.event import CloudEvent

__all__ = ["BURST_EVENT_SOURCE", "BURST_EVENT_TYPE", "Burst", "burst_message"]

BURST_EVENT_TYPE = "dev.logscrub.debug.burst.v1"
BURST_EVENT_SOURCE = "logscrub/monitor"
_ID_NAMESPACE = uuid.UUID("6f1d7c52-3a55-4f0b-9a53-2f8f0c3e9d11")


@dataclass(frozen=True, slots=True)
class Burst:
    """An actor crossed a threshold in one window."""

    actor: str
    kind: str
    count: int
    threshold: int
    window_start: float
    window_end: float


def _rfc3339(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat().replace("+00:00", "Z")


def burst_message(burst: Burst) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    """``(key, value, headers)`` of the burst CloudEvent, keyed by the actor."""
    ident = f"{burst.actor}\x00{burst.kind}\x00{burst.window_start:.3f}"
    data = {
        "actor": burst.actor,
        "kind": burst.kind,
        "count": burst.count,
        "threshold": burst.threshold,
        "window": {"start": _rfc3339(burst.window_start), "end": _rfc3339(burst.window_end)},
    }
    event = CloudEvent(
        attributes={
            "type": BURST_EVENT_TYPE,
            "source": BURST_EVENT_SOURCE,
            "id": str(uuid.uuid5(_ID_NAMESPACE, ident)),
            "subject": burst.actor,
            "time": datetime.now(UTC),
            "datacontenttype": "application/json",
        },
        data=data,
    )
    msg = to_binary_event(event, key_mapper=lambda _e: burst.actor)
    key = msg.key.encode("utf-8") if isinstance(msg.key, str) else (msg.key or b"")
    value = msg.value if msg.value else orjson.dumps(data)
    return key, value, sorted(msg.headers.items())
