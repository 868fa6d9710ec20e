"""Build the format-aware scrubber the stream runs, from the settings."""

from __future__ import annotations

from processor.formats.avro import decode_avro
from processor.formats.registry import SchemaRegistry
from processor.formats.router import AvroDecoder, FormatScrubber, TextScrubber
from processor.formats.structured import Structured
from processor.settings import FormatSettings

__all__ = ["build_format_scrubber"]


def build_format_scrubber(
    scrubber: TextScrubber, settings: FormatSettings, registry: SchemaRegistry | None = None
) -> FormatScrubber:
    """Wrap ``scrubber`` so that OTLP records (and, with a registry, Avro) are understood."""
    if registry is None and settings.schema_registry_url is not None:
        registry = SchemaRegistry(
            settings.schema_registry_url,
            settings.schema_registry_timeout_s,
            settings.schema_cache_size,
        )
    avro: AvroDecoder | None = None
    if registry is not None:
        reg = registry

        def avro(raw: bytes) -> Structured | None:
            return decode_avro(raw, reg)

    return FormatScrubber(scrubber, settings.topics, avro)
