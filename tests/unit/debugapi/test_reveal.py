"""POST /api/v1/reveal: Cedar Reveal with ticket, grant and role, budgets, audit, shredding."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from processor.debugapi.app import create_app
from processor.debugapi.audit_event import ocsf_payload
from processor.debugapi.auth import Authenticator
from processor.debugapi.grants import GrantsSource
from processor.debugapi.policies import PolicyEngine
from processor.debugapi.server import reveal_services
from processor.debugapi.services import Services
from processor.index.mapping import IndexEntry
from processor.index.sqlite_store import SqliteStore
from processor.keys.keyring import (
    KeyringFile,
    destroy,
    forget_subject,
    load_keyring,
    rotate,
    save_keyring,
)
from processor.keys.kms import LocalKms
from processor.keys.provider import KeyringKeys
from processor.masking.encryption import TokenCipher
from processor.settings import BUNDLED_POLICIES, Settings

from .conftest import T0, TOKENS, FakeSink, bearer

CARD = "4111111111111111"
EMAIL = "ana.lopez@example.com"


class Env:
    """A running app over a keyring, a seeded store and a grants file."""

    def __init__(self, client: TestClient, sink: FakeSink, settings: Settings,
                 tokens: dict[str, str]) -> None:
        self.client, self.sink, self.settings, self.tokens = client, sink, settings, tokens

    @property
    def keyring(self) -> Path:
        path = self.settings.scrub.encryption.keyring_file
        assert path is not None
        return path

    def reveal(self, who: str, *tokens: str, ticket: str | None = "INC-1") -> Any:
        headers = bearer(who, **({"X-Debug-Ticket": ticket} if ticket else {}))
        return self.client.post("/api/v1/reveal", headers=headers,
                                json={"tokens": list(tokens), "reason": "declined card"})


def _grant(path: Path, expires: datetime, actor: str = "alice") -> None:
    path.write_text(json.dumps({"grants": [{
        "id": "inc-1", "actor": actor, "actions": ["Reveal", "ViewRecords"],
        "scope": {"service": "payments"}, "ticket": "INC-1",
        "expires_at": expires.isoformat()}]}))


@pytest.fixture
def env_factory(tmp_path: Path) -> Iterator[Callable[..., Env]]:
    """Build an Env; tokens are written by the real cipher into indexed records."""
    stores: list[SqliteStore] = []

    def make(grant_actor: str = "alice", expires_in: timedelta = timedelta(hours=1),
             **debug_api: Any) -> Env:
        kek = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
        keyring = tmp_path / f"keyring-{len(stores)}.json"
        grants = tmp_path / f"grants-{len(stores)}.yaml"
        _grant(grants, datetime.now(UTC) + expires_in, grant_actor)
        settings = Settings.model_validate({
            "workers": 1,
            "scrub": {"ner_enabled": False, "encryption": {
                "keyring_file": str(keyring), "local_kek": kek, "reload_interval_s": 0}},
            "debug_api": {
                "auth": {"mode": "local-dev", "static_tokens": [
                    {"token": tok, "sub": sub, "groups": list(groups)}
                    for sub, (tok, groups) in TOKENS.items()]},
                "grants_file": str(grants), **debug_api},
        })
        ring = KeyringFile(kms="local")
        rotate(ring, LocalKms(settings.scrub.encryption))
        save_keyring(keyring, ring)
        cipher = TokenCipher(KeyringKeys(keyring, LocalKms(settings.scrub.encryption)), {})
        tokens = {
            "card": cipher.encrypt("CREDIT_CARD", CARD, subject="u-1"),
            "email": cipher.encrypt("EMAIL", EMAIL, subject="u-2"),
            "ssn": cipher.encrypt("US_SSN", "078-05-1120"),
            "shipping": cipher.encrypt("EMAIL", "ship@example.com"),
        }
        store = SqliteStore(tmp_path / f"index-{len(stores)}.db")
        stores.append(store)
        rows = []
        for i, (name, token) in enumerate(tokens.items()):
            service = "shipping" if name == "shipping" else "payments"
            value = json.dumps({"workflow_id": f"wf-{name}", "run_id": "r1", "v": token})
            rows.append(IndexEntry(f"wf-{name}", "r1", "charge", 1, "failed", T0 + i, None,
                                   service, service, "Charge", "", f"raw/0/{i}", "clean", 0,
                                   i, value))
        store.write_batch("clean", rows, {0: len(rows)})
        services = Services(settings, store,
                            PolicyEngine(BUNDLED_POLICIES, GrantsSource(grants)),
                            lambda _v: {}, lambda: {}, *reveal_services(settings))
        sink = FakeSink()
        client = TestClient(create_app(services, Authenticator(settings.debug_api.auth), sink))
        return Env(client, sink, settings, {k: str(v) for k, v in tokens.items()})

    yield make
    for s in stores:
        s.close()


def _audit(env: Env) -> dict[str, Any]:
    return ocsf_payload(env.sink.records[-1])


def test_allowed__value_no_store_and_decrypt_event(env_factory: Callable[..., Env]) -> None:
    """Role, ticket and grant together reveal the card, uncached, audited as 6005 Decrypt."""
    env = env_factory()
    resp = env.reveal("alice", env.tokens["card"])
    assert resp.status_code == 200
    assert resp.json()["results"][0]["value"] == CARD
    assert resp.headers["cache-control"] == "no-store"
    event = _audit(env)
    assert (event["class_uid"], event["activity_name"]) == (6005, "Decrypt")
    assert event["authorizations"][0]["decision"] == "allow"
    assert event["unmapped"]["entities"] == ["CREDIT_CARD"]
    assert event["unmapped"]["reveals"][0]["outcome"] == "revealed"
    assert {"type": "Entity", "uid": "CREDIT_CARD"} in event["resources"]
    dumped = json.dumps(event)
    assert CARD not in dumped and env.tokens["card"] not in dumped


@pytest.mark.parametrize(("who", "ticket", "token"), [
    ("sam", "INC-1", "card"),        # support: no role may reveal
    ("eve", "INC-1", "card"),        # no group at all
    ("alice", None, "card"),         # no ticket
    ("alice", "INC-1", "ssn"),       # an entity the role may not see
    ("alice", "INC-1", "shipping"),  # a workflow outside the role and the grant
])
def test_denied__403_audited(env_factory: Callable[..., Env], who: str,
                             ticket: str | None, token: str) -> None:
    """Without role, ticket, entity or scope the reveal is 403 and audited as a deny."""
    env = env_factory(grant_actor=who)
    resp = env.reveal(who, env.tokens[token], ticket=ticket)
    assert resp.status_code == 403
    assert "value" not in resp.text
    event = _audit(env)
    assert event["class_uid"] == 6005 and event["authorizations"][0]["decision"] == "deny"
    assert event["unmapped"]["reveals"][0]["outcome"] == "denied"


def test_expired_grant__403_audited(env_factory: Callable[..., Env]) -> None:
    """After the grant's expiry the same request is denied and audited."""
    env = env_factory(expires_in=timedelta(seconds=-1))
    assert env.reveal("alice", env.tokens["card"]).status_code == 403
    assert _audit(env)["authorizations"][0]["decision"] == "deny"


