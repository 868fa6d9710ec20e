"""Test doubles for the stream unit tests: a consumed message and a scripted scrubber."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from processor.records import FALLBACK_TOKEN, ScrubResult


@dataclass
class FakeMessage:
    """The parts of ``confluent_kafka.Message`` that a batch reads."""

    _value: bytes | None
    _key: bytes | None = b"k"
    _offset: int = 0
    _partition: int = 0
    _topic: str = "logs.raw"
    _headers: list[tuple[str, bytes | None]] | None = None
    _timestamp: tuple[int, int] = (1, 1_700_000_000_000)

    def topic(self) -> str:
        return self._topic

    def partition(self) -> int:
        return self._partition

    def offset(self) -> int:
        return self._offset

    def key(self) -> bytes | None:
        return self._key

    def value(self) -> bytes | None:
        return self._value

    def headers(self) -> list[tuple[str, bytes | None]] | None:
        return self._headers

    def timestamp(self) -> tuple[int, int]:
        return self._timestamp


@dataclass
class ScriptedScrubber:
    """Falls back with ``reasons[value]`` for listed values, masks ``SECRET`` otherwise."""

    reasons: dict[bytes, str] = field(default_factory=dict)
    ruleset_version: str = "abc123"
    ner_seconds: float = 0.0

    def scrub_many(self, values: Sequence[bytes]) -> list[ScrubResult]:
        out = []
        for v in values:
            if v in self.reasons:
                out.append(ScrubResult(FALLBACK_TOKEN.encode(), "text", Counter(), self.reasons[v]))
            else:
                text, counts = self.scrub_text(v.decode())
                out.append(ScrubResult(text.encode(), "text", counts))
        return out

    def scrub_text(self, text: str) -> tuple[str, Counter[tuple[str, str]]]:
        n = text.count("SECRET")
        return text.replace("SECRET", "[MASKED-TOKEN]"), Counter({("fake-token", "TOKEN"): n})

    def scrub_field(self, name: str, text: str) -> tuple[str, Counter[tuple[str, str]]]:
        return self.scrub_text(text)
