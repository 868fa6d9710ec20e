"""Where a replay or a snapshot load may write: never a production topic.

Refused: the configured clean topic, the quarantine topic, every raw input (by name or by
the input pattern) and every configured production pattern. The debug API also requires
the staging pattern. Patterns are matched against the whole topic name.
"""

from __future__ import annotations

import re

from processor.errors import ConfigError
from processor.settings import Settings

__all__ = ["check_target"]


def check_target(settings: Settings, topic: str, *, staging_only: bool = False) -> None:
    """Raise ConfigError when ``topic`` may not receive replayed or loaded records."""
    kafka = settings.kafka
    if not topic:
        raise ConfigError("an output topic is required")
    if topic == kafka.output:
        raise ConfigError(f"refusing to write to the production clean topic {topic!r}")
    if topic == kafka.quarantine:
        raise ConfigError(f"refusing to write to the quarantine topic {topic!r}")
    if topic in kafka.inputs or (kafka.input_pattern
                                 and re.fullmatch(kafka.input_pattern.lstrip("^"), topic)):
        raise ConfigError(f"refusing to write to the raw input topic {topic!r}")
    for pattern in settings.replay.production_patterns:
        if re.fullmatch(pattern, topic):
            raise ConfigError(f"refusing to write to {topic!r}: it matches the production "
                              f"pattern {pattern!r}")
    if staging_only and not re.fullmatch(settings.replay.staging_pattern, topic):
        raise ConfigError(f"refusing to write to {topic!r}: not a staging topic "
                          f"(replay.staging_pattern {settings.replay.staging_pattern!r})")
