"""``logscrub policies`` and ``logscrub debug-api`` refusing to start, through the CLI."""

from __future__ import annotations

import json
import shutil

from processor.cli import main
from processor.settings import BUNDLED_POLICIES


def test_policies_test__a_wrong_expectation_fails_naming_the_file(tmp_path, capsys):
    """An ALLOW example that Cedar denies makes `policies test` exit 1 and name it."""
    policies = tmp_path / "policies"
    shutil.copytree(BUNDLED_POLICIES, policies)
    wrong = {"description": "Support may read records (wrong on purpose).",
             "principal": {"id": "sam", "groups": ["support"]}, "action": "ViewRecords",
             "resource": {"workflow_id": "w", "service": "payments"},
             "context": {"ticket": "INC-1"}}
    (policies / "tests" / "ALLOW" / "wrong.json").write_text(json.dumps(wrong))
    assert main(["policies", "test", "--policies", str(policies)]) == 1
    out = capsys.readouterr().out
    assert "FAIL ALLOW/wrong.json: expected ALLOW, got DENY" in out
    assert main(["policies", "test"]) == 0


def test_policies_validate__a_policy_outside_the_schema_fails(tmp_path, capsys):
    """A policy testing an attribute the schema does not have is reported and exits 1."""
    policies = tmp_path / "policies"
    shutil.copytree(BUNDLED_POLICIES, policies)
    (policies / "extra.cedar").write_text(
        '@id("bad")\npermit (principal, action == Logscrub::Action::"ViewTimeline", '
        "resource is Logscrub::Workflow) when { resource.owner == \"x\" };\n")
    assert main(["policies", "validate", "--policies", str(policies)]) == 1
    assert "INVALID" in capsys.readouterr().out


def test_debug_api__refuses_to_start_without_keys_or_with_bad_policies(tmp_path, capsys):
    """OIDC without a JWKS, or policies that do not validate, exit 2 before serving."""
    config = tmp_path / "settings.yaml"
    config.write_text("debug_api:\n  auth:\n    mode: oidc\n")
    assert main(["--config", str(config), "debug-api"]) == 2
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "x.cedar").write_text("permit (principal, action, resource);\n")
    config.write_text(
        "debug_api:\n"
        f"  policies_dir: {tmp_path / 'p'}\n"
        "  auth:\n    mode: local-dev\n"
        "    static_tokens: [{token: local-token-0123456789, sub: dev}]\n")
    assert main(["--config", str(config), "debug-api"]) == 2
    assert "local-token-0123456789" not in capsys.readouterr().err
