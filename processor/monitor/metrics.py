"""The monitor's metrics, in a registry of their own, with low-cardinality labels only.

Labels hold configured names only: an action outside ``monitor.actions`` is ``other``,
a role outside ``monitor.roles`` is ``other``. The actor never becomes a label. Every
label set is created at 0 at start, so ``increase()`` sees the first event.
"""

from __future__ import annotations

from itertools import product

from prometheus_client import CollectorRegistry, Counter, Gauge, ProcessCollector

from processor.monitor.counting import BURST_KINDS
from processor.settings import MonitorSettings

__all__ = ["MonitorMetrics", "label_action", "label_role"]

DECISIONS = ("allow", "deny")
OTHER = "other"
NONE = "none"


def label_action(operation: str, settings: MonitorSettings) -> str:
    """The ``action`` label: a configured action name, else ``other``."""
    return operation if operation in settings.actions else OTHER


def label_role(groups: tuple[str, ...], settings: MonitorSettings) -> str:
    """The ``role`` label: the first configured role among the groups, ``none`` or ``other``."""
    for role in settings.roles:
        if role in groups:
            return role
    return OTHER if groups else NONE


class MonitorMetrics:
    """Every metric ``logscrub monitor`` serves."""

    def __init__(self, settings: MonitorSettings) -> None:
        self.registry = CollectorRegistry()
        # process_start_time_seconds: the alert rules tell a fresh monitor's counters
        # from counters Prometheus merely missed.
        ProcessCollector(registry=self.registry)
        self.access = Counter(
            "logscrub_debug_access",
            "Debug-API requests seen on the audit topic, by action, decision and role.",
            ["action", "decision", "role"],
            registry=self.registry,
        )
        self.bursts = Counter(
            "logscrub_debug_access_bursts",
            "Burst events emitted: an actor crossed a threshold within one window.",
            ["kind"],
            registry=self.registry,
        )
        self.mutations = Counter(
            "logscrub_debug_mutation_attempts",
            "Attempts at a mutating method on the read-only debug API.",
            registry=self.registry,
        )
        self.lag = Gauge(
            "logscrub_debug_events_lag_seconds",
            "Seconds between an access event's own time and the monitor processing it.",
            registry=self.registry,
        )
        self.invalid = Counter(
            "logscrub_debug_events_invalid",
            "Access events that broke the contract and were skipped, by reason code.",
            ["reason"],
            registry=self.registry,
        )
        actions = (*settings.actions, OTHER)
        roles = (*settings.roles, OTHER, NONE)
        for action, decision, role in product(actions, DECISIONS, roles):
            self.access.labels(action=action, decision=decision, role=role)
        for kind in BURST_KINDS:
            self.bursts.labels(kind=kind)
