"""The monitor's metrics: exact names, every label set present at 0 before any event."""

from __future__ import annotations

from prometheus_client import generate_latest

from processor.monitor.metrics import MonitorMetrics
from processor.settings import MonitorSettings


def test_metrics__every_label_set_precreated_at_zero() -> None:
    """Every action x decision x role and every burst kind is exported at 0 from the start."""
    settings = MonitorSettings()
    text = generate_latest(MonitorMetrics(settings).registry).decode()
    for kind in ("denied", "reveal", "no_ticket", "mutation", "breadth", "off_hours"):
        assert f'logscrub_debug_access_bursts_total{{kind="{kind}"}} 0.0' in text
    for action in (*settings.actions, "other"):
        for decision in ("allow", "deny"):
            for role in (*settings.roles, "other", "none"):
                line = (f'logscrub_debug_access_total{{action="{action}",'
                        f'decision="{decision}",role="{role}"}} 0.0')
                assert line in text
    assert "logscrub_debug_mutation_attempts_total 0.0" in text
    assert "logscrub_debug_events_lag_seconds 0.0" in text
