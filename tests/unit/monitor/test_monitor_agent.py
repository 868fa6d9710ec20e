"""The faust agent on a memory store (``agent.test_context()``): counts, windows, bursts."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest

from processor.monitor.app import AccessMonitor
from processor.settings import load_settings
from scripts.access_events import access_message

T0_MS = 1_795_000_000_000  # a window start for 300 s windows: 1_795_000_000 % 300 == 100


def _monitor(**monitor: Any) -> tuple[AccessMonitor, list[dict[str, Any]]]:
    settings = load_settings(overrides={"monitor": monitor}, environ={})
    mon = AccessMonitor(settings)
    sent: list[dict[str, Any]] = []

    async def capture(**kwargs: Any) -> None:
        sent.append(kwargs)

    mon.alerts.send = capture  # type: ignore[method-assign]  # no broker in unit tests
    table = mon.windows.table
    wait = table.wait_changelog

    async def acked_by_broker() -> None:
        # No producer runs under test_context: stand in for the broker's acknowledgement.
        for fut in table.unsent:
            fut.set_result(None)
        await wait()

    table.wait_changelog = acked_by_broker  # type: ignore[method-assign]
    return mon, sent


def _feed(mon: AccessMonitor, events: list[tuple[bytes, bytes, Any]]) -> None:
    async def run() -> None:
        async with mon.agent.test_context() as agent:
            for key, value, headers in events:
                await agent.put(value=value, key=key, headers=headers)

    asyncio.run(run())


def _bursts(sent: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [json.loads(s["value"]) for s in sent]


@pytest.fixture
def denied() -> Callable[..., tuple[bytes, bytes, Any]]:
    """A denied request by ``actor`` at ``T0 + offset_s``."""

    def make(actor: str = "alice", offset_s: float = 0.0) -> tuple[bytes, bytes, Any]:
        return access_message(actor, decision="deny", time_ms=int(T0_MS + offset_s * 1000))

    return make


def test_agent__denied_burst__one_event_at_the_threshold(denied) -> None:
    """Five denials in one window emit exactly one denied burst, with actor, count and window."""
    mon, sent = _monitor()
    _feed(mon, [denied(offset_s=i) for i in range(7)])
    bursts = _bursts(sent)
    assert [(b["actor"], b["kind"], b["count"], b["threshold"]) for b in bursts] == [
        ("alice", "denied", 5, 5)]
    start = (T0_MS // 1000) // 300 * 300
    assert bursts[0]["window"]["start"].endswith("Z")
    assert sent[0]["key"] == b"alice"
    headers = dict(sent[0]["headers"])
    assert headers["ce_type"] == b"dev.logscrub.debug.burst.v1"
    assert headers["ce_specversion"] == b"1.0" and headers["content-type"] == b"application/json"
    assert mon.metrics.bursts.labels(kind="denied")._value.get() == 1
    assert start > 0


def test_agent__counts_are_per_actor(denied) -> None:
    """Four denials each by two actors cross no threshold: counts never mix actors."""
    mon, sent = _monitor()
    _feed(mon, [denied(actor, i) for i in range(4) for actor in ("alice", "bob")])
    assert sent == []


def test_agent__windows_follow_event_time_not_arrival(denied) -> None:
    """Three denials, then three more 400 s later by event time, fall in two windows: no burst."""
    mon, sent = _monitor()
    _feed(mon, [denied(offset_s=i) for i in range(3)] + [denied(offset_s=400 + i)
                                                          for i in range(3)])
    assert sent == []


def test_agent__hopping_windows__burst_in_each_overlapping_window(denied) -> None:
    """With 300 s windows hopping by 100 s, five close denials fill three windows at once."""
    mon, sent = _monitor(window="hopping", window_seconds=300, step_seconds=100)
    _feed(mon, [denied(offset_s=i) for i in range(5)])
    starts = sorted(b["window"]["start"] for b in _bursts(sent))
    assert len(starts) == 3 and len(set(starts)) == 3


def test_agent__breadth_and_mutation_bursts() -> None:
    """Twenty distinct workflows give a breadth burst; one mutating attempt a mutation burst."""
    mon, sent = _monitor()
    events = [access_message("carol", workflows=(f"wf-{i}/r",), time_ms=T0_MS + i)
              for i in range(20)]
    events.append(access_message("dave", mutating=True, time_ms=T0_MS))
    _feed(mon, events)
    kinds = {(b["actor"], b["kind"], b["count"]) for b in _bursts(sent)}
    assert kinds == {("carol", "breadth", 20), ("dave", "mutation", 1)}
    assert mon.metrics.mutations._value.get() == 1


def test_agent__invalid_event__skipped_and_counted_by_reason(denied) -> None:
    """An event breaking the contract counts under its reason and changes no window."""
    mon, sent = _monitor(thresholds={"denied": 1})
    key, value, headers = denied()
    _feed(mon, [(key, b"not json at all", headers), (b"mallory", value, headers)])
    assert sent == []
    assert mon.metrics.invalid.labels(reason="json")._value.get() == 1
    assert mon.metrics.invalid.labels(reason="key_not_actor")._value.get() == 1


def test_agent__access_metric_labels_are_bounded() -> None:
    """Unknown operations and groups become ``other``; the actor never becomes a label."""
    mon, _sent = _monitor()
    _feed(mon, [access_message("eve-the-attacker", operation="DROP TABLE", groups=("x-evil",),
                               time_ms=T0_MS)])
    access = mon.metrics.access
    assert access.labels(action="other", decision="allow", role="other")._value.get() == 1
    text = "".join(str(s) for m in mon.metrics.registry.collect() for s in m.samples)
    assert "eve-the-attacker" not in text and "DROP TABLE" not in text and "x-evil" not in text


def test_agent__each_event_waits_for_its_changelog_writes(denied) -> None:
    """No changelog write is left unsent when the agent takes the next event."""
    mon, _sent = _monitor()
    table = mon.windows.table
    left: list[int] = []
    wait = table.wait_changelog

    async def record() -> None:
        left.append(len(table.unsent))
        await wait()

    table.wait_changelog = record  # type: ignore[method-assign]
    _feed(mon, [denied(offset_s=i) for i in range(3)])
    assert left == [1, 1, 1]  # tumbling window: one table key written per event
    assert table.unsent == ()


@pytest.mark.parametrize(("store", "checked"), [("memory://", False), ("rocksdb://", True)])
def test_recovery_consistency_check_only_with_persisted_offsets(store: str, checked: bool) -> None:
    """Only a RocksDB store persists offsets that faust can check against the changelog."""
    mon, _sent = _monitor(store=store)
    assert mon.app.conf.recovery_consistency_check is checked
