"""Fixtures for the debug API unit tests: a seeded SQLite store, local-dev tokens, a fake sink.

The audit sink is a fake here (unit tests); the integration tests use the real broker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from processor.debugapi.app import create_app
from processor.debugapi.audit_event import AccessRecord
from processor.debugapi.auth import Authenticator
from processor.debugapi.grants import GrantsSource
from processor.debugapi.metrics import DebugApiMetrics
from processor.debugapi.policies import PolicyEngine
from processor.debugapi.server import explainer
from processor.debugapi.services import Services
from processor.errors import AuditError
from processor.index.mapping import IndexEntry
from processor.index.sqlite_store import SqliteStore
from processor.settings import BUNDLED_POLICIES, Settings

TOKENS = {
    "alice": ("alice-token-0123456789", ("oncall-payments",)),
    "sam": ("sam-token-0123456789ab", ("support",)),
    "eve": ("eve-token-0123456789ab", ()),
    "sec": ("sec-token-0123456789ab", ("security",)),
}
T0 = 1_764_320_000_000


class FakeSink:
    """Collects audit records; fails every emit when ``broken`` is set."""

    def __init__(self) -> None:
        self.records: list[AccessRecord] = []
        self.broken = False
        self.metrics: DebugApiMetrics | None = None  # the app's metrics, for assertions

    async def emit(self, record: AccessRecord) -> None:
        if self.broken:
            raise AuditError("audit event not acknowledged in time")
        self.records.append(record)

    def close(self) -> None:
        return None


def entry(wf: str, run: str, step: str, event: str, ts: int, offset: int,
          service: str = "payments", attempt: int = 1) -> IndexEntry:
    """An index entry as the indexer would make it from a masked record."""
    value = (f'{{"workflow_id":"{wf}","run_id":"{run}","step":"{step}","event":"{event}",'
             f'"email":"[MASKED-EMAIL]"}}')
    return IndexEntry(wf, run, step, attempt, event, ts, None, service, service, "Charge", "",
                      f"raw/0/{offset}", "clean", 0, offset, value)


def seed(store: SqliteStore) -> None:
    """Two payments runs (one failed) and one shipping run."""
    rows = [
        entry("charge-1", "r1", "", "started", T0, 0),
        entry("charge-1", "r1", "validate", "started", T0 + 10, 1),
        entry("charge-1", "r1", "validate", "completed", T0 + 110, 2),
        entry("charge-1", "r1", "charge", "started", T0 + 120, 3),
        entry("charge-1", "r1", "charge", "failed", T0 + 400, 4),
        entry("charge-1", "r1", "charge", "started", T0 + 500, 5, attempt=2),
        entry("charge-1", "r1", "charge", "completed", T0 + 900, 6, attempt=2),
        entry("charge-2", "r2", "validate", "started", T0 + 1000, 7),
        entry("charge-2", "r2", "validate", "failed", T0 + 1100, 8),
        entry("ship-1", "r3", "pack", "started", T0 + 2000, 9, service="shipping"),
    ]
    store.write_batch("clean", rows, {0: 10})


@pytest.fixture
def api_factory(tmp_path: Path) -> Iterator[Callable[..., tuple[TestClient, FakeSink]]]:
    """Build a TestClient on a seeded store with local-dev tokens and a fake sink."""
    stores: list[SqliteStore] = []

    def make(grants_file: Path | None = None, **debug_api: Any) -> tuple[TestClient, FakeSink]:
        settings = Settings.model_validate({
            "workers": 1,
            "scrub": {"ner_enabled": False},
            "debug_api": {
                "auth": {"mode": "local-dev", "static_tokens": [
                    {"token": tok, "sub": sub, "groups": list(groups)}
                    for sub, (tok, groups) in TOKENS.items()]},
                "grants_file": str(grants_file) if grants_file else None,
                **debug_api,
            },
        })
        store = SqliteStore(tmp_path / f"index-{len(stores)}.db")
        stores.append(store)
        seed(store)
        explain, version, mask_text = explainer(settings)
        services = Services(settings, store,
                            PolicyEngine(BUNDLED_POLICIES, GrantsSource(grants_file)),
                            explain, lambda: {"ruleset": version, "auth": {"local_dev": True}})
        sink = FakeSink()
        sink.metrics = DebugApiMetrics()
        client = TestClient(create_app(services, Authenticator(settings.debug_api.auth), sink,
                                       mask_text, sink.metrics))
        return client, sink

    yield make
    for s in stores:
        s.close()


def bearer(sub: str, **extra: str) -> dict[str, str]:
    """Headers carrying the static token of ``sub`` plus ``extra`` headers."""
    return {"Authorization": f"Bearer {TOKENS[sub][0]}", **extra}
