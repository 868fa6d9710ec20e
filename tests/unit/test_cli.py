"""The ``logscrub`` command as a user runs it: settings from the environment, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

_BAD_OVERRIDE = {"LOGSCRUB_SCRUB__OPERATORS__E_MAIL__OPERATOR": "drop"}


def _cli(*args: str, env: dict[str, str] | None = None,
         stdin: str = "") -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "LOGSCRUB_SCRUB__NER_ENABLED": "false", **(env or {})}
    return subprocess.run([sys.executable, "-m", "processor.cli", *args], input=stdin,
                          capture_output=True, text=True, env=full_env, timeout=300,
                          check=False)


def test_operator_override_from_env_is_applied() -> None:
    """LOGSCRUB_SCRUB__OPERATORS__EMAIL__OPERATOR changes how scrub masks an address."""
    env = {"LOGSCRUB_SCRUB__OPERATORS__EMAIL__OPERATOR": "partial"}
    proc = _cli("scrub", env=env, stdin="login bob@example.com ok\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "login [MASKED-EMAIL-ecom] ok\n"


@pytest.mark.parametrize(
    "command",
    [("scrub",), ("rules", "lint"), ("rules", "test"), ("rules", "explain"),
     ("config", "check"),
     ("run", "--bootstrap-servers", "127.0.0.1:9", "--workers", "1", "--metrics-port", "0")],
    ids=lambda c: " ".join(c[:2]),
)
def test_unknown_override_entity_exits_2_naming_it(command: tuple[str, ...]) -> None:
    """Every command that loads rules refuses an override for an unknown entity with exit 2."""
    proc = _cli(*command, env=_BAD_OVERRIDE, stdin="login bob@example.com\n")
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "scrub.operators.E_MAIL: unknown entity 'E_MAIL'" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert "bob@example.com" not in proc.stdout + proc.stderr


def test_config_check_never_shows_client_secrets() -> None:
    """config check prints client properties but replaces every secret value."""
    env = {"LOGSCRUB_KAFKA__CLIENT__SASL_PASSWORD": "pw-value-901",
           "LOGSCRUB_KAFKA__CLIENT__SSL_KEY_PASSWORD": "pw-value-902",
           "LOGSCRUB_KAFKA__CLIENT__SASL_USERNAME": "svc-logscrub",
           "LOGSCRUB_LOG_LEVEL": "DEBUG"}
    proc = _cli("config", "check", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "svc-logscrub" in proc.stdout and '"sasl.password": "**********"' in proc.stdout
    for value in ("pw-value-901", "pw-value-902"):
        assert value not in proc.stdout + proc.stderr


@pytest.mark.parametrize(
    ("argv", "problem"),
    [(("config", "check", "hunter2-stray'value"), "unrecognized arguments"),
     (("scrub", "--workers", "hunter2-stray'value"), "invalid int value"),
     (("hunter2-stray'value (choose from x",), "invalid choice (not shown) (choose from 'scrub'")],
    ids=["unrecognized", "invalid-value", "invalid-choice"],
)
def test_argument_values_are_not_echoed_in_usage_errors(
    argv: tuple[str, ...], problem: str,
) -> None:
    """A stray or mistyped argument (maybe a pasted secret) is not repeated in usage errors."""
    proc = _cli(*argv)
    assert proc.returncode == 2
    assert "hunter2" not in proc.stdout + proc.stderr
    assert problem in proc.stderr


def test_scrub_of_a_missing_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """`logscrub scrub MISSING` names the file in one line, exit 2, no traceback."""
    missing = tmp_path / "nope.log"
    proc = _cli("scrub", str(missing))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [
        f"logscrub: refusing to start: cannot read {missing}: No such file or directory"
    ]
