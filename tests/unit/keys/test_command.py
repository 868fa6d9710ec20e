"""`logscrub keys`: list, rotate, disable, destroy (confirmed), forget-subject, exit codes."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest

from processor.cli import main
from processor.exit_codes import ExitCode
from processor.keys.keyring import load_keyring


@pytest.fixture
def keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings from the environment: a local KEK and a keyring path (not yet created)."""
    kek = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
    path = tmp_path / "keyring.json"
    monkeypatch.setenv("LOGSCRUB_SCRUB__ENCRYPTION__LOCAL_KEK", kek)
    monkeypatch.setenv("LOGSCRUB_SCRUB__ENCRYPTION__KEYRING_FILE", str(path))
    return path


def test_rotate_list_disable(keyring: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Rotate creates the keyring, rotating again demotes the old kid, list shows both."""
    assert main(["keys", "rotate"]) == ExitCode.OK
    assert main(["keys", "rotate"]) == ExitCode.OK
    first, second = load_keyring(keyring).keys
    assert (first.state, second.state) == ("decrypt-only", "active")
    capsys.readouterr()
    assert main(["keys", "list"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert first.kid in out and second.kid in out and "decrypt-only" in out
    assert second.wrapped is not None and second.wrapped not in out
    assert main(["keys", "disable", second.kid]) == ExitCode.OK
    assert load_keyring(keyring).active() is None


def test_destroy__needs_confirmation(keyring: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --yes and without a terminal, destroy refuses (exit 1) and changes nothing."""
    main(["keys", "rotate"])
    kid = load_keyring(keyring).keys[0].kid
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["keys", "destroy", kid]) == ExitCode.FAILED
    assert load_keyring(keyring).get(kid).state == "active"
    assert main(["keys", "destroy", kid, "--yes"]) == ExitCode.OK
    entry = load_keyring(keyring).get(kid)
    assert entry.state == "destroyed" and entry.wrapped is None


def test_destroy__typed_kid_confirms(keyring: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At a terminal, typing the kid confirms; anything else does not."""
    main(["keys", "rotate"])
    kid = load_keyring(keyring).keys[0].kid
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda _prompt: "yes")
    assert main(["keys", "destroy", kid]) == ExitCode.FAILED
    monkeypatch.setattr("builtins.input", lambda _prompt: kid)
    assert main(["keys", "destroy", kid]) == ExitCode.OK


def test_unknown_kid__exit_1_named(keyring: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown kid fails with exit 1 and a message naming the kid."""
    main(["keys", "rotate"])
    assert main(["keys", "disable", "k9-nothere"]) == ExitCode.FAILED
    assert "k9-nothere" in capsys.readouterr().err


def test_forget_subject__never_printed(keyring: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    """forget-subject stores a digest and prints neither the id nor the digest."""
    main(["keys", "rotate"])
    capsys.readouterr()
    assert main(["keys", "forget-subject", "customer-4711"]) == ExitCode.OK
    out = capsys.readouterr()
    ring = load_keyring(keyring)
    assert len(ring.forgotten_subjects) == 1
    assert "customer-4711" not in out.out + out.err + keyring.read_text()
    assert ring.forgotten_subjects[0].digest not in out.out


def test_no_keyring_setting__exit_2(monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Without scrub.encryption.keyring_file the command refuses with exit 2."""
    monkeypatch.setenv("LOGSCRUB_SCRUB__ENCRYPTION__LOCAL_KEK", "A" * 43)
    monkeypatch.delenv("LOGSCRUB_SCRUB__ENCRYPTION__KEYRING_FILE", raising=False)
    assert main(["keys", "list"]) == ExitCode.INVALID


def test_create_kek__local_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """create-kek writes a 0600 KEK file and never overwrites it."""
    kek_file = tmp_path / "kek"
    monkeypatch.setenv("LOGSCRUB_SCRUB__ENCRYPTION__LOCAL_KEK_FILE", str(kek_file))
    assert main(["keys", "create-kek"]) == ExitCode.OK
    assert oct(kek_file.stat().st_mode & 0o777) == "0o600"
    before = kek_file.read_text()
    assert main(["keys", "create-kek"]) == ExitCode.FAILED
    assert kek_file.read_text() == before


def test_config_check__kek_redacted(keyring: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """config check shows the KEK as stars."""
    assert main(["config", "check"]) == ExitCode.OK
    shown = json.loads(capsys.readouterr().out)
    assert shown["scrub"]["encryption"]["local_kek"] == "**********"
