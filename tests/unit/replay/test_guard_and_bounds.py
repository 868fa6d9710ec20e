"""Replay targets and bounds: production topics refused, offsets and run coordinates parsed."""

from __future__ import annotations

import pytest

from processor.errors import ConfigError
from processor.replay.bounds import PartitionRange, parse_offsets, ranges_for_sources
from processor.replay.guard import check_target
from processor.settings import Settings


def _settings() -> Settings:
    return Settings.model_validate({
        "kafka": {"output": "logs.clean", "quarantine": "logs.quarantine",
                  "inputs": ["logs.raw"]},
        "replay": {"production_patterns": ["prod[.].*"]},
    })


@pytest.mark.parametrize("topic", ["logs.clean", "logs.quarantine", "logs.raw", "prod.audit", ""])
def test_production_targets_are_refused(topic: str) -> None:
    """The clean, quarantine and raw topics, production patterns and no topic are refused."""
    with pytest.raises(ConfigError):
        check_target(_settings(), topic)


def test_staging_only_needs_the_staging_pattern() -> None:
    """The API's staging-only check accepts staging-* and refuses an ordinary topic."""
    check_target(_settings(), "staging-payments", staging_only=True)
    check_target(_settings(), "team.scratch")
    with pytest.raises(ConfigError, match="not a staging topic"):
        check_target(_settings(), "team.scratch", staging_only=True)


def test_input_pattern_is_refused() -> None:
    """A topic matching the raw input pattern is refused."""
    settings = Settings.model_validate({"kafka": {"input_pattern": "^raw[.].*"}})
    with pytest.raises(ConfigError, match="raw input"):
        check_target(settings, "raw.payments")


def test_parse_offsets_half_open_ranges() -> None:
    """P:START-END gives a half-open range; malformed or reversed specs are refused."""
    assert parse_offsets("t", ["0:5-10", "2:0-0"]) == [PartitionRange("t", 0, 5, 10),
                                                        PartitionRange("t", 2, 0, 0)]
    for bad in ("0:10-5", "x:1-2", "0:1"):
        with pytest.raises(ConfigError):
            parse_offsets("t", [bad])


def test_ranges_for_sources_cover_each_partition() -> None:
    """Run coordinates become one covering range per partition."""
    got = ranges_for_sources([("raw", 1, 9), ("raw", 0, 4), ("raw", 1, 3), ("raw", 0, 4)])
    assert got == [PartitionRange("raw", 0, 4, 5), PartitionRange("raw", 1, 3, 10)]
