"""The store interface the indexer writes to and the debug API reads from.

Two implementations share the SQL in :mod:`processor.index.sql_store`: SQLite in WAL
mode (the default, one file) and PostgreSQL (several API replicas). :func:`open_store`
picks one from the settings.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from processor.errors import ConfigError
from processor.index.mapping import IndexEntry
from processor.index.timeline import Timeline
from processor.settings import IndexSettings

__all__ = [
    "Page",
    "RecordQuery",
    "RecordRow",
    "RunQuery",
    "RunRow",
    "Store",
    "decode_cursor",
    "encode_cursor",
    "open_store",
]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RunRow:
    """One workflow run as listed."""

    workflow_id: str
    run_id: str
    service: str
    namespace: str
    workflow_type: str
    status: str
    started_ms: int
    ended_ms: int | None


@dataclass(frozen=True, slots=True)
class RecordRow:
    """One indexed (masked) record."""

    id: int
    workflow_id: str
    run_id: str
    step: str
    attempt: int
    event: str
    ts_ms: int
    service: str
    namespace: str
    workflow_type: str
    trace_id: str
    source: str
    value: str


@dataclass(frozen=True, slots=True)
class RunQuery:
    """Filters of ``GET /api/v1/workflows``."""

    service: str | None = None
    status: str | None = None
    since_ms: int | None = None
    until_ms: int | None = None
    limit: int = 50
    cursor: tuple[int, str, str] | None = None  # (started_ms, workflow_id, run_id)


@dataclass(frozen=True, slots=True)
class RecordQuery:
    """Filters of ``GET /api/v1/records``."""

    workflow_id: str | None = None
    run_id: str | None = None
    step: str | None = None
    trace_id: str | None = None
    since_ms: int | None = None
    until_ms: int | None = None
    limit: int = 50
    cursor: tuple[int, int] | None = None  # (ts_ms, id)


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of results and the cursor of the next (None at the end)."""

    items: list[T] = field(default_factory=list)
    next_cursor: str | None = None


class Store(Protocol):
    """What the indexer and the debug API need from storage."""

    def write_batch(self, topic: str, entries: list[IndexEntry], offsets: dict[int, int]) -> int:
        """Insert the entries and record ``offsets`` (next offset per partition) atomically.

        Returns the rows newly inserted. Durable when it returns; idempotent per record.
        """
        ...

    def stored_offsets(self, topic: str) -> dict[int, int]:
        """The next offset to read per partition, as last written with a batch."""
        ...

    def list_runs(self, query: RunQuery) -> list[RunRow]:
        """Up to ``query.limit`` runs, newest first, after the cursor."""
        ...

    def get_run(self, workflow_id: str, run_id: str) -> RunRow | None:
        """One run, or None."""
        ...

    def timeline(self, workflow_id: str, run_id: str) -> Timeline | None:
        """The run's steps and status, or None when the run is unknown."""
        ...

    def list_records(self, query: RecordQuery) -> list[RecordRow]:
        """Up to ``query.limit`` records, oldest first, after the cursor."""
        ...

    def find_records_with(self, text: str, limit: int) -> list[RecordRow]:
        """Up to ``limit`` records (newest first) whose value contains ``text`` exactly."""
        ...

    def prune(self, older_than_ms: int, max_records: int) -> int:
        """Delete records older than the cutoff, then the oldest beyond ``max_records``."""
        ...

    def stats(self) -> dict[str, int | None]:
        """``records``, ``runs`` and ``newest_ms`` (None when empty)."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


def encode_cursor(*key: int | str) -> str:
    """An opaque cursor for a sort key."""
    raw = json.dumps(list(key), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, types: tuple[type, ...]) -> tuple[int | str, ...]:
    """The sort key in ``cursor``; raises ValueError (without echoing it) when malformed."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ValueError("malformed cursor") from None
    if not isinstance(key, list) or len(key) != len(types):
        raise ValueError("malformed cursor")
    if not all(type(v) is t for v, t in zip(key, types, strict=True)):
        raise ValueError("malformed cursor")
    return tuple(key)


def open_store(settings: IndexSettings) -> Store:
    """The configured store, schema created when missing. Raises StoreError/ConfigError."""
    if settings.store == "sqlite":
        from processor.index.sqlite_store import SqliteStore

        return SqliteStore(settings.sqlite_path)
    if settings.postgres_dsn is None:
        raise ConfigError("index.store is postgres but index.postgres_dsn is not set")
    from processor.index.postgres_store import PostgresStore

    return PostgresStore(settings.postgres_dsn.get_secret_value())
