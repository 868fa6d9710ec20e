"""The default store: one SQLite file in WAL mode, synchronous=FULL (durable on commit)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from processor.errors import StoreError
from processor.index.sql_store import Cursor, SqlStore

__all__ = ["SCHEMA", "SqliteStore"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    id INTEGER PRIMARY KEY,
    topic TEXT NOT NULL, part INTEGER NOT NULL, off INTEGER NOT NULL,
    workflow_id TEXT NOT NULL, run_id TEXT NOT NULL, step TEXT NOT NULL,
    attempt INTEGER NOT NULL, event TEXT NOT NULL, ts_ms INTEGER NOT NULL,
    duration_ms INTEGER, service TEXT NOT NULL, namespace TEXT NOT NULL,
    workflow_type TEXT NOT NULL, trace_id TEXT NOT NULL, source TEXT NOT NULL,
    value TEXT NOT NULL,
    UNIQUE (topic, part, off)
);
CREATE INDEX IF NOT EXISTS records_run ON records (workflow_id, run_id, ts_ms);
CREATE INDEX IF NOT EXISTS records_ts ON records (ts_ms, id);
CREATE INDEX IF NOT EXISTS records_trace ON records (trace_id);
CREATE TABLE IF NOT EXISTS runs (
    workflow_id TEXT NOT NULL, run_id TEXT NOT NULL, service TEXT NOT NULL,
    namespace TEXT NOT NULL, workflow_type TEXT NOT NULL, status TEXT NOT NULL,
    started_ms INTEGER NOT NULL, ended_ms INTEGER,
    PRIMARY KEY (workflow_id, run_id)
);
CREATE INDEX IF NOT EXISTS runs_started ON runs (started_ms DESC, workflow_id, run_id);
CREATE TABLE IF NOT EXISTS offsets (
    topic TEXT NOT NULL, part INTEGER NOT NULL, next_offset INTEGER NOT NULL,
    PRIMARY KEY (topic, part)
);
"""


class SqliteStore(SqlStore):
    """SQLite in WAL mode: readers (the API) never block the writer (the indexer)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        try:
            self._db = sqlite3.connect(str(path), isolation_level=None,
                                       check_same_thread=False, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA busy_timeout=30000")
            self._db.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open SQLite store {path}: {type(exc).__name__}") from None

    @contextmanager
    def _transaction(self) -> Iterator[Cursor]:
        with self._lock:
            cur = self._db.cursor()
            try:
                cur.execute("BEGIN IMMEDIATE")
                yield cur
                cur.execute("COMMIT")
            except sqlite3.Error as exc:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise StoreError(f"SQLite write failed: {type(exc).__name__}") from None
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return list(self._db.execute(sql, tuple(params)).fetchall())
            except sqlite3.Error as exc:
                raise StoreError(f"SQLite read failed: {type(exc).__name__}") from None

    def journal_mode(self) -> str:
        """The journal mode in force (``wal``)."""
        return str(self._read("PRAGMA journal_mode")[0][0])

    def close(self) -> None:
        """Close the database file."""
        with self._lock:
            self._db.close()
