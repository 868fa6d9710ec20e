"""Per-actor access summary over a period: pure aggregation of parsed access events.

Sets (workflows, services, tickets, justifications) are capped so that a hostile
actor cannot grow the report without bound; the cap is stated in the output.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from processor.monitor.access_event import AccessEvent

__all__ = ["MAX_LISTED", "AccessSummary", "ActorSummary"]

#: At most this many distinct workflows, services, tickets or justifications per actor.
MAX_LISTED = 50


def _add_capped(items: list[str], value: str) -> None:
    if value and value not in items and len(items) < MAX_LISTED:
        items.append(value)


@dataclass
class ActorSummary:
    """What one actor did in the period."""

    actor: str
    groups: list[str] = field(default_factory=list)
    actions: Counter[str] = field(default_factory=Counter)  # "ViewRecords/deny" -> n
    requests: int = 0
    denials: int = 0
    without_ticket: int = 0
    mutation_attempts: int = 0
    reveals_by_entity: Counter[str] = field(default_factory=Counter)
    workflows: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    tickets: list[str] = field(default_factory=list)
    justifications: list[str] = field(default_factory=list)
    first_s: float = 0.0
    last_s: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "actor": self.actor, "groups": self.groups, "requests": self.requests,
            "denials": self.denials, "without_ticket": self.without_ticket,
            "mutation_attempts": self.mutation_attempts,
            "actions": dict(sorted(self.actions.items())),
            "reveals_by_entity": dict(sorted(self.reveals_by_entity.items())),
            "workflows": self.workflows, "services": self.services,
            "tickets": self.tickets, "justifications": self.justifications,
            "first_seen": _iso(self.first_s), "last_seen": _iso(self.last_s),
        }  # fmt: skip


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass
class AccessSummary:
    """Every actor's summary plus the activity per day, for events from ``since_s`` on."""

    since_s: float
    until_s: float
    reveal_actions: tuple[str, ...] = ("Reveal",)
    actors: dict[str, ActorSummary] = field(default_factory=dict)
    per_day: dict[str, Counter[str]] = field(default_factory=dict)  # day -> decision -> n
    skipped_invalid: Counter[str] = field(default_factory=Counter)  # reason -> n

    def add(self, event: AccessEvent) -> None:
        """Count one event (events outside the period are ignored)."""
        if not self.since_s <= event.time_s <= self.until_s:
            return
        a = self.actors.get(event.actor) or ActorSummary(event.actor, first_s=event.time_s)
        self.actors[event.actor] = a
        a.requests += 1
        a.first_s, a.last_s = min(a.first_s, event.time_s), max(a.last_s, event.time_s)
        a.actions[f"{event.operation}/{event.decision}"] += 1
        a.denials += event.decision == "deny"
        a.without_ticket += not event.ticket
        a.mutation_attempts += event.mutating
        for group in event.groups:
            _add_capped(a.groups, group)
        for kind, uid in event.resources:
            if kind.lower() == "workflow":
                _add_capped(a.workflows, uid)
            elif kind.lower() == "service":
                _add_capped(a.services, uid)
        if event.operation in self.reveal_actions:
            # The entity type revealed travels as a resource of type Entity (EMAIL, ...).
            entities = [uid for kind, uid in event.resources if kind.lower() == "entity"]
            for entity in entities or ["unknown"]:
                a.reveals_by_entity[entity] += 1
        _add_capped(a.tickets, event.ticket)
        _add_capped(a.justifications, event.justification)
        day = _iso(event.time_s)[:10]
        self.per_day.setdefault(day, Counter())[event.decision] += 1

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON: the period, per-day activity and actors by request count."""
        ordered = sorted(self.actors.values(), key=lambda a: (-a.requests, a.actor))
        return {
            "since": _iso(self.since_s),
            "until": _iso(self.until_s),
            "max_listed": MAX_LISTED,
            "per_day": {d: dict(c) for d, c in sorted(self.per_day.items())},
            "skipped_invalid": dict(self.skipped_invalid),
            "actors": [a.as_dict() for a in ordered],
        }
