"""The SQL both stores share. Subclasses supply the connection and the DDL.

Statements use ``?`` placeholders; a subclass rewrites them when its driver wants
another style. Every write of the indexer (records, runs, offsets) is one transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from processor.index.mapping import IndexEntry
from processor.index.store import RecordQuery, RecordRow, RunQuery, RunRow
from processor.index.timeline import Timeline, build_timeline, events_from_groups

__all__ = ["Cursor", "SqlStore"]

_RECORD_COLS = (
    "id, workflow_id, run_id, step, attempt, event, ts_ms, service, namespace, "
    "workflow_type, trace_id, source, value"
)
_GROUPS = (
    "SELECT step, attempt, event, MIN(ts_ms), MAX(ts_ms), COUNT(*), MAX(duration_ms)"
    " FROM records WHERE workflow_id = ? AND run_id = ? GROUP BY step, attempt, event"
)
_RUN_COLS = "workflow_id, run_id, service, namespace, workflow_type, status, started_ms, ended_ms"


class Cursor(Protocol):
    """The part of a DB-API cursor used here."""

    @property
    def rowcount(self) -> int: ...

    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class SqlStore:
    """Store logic on top of :meth:`_transaction` and :meth:`_read`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    # -- what a subclass provides ------------------------------------------------------

    def _transaction(self) -> AbstractContextManager[Cursor]:
        raise NotImplementedError

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def close(self) -> None:
        """Release the connection."""
        raise NotImplementedError

    # -- writes -----------------------------------------------------------------------

    def write_batch(self, topic: str, entries: list[IndexEntry], offsets: dict[int, int]) -> int:
        """Insert entries, refresh their runs and store the offsets, in one transaction."""
        inserted = 0
        touched: set[tuple[str, str]] = set()
        with self._transaction() as cur:
            for e in entries:
                cur.execute(
                    "INSERT INTO records (topic, part, off, workflow_id, run_id, step, attempt,"
                    " event, ts_ms, duration_ms, service, namespace, workflow_type, trace_id,"
                    " source, value) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                    " ON CONFLICT (topic, part, off) DO NOTHING",
                    (e.topic or topic, e.topic_partition, e.topic_offset, e.workflow_id,
                     e.run_id, e.step, e.attempt, e.event, e.ts_ms, e.duration_ms, e.service,
                     e.namespace, e.workflow_type, e.trace_id, e.source, e.value),
                )
                if cur.rowcount > 0:
                    inserted += cur.rowcount
                    touched.add((e.workflow_id, e.run_id))
            for workflow_id, run_id in sorted(touched):
                self._refresh_run(cur, workflow_id, run_id)
            for part, nxt in sorted(offsets.items()):
                cur.execute(
                    "INSERT INTO offsets (topic, part, next_offset) VALUES (?,?,?)"
                    " ON CONFLICT (topic, part) DO UPDATE SET next_offset = excluded.next_offset",
                    (topic, part, nxt),
                )
        return inserted

    def _refresh_run(self, cur: Cursor, workflow_id: str, run_id: str) -> None:
        # aggregated in SQL: a long run costs one grouped scan, not one Python row per record
        cur.execute(_GROUPS, (workflow_id, run_id))
        timeline = build_timeline(events_from_groups(cur.fetchall()))
        if timeline is None:
            cur.execute("DELETE FROM runs WHERE workflow_id = ? AND run_id = ?",
                        (workflow_id, run_id))
            return
        cur.execute(
            "SELECT MAX(service), MAX(namespace), MAX(workflow_type) FROM records"
            " WHERE workflow_id = ? AND run_id = ?",
            (workflow_id, run_id),
        )
        service, namespace, workflow_type = cur.fetchall()[0]
        cur.execute(
            f"INSERT INTO runs ({_RUN_COLS}) VALUES"  # noqa: S608 - constant column list
            " (?,?,?,?,?,?,?,?)"
            " ON CONFLICT (workflow_id, run_id) DO UPDATE SET service = excluded.service,"
            " namespace = excluded.namespace, workflow_type = excluded.workflow_type,"
            " status = excluded.status, started_ms = excluded.started_ms,"
            " ended_ms = excluded.ended_ms",
            (workflow_id, run_id, service, namespace, workflow_type, timeline.status,
             timeline.started_ms, timeline.ended_ms),
        )

    def prune(self, older_than_ms: int, max_records: int) -> int:
        """Delete by age, then the oldest beyond ``max_records``; drop runs left empty."""
        with self._transaction() as cur:
            cur.execute("DELETE FROM records WHERE ts_ms < ?", (older_than_ms,))
            deleted = max(cur.rowcount, 0)
            cur.execute("SELECT COUNT(*) FROM records")
            excess = int(cur.fetchall()[0][0]) - max_records
            if excess > 0:
                cur.execute(
                    "DELETE FROM records WHERE id IN"
                    " (SELECT id FROM records ORDER BY ts_ms, id LIMIT ?)",
                    (excess,),
                )
                deleted += max(cur.rowcount, 0)
            cur.execute(
                "DELETE FROM runs WHERE NOT EXISTS (SELECT 1 FROM records r"
                " WHERE r.workflow_id = runs.workflow_id AND r.run_id = runs.run_id)"
            )
        return deleted

    # -- reads ------------------------------------------------------------------------

    def stored_offsets(self, topic: str) -> dict[int, int]:
        """The next offset per partition written with the last batch."""
        rows = self._read("SELECT part, next_offset FROM offsets WHERE topic = ?", (topic,))
        return {int(p): int(o) for p, o in rows}

    def list_runs(self, query: RunQuery) -> list[RunRow]:
        """Runs newest first, filtered, after the cursor."""
        where: list[str] = ["1=1"]
        params: list[Any] = []
        for column, value in (("service", query.service), ("status", query.status)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if query.since_ms is not None:
            where.append("started_ms >= ?")
            params.append(query.since_ms)
        if query.until_ms is not None:
            where.append("started_ms < ?")
            params.append(query.until_ms)
        if query.cursor is not None:
            started, wf, run = query.cursor
            where.append("(started_ms < ? OR (started_ms = ? AND (workflow_id > ?"
                         " OR (workflow_id = ? AND run_id > ?))))")
            params += [started, started, wf, wf, run]
        rows = self._read(
            # the WHERE clauses are constants above; every value is a bound parameter
            f"SELECT {_RUN_COLS} FROM runs WHERE {' AND '.join(where)}"  # noqa: S608
            " ORDER BY started_ms DESC, workflow_id, run_id LIMIT ?",
            (*params, query.limit),
        )
        return [RunRow(*r) for r in rows]

    def get_run(self, workflow_id: str, run_id: str) -> RunRow | None:
        """One run, or None."""
        rows = self._read(
            f"SELECT {_RUN_COLS} FROM runs WHERE workflow_id = ? AND run_id = ?",  # noqa: S608
            (workflow_id, run_id),
        )
        return RunRow(*rows[0]) if rows else None

    def timeline(self, workflow_id: str, run_id: str) -> Timeline | None:
        """The run's timeline from its records (grouped in SQL)."""
        return build_timeline(events_from_groups(self._read(_GROUPS, (workflow_id, run_id))))

    def list_records(self, query: RecordQuery) -> list[RecordRow]:
        """Records oldest first, filtered, after the cursor."""
        where: list[str] = ["1=1"]
        params: list[Any] = []
        for column, value in (("workflow_id", query.workflow_id), ("run_id", query.run_id),
                              ("step", query.step), ("trace_id", query.trace_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if query.since_ms is not None:
            where.append("ts_ms >= ?")
            params.append(query.since_ms)
        if query.until_ms is not None:
            where.append("ts_ms < ?")
            params.append(query.until_ms)
        if query.cursor is not None:
            ts, rid = query.cursor
            where.append("(ts_ms > ? OR (ts_ms = ? AND id > ?))")
            params += [ts, ts, rid]
        rows = self._read(
            # the WHERE clauses are constants above; every value is a bound parameter
            f"SELECT {_RECORD_COLS} FROM records WHERE {' AND '.join(where)}"  # noqa: S608
            " ORDER BY ts_ms, id LIMIT ?",
            (*params, query.limit),
        )
        return [RecordRow(*r) for r in rows]

    def find_records_with(self, text: str, limit: int) -> list[RecordRow]:
        """Up to ``limit`` records, newest first, whose value contains ``text`` (a scan).

        LIKE narrows the rows (SQLite's ignores ASCII case); the exact, case-sensitive
        containment is checked here.
        """
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace(
            "_", "\\_") + "%"
        rows = self._read(
            f"SELECT {_RECORD_COLS} FROM records WHERE value LIKE ? ESCAPE '\\'"  # noqa: S608
            " ORDER BY ts_ms DESC, id DESC LIMIT ?",
            (pattern, limit),
        )
        return [RecordRow(*r) for r in rows if text in r[-1]]

    def stats(self) -> dict[str, int | None]:
        """Counts and the newest record time."""
        records, newest = self._read("SELECT COUNT(*), MAX(ts_ms) FROM records")[0]
        runs = self._read("SELECT COUNT(*) FROM runs")[0][0]
        return {"records": int(records), "runs": int(runs),
                "newest_ms": None if newest is None else int(newest)}

