"""What one access event adds to a window, and when a threshold counts as crossed."""

from __future__ import annotations

from datetime import UTC, datetime

from processor.monitor.access_event import parse_access_event
from processor.monitor.counting import apply_increment, classify, crossed, is_off_hours
from processor.settings import MonitorSettings, WorkingHours
from scripts.access_events import access_message

SETTINGS = MonitorSettings()
TUESDAY_NOON = datetime(2026, 11, 24, 12, 0, tzinfo=UTC).timestamp()


def _event(**fields: object):
    fields.setdefault("time_ms", int(TUESDAY_NOON * 1000))
    return parse_access_event(*access_message("alice", **fields))


def test_classify__denied_records_without_ticket__counts_denied_and_no_ticket() -> None:
    """A deny by the ticket policy with no ticket counts as denied and no_ticket."""
    inc = classify(_event(decision="deny", operation="ViewRecords",
                          policy_ids=("records-need-ticket",)), SETTINGS)
    assert (inc["denied"], inc["no_ticket"], inc["reveal"], inc["mutation"]) == (1, 1, 0, 0)


def test_classify__ticket_present__no_ticket_not_counted() -> None:
    """The same request with a ticket is not a no_ticket request."""
    inc = classify(_event(decision="deny", policy_ids=("records-need-ticket",), ticket="INC-9"),
                   SETTINGS)
    assert inc["no_ticket"] == 0


def test_classify__reveal_and_mutation__counted() -> None:
    """A reveal counts as reveal (and, without a ticket, no_ticket); a mutating attempt counts."""
    inc = classify(_event(operation="Reveal", mutating=True), SETTINGS)
    assert (inc["reveal"], inc["no_ticket"], inc["mutation"]) == (1, 1, 1)


def test_is_off_hours__weekend_night_and_zone() -> None:
    """Saturday noon and Tuesday 03:00 are off-hours; Tuesday noon UTC is not, 07:00 in Tokyo is."""
    hours = WorkingHours()
    saturday = datetime(2026, 11, 28, 12, 0, tzinfo=UTC).timestamp()
    night = datetime(2026, 11, 24, 3, 0, tzinfo=UTC).timestamp()
    assert is_off_hours(saturday, hours) and is_off_hours(night, hours)
    assert not is_off_hours(TUESDAY_NOON, hours)
    tokyo = WorkingHours(timezone="Asia/Tokyo", start_hour=9)
    assert is_off_hours(datetime(2026, 11, 23, 22, 0, tzinfo=UTC).timestamp(), tokyo)


def test_apply_increment__new_dict_and_distinct_workflows_capped() -> None:
    """Updates return a new dict; repeated workflows count once; the set stops at the cap."""
    old = {"denied": 1, "workflows": ["a"], "breadth": 1}
    new = apply_increment(old, {"denied": 1, "workflows": ["a", "b", "c", "d"]}, breadth_cap=3)
    assert new is not old and old == {"denied": 1, "workflows": ["a"], "breadth": 1}
    assert new["denied"] == 2 and new["workflows"] == ["a", "b", "c"] and new["breadth"] == 3


def test_crossed__only_the_update_that_reaches_the_threshold() -> None:
    """4 -> 5 crosses a threshold of 5; 5 -> 6 does not fire again."""
    t = SETTINGS.thresholds.model_dump()
    assert crossed({"denied": 4}, {"denied": 5}, t) == [("denied", 5)]
    assert crossed({"denied": 5}, {"denied": 6}, t) == []
    assert crossed(None, {"mutation": 1}, t) == [("mutation", 1)]
