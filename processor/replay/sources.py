"""Where the records of one workflow run came from, looked up in the timeline index."""

from __future__ import annotations

from processor.errors import ConfigError
from processor.index.store import RecordQuery, open_store
from processor.settings import IndexSettings

from .bounds import parse_source

__all__ = ["run_records"]

_PAGE = 1000


def run_records(index: IndexSettings, workflow_id: str, run_id: str) -> list[tuple[int, str]]:
    """``(ts_ms, scrub.source)`` of every indexed record of the run, oldest first.

    Raises ConfigError when the index holds no record of the run.
    """
    store = open_store(index)
    out: list[tuple[int, str]] = []
    try:
        cursor: tuple[int, int] | None = None
        while True:
            rows = store.list_records(RecordQuery(workflow_id=workflow_id, run_id=run_id,
                                                  limit=_PAGE, cursor=cursor))
            out += [(r.ts_ms, r.source) for r in rows if parse_source(r.source) is not None]
            if len(rows) < _PAGE:
                break
            cursor = (rows[-1].ts_ms, rows[-1].id)
    finally:
        store.close()
    if not out:
        raise ConfigError("the index holds no record of this workflow run")
    return out
