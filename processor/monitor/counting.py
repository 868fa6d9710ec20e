"""What one access event adds to its actor's window, and which thresholds it crosses.

Pure functions over plain dicts (the table values): no faust, no Kafka. A window value
is ``{"denied": n, "reveal": n, ..., "workflows": [uid, ...]}``; every update returns a
new dict, so the table sees an assignment and writes its changelog.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from processor.monitor.access_event import AccessEvent
from processor.settings import MonitorSettings, WorkingHours

__all__ = ["BURST_KINDS", "Increment", "apply_increment", "classify", "crossed", "is_off_hours"]

#: The burst kinds (fixed: alerts, dashboards and the metric's ``kind`` label use them).
BURST_KINDS: Final = ("denied", "reveal", "no_ticket", "mutation", "breadth", "off_hours")

Increment = dict[str, Any]
WindowValue = dict[str, Any]


def is_off_hours(time_s: float, hours: WorkingHours) -> bool:
    """True when ``time_s`` falls outside the working days and hours in their time zone."""
    local = datetime.fromtimestamp(time_s, UTC).astimezone(ZoneInfo(hours.timezone))
    if local.weekday() not in hours.weekdays:
        return True
    return not (hours.start_hour <= local.hour < hours.end_hour)


def classify(event: AccessEvent, settings: MonitorSettings) -> Increment:
    """The counts this event adds to its actor's windows (kinds with 1, workflows seen)."""
    inc: Increment = {kind: 0 for kind in BURST_KINDS if kind != "breadth"}
    inc["denied"] = int(event.decision == "deny")
    inc["reveal"] = int(event.operation in settings.reveal_actions)
    asked = bool(set(event.policy_ids) & set(settings.ticket_policy_ids)) or (
        event.operation in settings.ticket_actions
    )
    inc["no_ticket"] = int(asked and not event.ticket)
    inc["mutation"] = int(event.mutating)
    inc["off_hours"] = int(is_off_hours(event.time_s, settings.working_hours))
    inc["workflows"] = sorted(set(event.workflows))
    return inc


def apply_increment(old: WindowValue | None, inc: Increment, breadth_cap: int) -> WindowValue:
    """A new window value: ``old`` plus ``inc``.

    At most ``breadth_cap`` distinct workflows are kept: past the breadth threshold the
    exact set no longer matters, and a hostile actor cannot grow the table without bound.
    """
    old = old or {}
    new: WindowValue = {k: int(old.get(k, 0)) + int(inc.get(k, 0)) for k in BURST_KINDS}
    seen = list(old.get("workflows", ()))
    known = set(seen)
    for uid in inc.get("workflows", ()):
        if len(seen) >= breadth_cap:
            break
        if uid not in known:
            seen.append(uid)
            known.add(uid)
    new["workflows"] = seen
    new["breadth"] = len(seen)
    return new


def crossed(
    old: WindowValue | None, new: WindowValue, thresholds: dict[str, int]
) -> list[tuple[str, int]]:
    """``(kind, count)`` for each kind whose count reached its threshold with this update."""
    old = old or {}
    out: list[tuple[str, int]] = []
    for kind in BURST_KINDS:
        before, after, limit = int(old.get(kind, 0)), int(new.get(kind, 0)), thresholds[kind]
        if before < limit <= after:
            out.append((kind, after))
    return out
