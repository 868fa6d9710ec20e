"""The faust application of ``logscrub monitor``.

One agent (concurrency 1: faust loses data above that) reads the access topic under
``processing_guarantee="exactly_once"``, so its consumer reads committed events only and
the table changelogs, burst events and offsets commit in one transaction. One windowed
table keyed by actor holds a dict of counts per window; every update assigns a new
dict (faust writes the changelog on assignment, not on in-place mutation), and the
agent waits for those writes before it takes the next event (see ``durable_table``).
Windows are timed by the event's own ``time``, never by the wall clock or the Kafka
timestamp.
"""

from __future__ import annotations

import logging
import time
from typing import Any, cast

import faust
from faust.tables.wrappers import WindowWrapper
from faust.types import EventT

from processor.errors import AccessEventError
from processor.monitor.access_event import AccessEvent, parse_access_event
from processor.monitor.burst_event import Burst, burst_message
from processor.monitor.counting import apply_increment, classify, crossed
from processor.monitor.credentials import faust_credentials
from processor.monitor.durable_table import DurableTable
from processor.monitor.metrics import MonitorMetrics, label_action, label_role
from processor.monitor.transport import SCHEME
from processor.settings import Settings

__all__ = ["AccessMonitor"]

log = logging.getLogger(__name__)

TABLE_NAME = "access-windows"


class AccessMonitor:
    """The faust app, its topics, its windowed table and its agent, built from settings."""

    def __init__(self, settings: Settings, metrics: MonitorMetrics | None = None) -> None:
        m = settings.monitor
        self.settings = m
        self.metrics = metrics or MonitorMetrics(m)
        self.app = faust.App(
            m.app_id,
            broker=f"{SCHEME}://{settings.kafka.bootstrap_servers}",
            broker_credentials=faust_credentials(settings.kafka),
            processing_guarantee="exactly_once",
            store=m.store,
            datadir=str(m.data_dir),
            topic_partitions=m.partitions,
            topic_replication_factor=m.replication_factor,
            broker_session_timeout=m.session_timeout_seconds,
            broker_heartbeat_interval=min(3.0, m.session_timeout_seconds / 3),
            web_enabled=False,
            autodiscover=False,
            table_cleanup_interval=min(30.0, m.window_seconds),
            Table=DurableTable,
            # The check compares RocksDB's persisted offsets with the changelog. A memory
            # store persists none, so faust compares the changelog's first offset instead,
            # and crashes when retention has emptied the changelog (first > highwater).
            recovery_consistency_check=m.store.startswith("rocksdb"),
        )
        self.source = self.app.topic(
            m.access_topic, key_serializer="raw", value_serializer="raw",
            partitions=m.partitions,
        )  # fmt: skip
        # internal=True: faust creates the alerts topic when it is missing.
        self.alerts = self.app.topic(
            m.alerts_topic, key_serializer="raw", value_serializer="raw",
            partitions=m.partitions, replicas=m.replication_factor, internal=True,
        )  # fmt: skip
        # Changelog partitions must equal the source's: a co-partitioned table.
        table = self.app.Table(TABLE_NAME, default=dict, partitions=m.partitions)
        assert isinstance(table, DurableTable)  # the app's Table setting above
        self._table = table
        if m.window == "tumbling":
            windowed = table.tumbling(m.window_seconds, expires=m.expires_seconds)
        else:
            windowed = table.hopping(m.window_seconds, m.step_seconds, expires=m.expires_seconds)
        self._event_time = 0.0
        # relative_to(callable) is public on WindowWrapper but missing from its protocol.
        self.windows = cast(WindowWrapper, windowed).relative_to(self._current_event_time)
        self.agent = self.app.agent(self.source, name="access-monitor", concurrency=1)(
            self._process
        )

    def _current_event_time(self, _event: EventT[Any] | None = None) -> float:
        # Set from the parsed OCSF `time` just before the table is touched (concurrency 1).
        return self._event_time

    async def _process(self, stream: Any) -> None:
        async for event in stream.events():
            await self.handle(event.key, event.value, event.headers)
            # The event is acked when the loop asks for the next one: its changelog
            # writes must be with the producer by then (faust does not flush them).
            await self._table.wait_changelog()

    async def handle(self, key: bytes | None, value: bytes | None, headers: Any) -> list[Burst]:
        """Count one access event; send and return the bursts it causes."""
        try:
            event = parse_access_event(key, value, headers)
        except AccessEventError as exc:
            # The reason is a fixed code: nothing from the record reaches the log.
            self.metrics.invalid.labels(reason=exc.reason).inc()
            log.warning("skipped an invalid access event: %s", exc.reason)
            return []
        self._observe(event)
        bursts = self._count(event)
        for burst in bursts:
            b_key, b_value, b_headers = burst_message(burst)
            await self.alerts.send(key=b_key, value=b_value, headers=b_headers)
            self.metrics.bursts.labels(kind=burst.kind).inc()
        return bursts

    def _observe(self, event: AccessEvent) -> None:
        m = self.settings
        self.metrics.access.labels(
            action=label_action(event.operation, m),
            decision=event.decision,
            role=label_role(event.groups, m),
        ).inc()
        if event.mutating:
            self.metrics.mutations.inc()
        self.metrics.lag.set(max(0.0, time.time() - event.time_s))

    def _count(self, event: AccessEvent) -> list[Burst]:
        m = self.settings
        thresholds = m.thresholds.model_dump()
        inc = classify(event, m)
        updates: list[tuple[dict[str, Any] | None, dict[str, Any]]] = []

        def add(old: dict[str, Any] | None, increment: dict[str, Any]) -> dict[str, Any]:
            new = apply_increment(old, increment, breadth_cap=m.thresholds.breadth)
            updates.append((old, new))
            return new

        self._event_time = event.time_s
        self.windows[event.actor].apply(add, inc)
        # apply() visits the event's windows in the order window.ranges() lists them.
        window = self.windows.table.window
        assert window is not None  # a windowed table always has its window
        ranges = window.ranges(event.time_s)
        bursts: list[Burst] = []
        for (old, new), (start, _end) in zip(updates, ranges, strict=True):
            for kind, count in crossed(old, new, thresholds):
                bursts.append(
                    Burst(event.actor, kind, count, thresholds[kind], start,
                          start + m.window_seconds)
                )  # fmt: skip
        return bursts
