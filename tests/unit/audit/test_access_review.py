"""The access review: per-actor aggregation, the period, caps and safe rendering."""

from __future__ import annotations

import csv
import io
import json

import pytest

from processor.audit.cli_args import parse_since
from processor.audit.render import render
from processor.audit.summary import MAX_LISTED, AccessSummary
from processor.errors import ConfigError
from processor.monitor.access_event import parse_access_event
from scripts.access_events import access_message

DAY = 86400.0
T0 = 1_795_000_000.0


def _event(actor: str = "alice", offset_s: float = 0.0, **fields: object):
    return parse_access_event(*access_message(actor, time_ms=int((T0 + offset_s) * 1000),
                                              **fields))


def _summary(*events) -> AccessSummary:
    summary = AccessSummary(T0 - DAY, T0 + 7 * DAY)
    for ev in events:
        summary.add(ev)
    return summary


def test_summary__per_actor_actions_decisions_tickets_and_reveals() -> None:
    """Counts per actor: actions by decision, denials, no-ticket requests, reveals by entity."""
    data = _summary(
        _event("alice", decision="deny", operation="ViewRecords"),
        _event("alice", operation="ViewTimeline", ticket="INC-7", justification="outage"),
        _event("bob", operation="Reveal", ticket="INC-9", workflows=()),
    ).as_dict()
    alice, bob = data["actors"]
    assert alice["actions"] == {"ViewRecords/deny": 1, "ViewTimeline/allow": 1}
    assert (alice["requests"], alice["denials"], alice["without_ticket"]) == (2, 1, 1)
    assert alice["tickets"] == ["INC-7"] and alice["justifications"] == ["outage"]
    assert alice["workflows"] == ["orders/run-1"]
    assert bob["reveals_by_entity"] == {"unknown": 1}


def test_summary__events_outside_the_period_are_left_out_and_days_counted() -> None:
    """An event before ``since`` is ignored; per-day counts split allowed and denied."""
    data = _summary(_event(offset_s=-3 * DAY), _event(offset_s=0),
                    _event(offset_s=DAY, decision="deny")).as_dict()
    assert sum(a["requests"] for a in data["actors"]) == 2
    assert [sum(c.values()) for c in data["per_day"].values()] == [1, 1]
    assert list(data["per_day"].values())[1] == {"deny": 1}


def test_summary__lists_are_capped() -> None:
    """Distinct workflows stop at MAX_LISTED per actor, whatever an actor touches."""
    events = [_event(workflows=(f"wf-{i}/r",)) for i in range(MAX_LISTED + 20)]
    assert len(_summary(*events).as_dict()["actors"][0]["workflows"]) == MAX_LISTED


def test_render__hostile_actor_is_text_in_html_and_csv() -> None:
    """An actor named like markup or a formula is escaped in HTML and neutralised in CSV."""
    summary = _summary(_event("<script>alert(1)</script>"), _event("=HYPERLINK(evil)"))
    page = render(summary, "html")
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert "<svg" in page and "Content-Security-Policy" in page
    rows = list(csv.DictReader(io.StringIO(render(summary, "csv"))))
    assert {r["actor"] for r in rows} == {"<script>alert(1)</script>", "'=HYPERLINK(evil)"}
    assert json.loads(render(summary, "json"))["actors"][0]["requests"] == 1


def test_parse_since__relative_and_iso_and_refusal() -> None:
    """7d and 24h count back from now; an ISO date is UTC; anything else is refused."""
    assert parse_since("7d", now=T0) == T0 - 7 * DAY
    assert parse_since("24h", now=T0) == T0 - DAY
    assert parse_since("2026-11-01") == 1_793_491_200.0
    with pytest.raises(ConfigError):
        parse_since("last tuesday")
