"""The changelog the monitor creates before faust starts: faust's own configuration."""

from __future__ import annotations

import pytest
from faust.transport.drivers.aiokafka import Transport

from processor.monitor.app import AccessMonitor
from processor.monitor.topics import changelog_config
from processor.settings import load_settings


@pytest.mark.parametrize("window", [{"window": "tumbling"},
                                    {"window": "hopping", "window_seconds": 600,
                                     "step_seconds": 60, "expires_seconds": 7200}])
def test_changelog_config__matches_what_faust_would_create(window):
    settings = load_settings(overrides={"monitor": {"partitions": 3, **window}}, environ={})
    topic = AccessMonitor(settings).windows.table.changelog_topic
    retention_ms = int(float(topic.retention) * 1000)
    # What faust's Kafka transport passes to CreateTopics for this changelog.
    want = Transport._topic_config(Transport.__new__(Transport), retention_ms,
                                   topic.compacting, topic.deleting)
    assert changelog_config(topic) == {k: str(v) for k, v in want.items()}
    assert changelog_config(topic)["cleanup.policy"] == "compact,delete"
    assert topic.partitions == 3
    assert topic.get_topic_name() == f"{settings.monitor.app_id}-access-windows-changelog"
