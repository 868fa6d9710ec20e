"""Test double for the stream unit tests: a consumed message (the engine is always real)."""

from __future__ import annotations

from dataclasses import dataclass


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
