"""The monitor's transport asks the broker for a changelog's end when faust cannot know it."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from faust.transport.drivers import TRANSPORTS
from faust.types import TP

from processor.monitor.transport import SCHEME, Transport, _ConsumerThread

_KNOWN, _FRESH = TP("changelog", 0), TP("changelog", 1)


class _FakeConsumer:
    """aiokafka's consumer: a stable offset only for partitions it has fetched."""

    def __init__(self) -> None:
        self.asked: list[TP] = []

    def last_stable_offset(self, tp: TP) -> int | None:
        return 7 if tp == _KNOWN else None

    async def end_offsets(self, partitions: list[TP]) -> dict[TP, int]:
        self.asked.extend(partitions)
        return {tp: 4 for tp in partitions}


def _thread(consumer: _FakeConsumer) -> Any:
    return SimpleNamespace(consumer=SimpleNamespace(in_transaction=True),
                           _ensure_consumer=lambda: consumer)


def test_unknown_stable_offset__asked_of_the_broker() -> None:
    """A partition not fetched yet gets the broker's end offset, not "unknown" (empty)."""
    consumer = _FakeConsumer()
    got = asyncio.run(_ConsumerThread._highwaters(_thread(consumer), [_KNOWN, _FRESH]))
    assert got == {_KNOWN: 7, _FRESH: 4}
    assert consumer.asked == [_FRESH]


def test_broker_url_scheme__selects_this_transport() -> None:
    assert TRANSPORTS.by_url(f"{SCHEME}://127.0.0.1:9092") is Transport
