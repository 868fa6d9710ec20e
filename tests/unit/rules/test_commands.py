"""The three rules commands, run as a user runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.rules.test_loader import GOOD_RULE


def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LOGSCRUB_SCRUB__NER_ENABLED": "false"}
    return subprocess.run([sys.executable, "-m", "processor.cli", *args], capture_output=True,
                          input=stdin, text=True, env=env, timeout=300, check=False)


@pytest.mark.parametrize("regex", ["(a+)+b", r"(\w+\s?)*$", "(?:x|y+)*z"])
def test_lint_rejects_nested_quantifiers(tmp_path: Path, regex: str) -> None:
    """lint exits non-zero and names the rule whose regex can backtrack catastrophically."""
    (tmp_path / "r.yaml").write_text("rules:" + GOOD_RULE.format(id="slow-one", regex=regex))
    proc = _cli("rules", "lint", "--rules", str(tmp_path))
    assert proc.returncode == 1
    assert "rule 'slow-one'" in proc.stdout and "nested quantifier" in proc.stdout


def test_lint_passes_a_clean_rule(tmp_path: Path) -> None:
    """A simple rule lints clean."""
    (tmp_path / "r.yaml").write_text("rules:" + GOOD_RULE.format(id="zebra", regex="zebra"))
    proc = _cli("rules", "lint", "--rules", str(tmp_path))
    assert proc.returncode == 0, proc.stdout


def test_invalid_rules_refuse_to_start(tmp_path: Path) -> None:
    """An invalid rule set makes every command exit 2 naming the problem."""
    (tmp_path / "r.yaml").write_text("rules:" + GOOD_RULE.format(id="Bad_Id", regex="zebra"))
    proc = _cli("scrub", "--rules", str(tmp_path))
    assert proc.returncode == 2
    assert "r.yaml" in proc.stderr and "'id'" in proc.stderr


def test_rules_test_names_the_failing_example(tmp_path: Path) -> None:
    """A must_not_mask example that the rule hits fails, naming rule and example."""
    body = "rules:" + GOOD_RULE.format(id="zebra", regex="zebra").replace('"a horse"', '"zebra!"')
    (tmp_path / "r.yaml").write_text(body)
    proc = _cli("rules", "test", "--rules", str(tmp_path))
    assert proc.returncode == 1
    assert "rule 'zebra': examples.must_not_mask[0]" in proc.stdout
    assert "1 passed, 1 failed" in proc.stdout


def test_bundled_rules_pass_their_examples() -> None:
    """Every bundled rule's examples pass."""
    proc = _cli("rules", "test")
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert " 0 failed" in proc.stdout


_EXPLAINED = "login bob@example.com from 10.2.3.4 password=hunter2"


def _assert_explained(proc: subprocess.CompletedProcess[str]) -> None:
    assert proc.returncode == 0, proc.stderr
    assert "EMAIL" in proc.stdout and "IP_ADDRESS" in proc.stdout
    assert "bob@example.com" not in proc.stdout and "hunter2" not in proc.stdout
    assert "output: login [MASKED-EMAIL]" in proc.stdout
    assert proc.stdout.endswith("[MASKED-PASSWORD]\n")  # the input newline is not kept
    assert "hunter2" not in proc.stderr


def test_explain_reads_the_record_from_stdin() -> None:
    """explain reads stdin, names each rule that hit, where, and prints only masked output."""
    _assert_explained(_cli("rules", "explain", stdin=_EXPLAINED + "\n"))


def test_explain_reads_the_record_from_a_file(tmp_path: Path) -> None:
    """explain --file reads the record from a file, so it never enters argv."""
    record = tmp_path / "record.txt"
    record.write_text(_EXPLAINED + "\n")
    _assert_explained(_cli("rules", "explain", "--file", str(record)))


def test_explain_refuses_text_in_argv_without_the_flag() -> None:
    """A record given as an argument is refused (exit 2) and never repeated on any output."""
    proc = _cli("rules", "explain", _EXPLAINED)
    assert proc.returncode == 2
    assert "--text-arg" in proc.stderr and "shell history" in proc.stderr
    assert "hunter2" not in proc.stdout + proc.stderr


def test_explain_text_arg_works_with_a_warning() -> None:
    """--text-arg accepts the record as an argument and warns about shell history."""
    proc = _cli("rules", "explain", "--text-arg", _EXPLAINED)
    _assert_explained(proc)
    assert "warning" in proc.stderr and "shell history" in proc.stderr


def test_explain_does_not_echo_extra_arguments() -> None:
    """Two records on the command line give a usage error that repeats neither."""
    proc = _cli("rules", "explain", "--text-arg", "password=hunter2", "token=s3cr3t-t0k3n")
    assert proc.returncode == 2
    assert "hunter2" not in proc.stderr and "s3cr3t-t0k3n" not in proc.stderr


def test_config_check_redacts_and_rejects(tmp_path: Path) -> None:
    """config check prints settings without secrets, and exits non-zero when invalid."""
    env_key = "LOGSCRUB_SCRUB__PSEUDONYM_KEY"
    os.environ[env_key] = "very-secret-key-1"
    try:
        proc = _cli("config", "check")
    finally:
        del os.environ[env_key]
    assert proc.returncode == 0 and "very-secret-key-1" not in proc.stdout
    bad = tmp_path / "c.yaml"
    bad.write_text("kafka:\n  batch_size: -1\n")
    proc = _cli("--config", str(bad), "config", "check")
    assert proc.returncode == 2 and "kafka.batch_size" in proc.stderr
