"""Quarantine entries: why a record could not be scrubbed, and where it came from.

An entry holds the reason code, the source coordinates, the size of the value and its
timestamp. It never holds the raw value, the key or the headers of the record.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import orjson

__all__ = ["QuarantineEntry"]


@dataclass(frozen=True, slots=True)
class QuarantineEntry:
    """One record that went to the clean topic as a fully masked fallback."""

    reason: str
    topic: str
    partition: int
    offset: int
    size_bytes: int
    timestamp_ms: int | None
    ruleset: str

    def to_json(self, now_ms: int | None = None) -> bytes:
        """The entry as the JSON value of a quarantine record."""
        return orjson.dumps(
            {
                "reason": self.reason,
                "source": {
                    "topic": self.topic,
                    "partition": self.partition,
                    "offset": self.offset,
                },
                "size_bytes": self.size_bytes,
                "timestamp_ms": self.timestamp_ms,
                "ruleset": self.ruleset,
                "quarantined_at_ms": int(time.time() * 1000) if now_ms is None else now_ms,
            }
        )

    def header_source(self) -> bytes:
        """``<topic>/<partition>/<offset>`` for the quarantine record's ``scrub.source``."""
        return f"{self.topic}/{self.partition}/{self.offset}".encode()