def test_budget__429_audited(env_factory: Callable[..., Env]) -> None:
    """Past the per-actor budget the API answers 429 and audits it."""
    env = env_factory(reveal_budget=2)
    assert env.reveal("alice", env.tokens["card"], env.tokens["email"]).status_code == 200
    resp = env.reveal("alice", env.tokens["card"])
    assert resp.status_code == 429 and CARD not in resp.text
    event = _audit(env)
    assert event["authorizations"][0]["decision"] == "deny"
    assert event["message"] == "reveal_budget_exceeded"


def test_destroyed_key__unrecoverable(env_factory: Callable[..., Env]) -> None:
    """After destroy the reveal fails with unknown_key (410) and an audit event."""
    env = env_factory()
    ring = load_keyring(env.keyring)
    destroy(ring, ring.keys[0].kid)
    save_keyring(env.keyring, ring)
    resp = env.reveal("alice", env.tokens["card"])
    assert resp.status_code == 410
    assert resp.json()["results"][0]["error"] == "unknown_key" and CARD not in resp.text
    assert _audit(env)["unmapped"]["reveals"][0]["outcome"] == "unknown_key"


def test_forget_subject__only_that_subject(env_factory: Callable[..., Env]) -> None:
    """A forgotten subject's values no longer reveal; another subject's still do."""
    env = env_factory()
    ring = load_keyring(env.keyring)
    forget_subject(ring, "u-1")
    save_keyring(env.keyring, ring)
    resp = env.reveal("alice", env.tokens["card"], env.tokens["email"])
    assert resp.status_code == 200
    card, email = resp.json()["results"]
    assert card["error"] == "subject_forgotten" and "value" not in card
    assert email["value"] == EMAIL


def test_audit_down__503_no_plaintext(env_factory: Callable[..., Env]) -> None:
    """When the audit event is not acknowledged the client gets 503 and no value."""
    env = env_factory()
    env.sink.broken = True
    resp = env.reveal("alice", env.tokens["card"])
    assert resp.status_code == 503 and CARD not in resp.text
    assert resp.json() == {"error": "audit_unavailable"}


def test_token_copied_elsewhere__needs_both_workflows(env_factory: Callable[..., Env]) -> None:
    """A token that also sits in a workflow the caller may not reveal from is refused."""
    env = env_factory()
    store = env.client.app.state.services.store
    value = json.dumps({"v": env.tokens["card"]})
    store.write_batch("clean", [IndexEntry("wf-x", "r9", "pack", 1, "started", T0 + 99, None,
                                           "shipping", "shipping", "Ship", "", "raw/0/99",
                                           "clean", 0, 99, value)], {0: 100})
    assert env.reveal("alice", env.tokens["card"]).status_code == 403


def test_malformed_or_unknown__not_echoed(env_factory: Callable[..., Env]) -> None:
    """A malformed token is 400 and a token in no record 404; neither is echoed back."""
    env = env_factory()
    bad = "ENC[v1:EMAIL:k1:s:hunter2hunter2]"
    resp = env.reveal("alice", bad)
    assert resp.status_code == 400 and "hunter2" not in resp.text
    other = env.tokens["card"][:-3] + "AAA]"
    resp = env.reveal("alice", other)
    assert resp.status_code in (400, 404) and other not in resp.text


def test_permitted__per_token_without_decrypting(env_factory: Callable[..., Env]) -> None:
    """The page's probe says which tokens the caller may reveal, decrypting nothing."""
    env = env_factory()
    tokens = [env.tokens["card"], env.tokens["ssn"], "ENC[v1:EMAIL:k1:s:bad]"]
    resp = env.client.post("/api/v1/reveal/permitted", json={"tokens": tokens},
                           headers=bearer("alice", **{"X-Debug-Ticket": "INC-1"}))
    assert resp.status_code == 200 and resp.json() == {"permitted": [True, False, False]}
    assert CARD not in resp.text
    assert _audit(env)["api"]["operation"] == "CheckReveal"
    resp = env.client.post("/api/v1/reveal/permitted", json={"tokens": tokens[:1]},
                           headers=bearer("sam", **{"X-Debug-Ticket": "INC-1"}))
    assert resp.json() == {"permitted": [False]}
