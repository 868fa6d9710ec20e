"""The replay endpoints: Cedar's Replay action, the ticket, staging-only targets, audit."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from processor.debugapi.app import create_app
from processor.debugapi.auth import Authenticator
from processor.debugapi.grants import GrantsSource
from processor.debugapi.policies import PolicyEngine
from processor.debugapi.services import Services
from processor.index.sqlite_store import SqliteStore
from processor.replay.manager import ReplayJob, ReplayManager
from processor.settings import BUNDLED_POLICIES, Settings
from tests.unit.debugapi.conftest import TOKENS, FakeSink, bearer, seed


class _NoRun(ReplayManager):
    """The real manager (target checks, bookkeeping) without touching Kafka."""

    started: list[ReplayJob]

    def _run(self, job: ReplayJob) -> None:
        self.started.append(job)


@pytest.fixture
def api(tmp_path: Path):
    """A TestClient whose replay manager records the jobs it would run."""
    (tmp_path / "candidates" / "next").mkdir(parents=True)
    settings = Settings.model_validate({
        "workers": 1, "scrub": {"ner_enabled": False},
        "kafka": {"output": "logs.clean"},
        "replay": {"rules_root": str(tmp_path / "candidates")},
        "debug_api": {"auth": {"mode": "local-dev", "static_tokens": [
            {"token": tok, "sub": sub, "groups": list(groups)}
            for sub, (tok, groups) in TOKENS.items()]}},
    })
    store = SqliteStore(tmp_path / "index.db")
    seed(store)
    manager = _NoRun(settings)
    manager.started = []
    services = Services(settings, store, PolicyEngine(BUNDLED_POLICIES, GrantsSource(None)),
                        lambda b: {}, lambda: {}, manager)
    sink = FakeSink()
    yield TestClient(create_app(services, Authenticator(settings.debug_api.auth), sink)), sink, \
        manager
    store.close()


BODY = {"workflow_id": "charge-1", "run_id": "r1", "output": "staging-payments"}


def test_security_with_ticket_starts_a_replay(api) -> None:
    """202 with the replay id; the job carries actor and ticket; the audit says allow."""
    client, sink, manager = api
    resp = client.post("/api/v1/replays", json=BODY, headers=bearer("sec", **{
        "X-Debug-Ticket": "INC-5"}))
    assert resp.status_code == 202
    job = manager.started[0]
    assert (job.actor, job.ticket, job.request.output) == ("sec", "INC-5", "staging-payments")
    assert resp.json()["id"] == job.request.replay_id
    got = client.get(f"/api/v1/replays/{job.request.replay_id}",
                     headers=bearer("sec", **{"X-Debug-Ticket": "INC-5"}))
    assert got.status_code == 200 and got.json()["status"] == "pending"
    rec = sink.records[0]
    assert (rec.operation, rec.decision, rec.mutating) == ("Replay", "allow", True)


@pytest.mark.parametrize(("who", "ticket"), [("sec", None), ("alice", "INC-1"), ("eve", "INC-1")])
def test_replay_denied_without_ticket_or_permission(api, who: str, ticket: str | None) -> None:
    """No ticket, or a caller no policy lets replay: 403, nothing started, audited as deny."""
    client, sink, manager = api
    headers = bearer(who, **({"X-Debug-Ticket": ticket} if ticket else {}))
    assert client.post("/api/v1/replays", json=BODY, headers=headers).status_code == 403
    assert not manager.started
    assert sink.records[0].decision == "deny"


@pytest.mark.parametrize("output", ["logs.clean", "team-scratch"])
def test_replay_only_into_staging(api, output: str) -> None:
    """The clean topic and any topic outside the staging pattern are refused with 400."""
    client, _sink, manager = api
    resp = client.post("/api/v1/replays", json={**BODY, "output": output},
                       headers=bearer("sec", **{"X-Debug-Ticket": "INC-5"}))
    assert (resp.status_code, resp.json()) == (400, {"error": "refused_target"})
    assert not manager.started


def test_unknown_replay_is_not_found(api) -> None:
    """Polling an unknown id answers 404 after the policy check."""
    client, _sink, _manager = api
    resp = client.get("/api/v1/replays/rp-0123456789ab",
                      headers=bearer("sec", **{"X-Debug-Ticket": "INC-5"}))
    assert resp.status_code == 404


@pytest.mark.parametrize("rules", ["../etc", ".hidden", "missing"])
def test_rules_outside_the_rules_root_are_refused(api, rules: str) -> None:
    """A rule set name that climbs out of replay.rules_root, or names nothing, is refused."""
    client, _sink, manager = api
    resp = client.post("/api/v1/replays", json={**BODY, "rules": rules},
                       headers=bearer("sec", **{"X-Debug-Ticket": "INC-5"}))
    assert resp.status_code in (400, 422)
    assert not manager.started


def test_rules_inside_the_rules_root_are_used(api) -> None:
    """A rule set named by its folder under replay.rules_root is the one replayed with."""
    client, _sink, manager = api
    resp = client.post("/api/v1/replays", json={**BODY, "rules": "next"},
                       headers=bearer("sec", **{"X-Debug-Ticket": "INC-5"}))
    assert resp.status_code == 202
    assert manager.started[0].request.rules_dir is not None
    assert manager.started[0].request.rules_dir.name == "next"
