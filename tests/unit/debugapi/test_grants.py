"""Grants: compiled into Cedar, expiry and ticket enforced, reloaded when the file changes."""

from __future__ import annotations

import os
import time

import pytest

from processor.debugapi.auth import Identity
from processor.debugapi.grants import GrantsSource
from processor.debugapi.policies import PolicyEngine, RequestContext, WorkflowResource
from processor.errors import ConfigError
from processor.settings import BUNDLED_POLICIES

DANA = Identity("dana", (), "oidc")
SHIP = WorkflowResource("ship-7", "r1", "shipping", "logistics", "Ship")


def _grant(expires: str, ticket: str = "INC-4711") -> str:
    return (f"grants:\n  - id: g1\n    actor: dana\n    actions: [ViewRecords]\n"
            f"    scope: {{service: shipping}}\n    ticket: {ticket}\n"
            f"    expires_at: {expires}\n")


def test_grant__allows_until_expiry_then_denies(tmp_path):
    """A live grant allows with its ticket; the same grant past expires_at denies."""
    path = tmp_path / "grants.yaml"
    path.write_text(_grant("2030-01-01T00:00:00Z"))
    engine = PolicyEngine(BUNDLED_POLICIES, GrantsSource(path))
    ok = engine.decide(DANA, "ViewRecords", SHIP, RequestContext("INC-4711"))
    assert ok.allowed and ok.policy_ids == ("grant:g1",)
    assert not engine.decide(DANA, "ViewRecords", SHIP, RequestContext("INC-1")).allowed
    late = RequestContext("INC-4711", now_s=1_893_456_001)
    assert not engine.decide(DANA, "ViewRecords", SHIP, late).allowed


def test_grants__reloaded_on_change_and_revoked_when_broken(tmp_path):
    """Editing the file takes effect on the next request; a broken file revokes all."""
    path = tmp_path / "grants.yaml"
    path.write_text("grants: []\n")
    engine = PolicyEngine(BUNDLED_POLICIES, GrantsSource(path))
    ctx = RequestContext("INC-4711")
    assert not engine.decide(DANA, "ViewRecords", SHIP, ctx).allowed
    path.write_text(_grant("2030-01-01T00:00:00Z"))
    os.utime(path, (time.time() + 5, time.time() + 5))
    assert engine.decide(DANA, "ViewRecords", SHIP, ctx).allowed
    path.write_text("grants: [ {id: g1, actor: dana} ]\n")
    os.utime(path, (time.time() + 10, time.time() + 10))
    assert not engine.decide(DANA, "ViewRecords", SHIP, ctx).allowed


def test_grants_file__invalid_at_start_refuses(tmp_path):
    """Quotes in a ticket (Cedar injection) or a missing time zone are rejected at load."""
    path = tmp_path / "grants.yaml"
    path.write_text(_grant("2030-01-01T00:00:00Z", ticket='"x" || true'))
    with pytest.raises(ConfigError):
        GrantsSource(path)
    path.write_text(_grant("2030-01-01T00:00:00"))
    with pytest.raises(ConfigError):
        GrantsSource(path)


def test_bundled_policy_tests__all_pass():
    """The bundled ALLOW/DENY examples match their folders."""
    from processor.debugapi.policy_tests import run_policy_tests, validate_dir

    assert validate_dir(BUNDLED_POLICIES) == []
    outcomes = run_policy_tests(BUNDLED_POLICIES)
    assert len(outcomes) >= 10 and all(o.passed for o in outcomes)
