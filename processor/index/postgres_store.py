"""The PostgreSQL store (psycopg 3): one database serves several API replicas."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg

from processor.errors import StoreError
from processor.index.sql_store import Cursor, SqlStore

__all__ = ["SCHEMA", "PostgresStore"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic TEXT NOT NULL, part INTEGER NOT NULL, off BIGINT NOT NULL,
    workflow_id TEXT NOT NULL, run_id TEXT NOT NULL, step TEXT NOT NULL,
    attempt INTEGER NOT NULL, event TEXT NOT NULL, ts_ms BIGINT NOT NULL,
    duration_ms BIGINT, service TEXT NOT NULL, namespace TEXT NOT NULL,
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
    started_ms BIGINT NOT NULL, ended_ms BIGINT,
    PRIMARY KEY (workflow_id, run_id)
);
CREATE INDEX IF NOT EXISTS runs_started ON runs (started_ms DESC, workflow_id, run_id);
CREATE TABLE IF NOT EXISTS offsets (
    topic TEXT NOT NULL, part INTEGER NOT NULL, next_offset BIGINT NOT NULL,
    PRIMARY KEY (topic, part)
);
"""


def _pg(sql: str) -> str:
    """``?`` placeholders as psycopg's ``%s`` (the shared SQL holds no literal ``%``)."""
    return sql.replace("?", "%s")


class _PgCursor:
    """A psycopg cursor that accepts the shared ``?`` SQL."""

    def __init__(self, cur: psycopg.Cursor[Any]) -> None:
        self._cur = cur
        self.rowcount = 0

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        result = self._cur.execute(_pg(sql), tuple(params))
        self.rowcount = self._cur.rowcount
        return result

    def fetchall(self) -> list[Any]:
        return self._cur.fetchall()


class PostgresStore(SqlStore):
    """PostgreSQL; each batch is one transaction, committed (and fsynced) before return."""

    def __init__(self, dsn: str) -> None:
        super().__init__()
        try:
            self._conn = psycopg.connect(dsn, autocommit=True, connect_timeout=10)
            with self._conn.transaction():
                self._conn.execute("SELECT pg_advisory_xact_lock(727274)")  # one DDL at a time
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        self._conn.execute(statement)
        except psycopg.Error as exc:
            raise StoreError(f"cannot open PostgreSQL store: {type(exc).__name__}") from None

    @contextmanager
    def _transaction(self) -> Iterator[Cursor]:
        with self._lock:
            try:
                with self._conn.transaction(), self._conn.cursor() as cur:
                    yield _PgCursor(cur)
            except psycopg.Error as exc:
                raise StoreError(f"PostgreSQL write failed: {type(exc).__name__}") from None

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return list(self._conn.execute(_pg(sql), tuple(params)).fetchall())
            except psycopg.Error as exc:
                raise StoreError(f"PostgreSQL read failed: {type(exc).__name__}") from None

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()
