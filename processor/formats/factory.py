"""Build the format-aware scrubber the stream runs, from the settings."""

from __future__ import annotations

from processor.formats.router import FormatScrubber, TextScrubber
from processor.settings import FormatSettings

__all__ = ["build_format_scrubber"]


def build_format_scrubber(scrubber: TextScrubber, settings: FormatSettings) -> FormatScrubber:
    """Wrap ``scrubber`` so that OTLP (and, with a registry, Avro) records are understood."""
    return FormatScrubber(scrubber, settings.topics)
