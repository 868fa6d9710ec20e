"""The SQLite store: idempotent batches, offsets with the rows, paging, retention."""

from __future__ import annotations

from processor.index.sqlite_store import SqliteStore
from processor.index.store import RecordQuery, RunQuery, decode_cursor, encode_cursor
from tests.unit.debugapi.conftest import T0, entry, seed


def test_write_batch__idempotent_and_offsets_stored(tmp_path):
    """Writing the same batch twice inserts once; offsets are stored with the rows."""
    store = SqliteStore(tmp_path / "i.db")
    seed(store)
    again = [entry("charge-1", "r1", "", "started", T0, 0)]
    assert store.write_batch("clean", again, {0: 10}) == 0
    assert store.stats()["records"] == 10 and store.stored_offsets("clean") == {0: 10}
    assert store.journal_mode() == "wal"
    store.close()


def test_runs__status_filter_and_cursor(tmp_path):
    """Runs list newest first; a status filter and cursors work."""
    store = SqliteStore(tmp_path / "i.db")
    seed(store)
    assert [r.workflow_id for r in store.list_runs(RunQuery(status="failed"))] == ["charge-2"]
    first = store.list_runs(RunQuery(limit=1))
    rest = store.list_runs(RunQuery(limit=5, cursor=(first[0].started_ms, first[0].workflow_id,
                                                       first[0].run_id)))
    assert [r.workflow_id for r in first + rest] == ["ship-1", "charge-2", "charge-1"]
    recs = store.list_records(RecordQuery(workflow_id="charge-1", step="charge"))
    assert [r.source for r in recs] == ["raw/0/3", "raw/0/4", "raw/0/5", "raw/0/6"]
    store.close()


def test_prune__by_age_then_by_size(tmp_path):
    """Retention drops old records, then the oldest beyond the cap, and empty runs."""
    store = SqliteStore(tmp_path / "i.db")
    seed(store)
    assert store.prune(T0 + 1000, 1_000_000) == 7
    assert store.get_run("charge-1", "r1") is None
    assert store.prune(0, 1) == 2
    assert store.stats()["records"] == 1 and store.stats()["runs"] == 1
    store.close()


def test_cursor__round_trip_and_rejects_garbage():
    """Cursors decode to their key; anything else raises ValueError."""
    assert decode_cursor(encode_cursor(5, "a", "b"), (int, str, str)) == (5, "a", "b")
    for bad in ("x", encode_cursor("5", "a", "b"), encode_cursor(1)):
        try:
            decode_cursor(bad, (int, str, str))
        except ValueError as exc:
            assert bad not in str(exc)
        else:
            raise AssertionError("accepted a bad cursor")
