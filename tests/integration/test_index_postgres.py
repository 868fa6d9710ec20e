"""The PostgreSQL store on a real server, and ``logscrub index --store postgres`` on Kafka."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid

import psycopg
import pytest
from kafka_broker import create_topic
from postgres_server import postgres_dsn

from processor.index.postgres_store import PostgresStore
from processor.index.store import RecordQuery, RunQuery
from tests.unit.debugapi.conftest import T0, entry, seed

pytestmark = pytest.mark.integration
__all__ = ["postgres_dsn"]  # the session fixture, imported so pytest finds it


@pytest.fixture
def pg_store(postgres_dsn):
    """A PostgresStore on a fresh database."""
    name = f"t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    dsn = postgres_dsn.replace("dbname=postgres", f"dbname={name}")
    store = PostgresStore(dsn)
    yield store, dsn
    store.close()


def test_postgres_store__same_contract_as_sqlite(pg_store):
    """Idempotent batches, stored offsets, runs, records, cursors and retention."""
    store, _dsn = pg_store
    seed(store)
    assert store.write_batch("clean", [entry("charge-1", "r1", "", "started", T0, 0)],
                             {0: 10}) == 0
    assert store.stored_offsets("clean") == {0: 10}
    assert store.stats()["records"] == 10
    runs = store.list_runs(RunQuery())
    assert [(r.workflow_id, r.status) for r in runs] == [
        ("ship-1", "running"), ("charge-2", "failed"), ("charge-1", "completed")]
    first = store.list_runs(RunQuery(limit=1))[0]
    rest = store.list_runs(RunQuery(cursor=(first.started_ms, first.workflow_id, first.run_id)))
    assert len(rest) == 2
    assert len(store.list_records(RecordQuery(workflow_id="charge-1", step="charge"))) == 4
    assert store.timeline("charge-1", "r1").status == "completed"
    assert store.prune(T0 + 1000, 1_000_000) == 7 and store.stats()["runs"] == 2


def test_indexer_on_postgres__restart_indexes_nothing_twice(pg_store, bootstrap, kafka,
                                                           tmp_path):
    """Two runs of the indexer over the same clean topic leave each record once."""
    _store, dsn = pg_store
    topic = f"it-clean-pg-{uuid.uuid4().hex[:8]}"
    create_topic(bootstrap, topic, 2)
    now = int(time.time()) - 60  # recent: retention keeps a week by default
    headers = [("scrub.source", b"raw/0/1"), ("scrub.ruleset", b"test")]
    records = [(b"k", json.dumps({"workflow_id": f"wf-{i % 3}", "run_id": "r", "step": "s",
                                  "event": "completed", "ts": now + i}).encode(),
                headers) for i in range(30)]
    records.append((b"k", b'{"workflow_id": "raw-never-scrubbed"}', []))
    kafka.produce(topic, records)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOGSCRUB_")}
    env.update(LOGSCRUB_INDEX__STORE="postgres", LOGSCRUB_INDEX__POSTGRES_DSN=dsn)
    argv = [sys.executable, "-m", "processor.cli", "index", "--topic", topic,
            "--bootstrap-servers", bootstrap, "--index-group-id", f"g-{topic}",
            "--exit-when-idle", "3"]
    for expected in ("30 records indexed", "0 records indexed"):
        proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120,
                              check=False)
        assert proc.returncode == 0, proc.stderr
        assert expected in proc.stderr
        assert dsn not in proc.stderr
    with psycopg.connect(dsn) as conn:
        count = conn.execute("SELECT COUNT(*), COUNT(DISTINCT off) FROM records").fetchone()
    assert count == (30, 30)
