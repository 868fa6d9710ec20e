"""The keyring file and the local KMS: rotation, disable, destroy, forgotten subjects."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest

from processor.errors import KeyringError
from processor.keys.keyring import (
    KeyringFile,
    destroy,
    disable,
    forget_subject,
    load_keyring,
    rotate,
    save_keyring,
)
from processor.keys.kms import LocalKms
from processor.keys.provider import KeyringKeys
from processor.masking.encryption import TokenCipher, TokenError
from processor.settings import EncryptionSettings


def _kek() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()


def _kms(kek: str | None = None) -> LocalKms:
    return LocalKms(EncryptionSettings(local_kek=kek or _kek()))


def test_rotate__new_active_old_decrypt_only(tmp_path: Path) -> None:
    """Rotation adds an active kid and leaves the previous one decrypt-only."""
    kms = _kms()
    ring = KeyringFile(kms="local")
    first = rotate(ring, kms)
    second = rotate(ring, kms)
    assert ring.get(first).state == "decrypt-only"
    assert ring.get(second).state == "active"
    path = tmp_path / "keyring.json"
    save_keyring(path, ring)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_keyring(path).active() is not None


def test_file__holds_no_plaintext_key(tmp_path: Path) -> None:
    """The saved keyring holds only wrapped keys: another KEK cannot unwrap them."""
    ring = KeyringFile(kms="local")
    rotate(ring, _kms())
    path = tmp_path / "keyring.json"
    save_keyring(path, ring)
    with pytest.raises(KeyringError):
        KeyringKeys(path, _kms())


def test_provider__old_tokens_decrypt_after_rotation(tmp_path: Path) -> None:
    """Tokens written before a rotation still reveal; new ones use the new kid."""
    kms, path = _kms(), tmp_path / "keyring.json"
    ring = KeyringFile(kms="local")
    old_kid = rotate(ring, kms)
    save_keyring(path, ring)
    keys = KeyringKeys(path, kms, reload_interval_s=0)
    cipher = TokenCipher(keys, {})
    old = cipher.encrypt("EMAIL", "a@b.io")
    new_kid = rotate(ring, kms)
    save_keyring(path, ring)
    keys.refresh(force=True)
    new = cipher.encrypt("EMAIL", "a@b.io")
    assert old is not None and new is not None
    assert f":{old_kid}:" in old and f":{new_kid}:" in new
    assert cipher.decrypt(old) == cipher.decrypt(new) == "a@b.io"


def test_disable__no_new_tokens(tmp_path: Path) -> None:
    """A disabled active key writes nothing new but still decrypts."""
    kms, path = _kms(), tmp_path / "keyring.json"
    ring = KeyringFile(kms="local")
    kid = rotate(ring, kms)
    save_keyring(path, ring)
    keys = KeyringKeys(path, kms, reload_interval_s=0)
    token = TokenCipher(keys, {}).encrypt("EMAIL", "a@b.io")
    disable(ring, kid)
    save_keyring(path, ring)
    keys.refresh(force=True)
    assert keys.active_kid() is None
    assert token is not None and TokenCipher(keys, {}).decrypt(token) == "a@b.io"


def test_destroy__unrecoverable(tmp_path: Path) -> None:
    """After destroy the wrapped key is erased from the file and reveal fails for good."""
    kms, path = _kms(), tmp_path / "keyring.json"
    ring = KeyringFile(kms="local")
    kid = rotate(ring, kms)
    save_keyring(path, ring)
    keys = KeyringKeys(path, kms, reload_interval_s=0)
    token = TokenCipher(keys, {}).encrypt("EMAIL", "a@b.io")
    wrapped = ring.get(kid).wrapped
    destroy(ring, kid)
    save_keyring(path, ring)
    assert wrapped is not None and wrapped not in path.read_text()
    keys.refresh(force=True)
    assert token is not None
    with pytest.raises(TokenError, match="unknown_key"):
        TokenCipher(keys, {}).decrypt(token)
    fresh = KeyringKeys(path, kms)  # a restarted process has nothing either
    assert fresh.dek(kid) is None


def test_forget_subject__stored_as_digest(tmp_path: Path) -> None:
    """A forgotten subject is kept as a digest, never as the id, and only once."""
    ring = KeyringFile(kms="local")
    assert forget_subject(ring, "customer-4711")
    assert not forget_subject(ring, "customer-4711")
    path = tmp_path / "keyring.json"
    save_keyring(path, ring)
    assert "customer-4711" not in path.read_text()
    assert len(load_keyring(path).forgotten()) == 1


def test_invalid_file__named_error(tmp_path: Path) -> None:
    """A corrupt keyring is refused with an error naming the file, not its content."""
    path = tmp_path / "keyring.json"
    path.write_text('{"format": 1, "kms": "local", "keys": [{"kid": "BAD KID"}]}')
    with pytest.raises(KeyringError, match=r"keyring\.json"):
        load_keyring(path)


def test_reload_failure__drops_keys(tmp_path: Path) -> None:
    """A keyring that turns invalid drops every key: nothing encrypts or decrypts."""
    kms, path = _kms(), tmp_path / "keyring.json"
    ring = KeyringFile(kms="local")
    rotate(ring, kms)
    save_keyring(path, ring)
    keys = KeyringKeys(path, kms, reload_interval_s=0)
    assert keys.active_kid() is not None
    path.write_text("not json")
    keys.refresh(force=True)
    assert keys.active_kid() is None
