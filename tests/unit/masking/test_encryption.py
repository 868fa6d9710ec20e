"""The encrypt operator's tokens: format, modes, associated data, tampering."""

from __future__ import annotations

import base64
import os

import pytest

from processor.masking.encryption import TokenCipher, TokenError, parse_token


class _Keys:
    """Two fixed data keys; ``k1`` active."""

    def __init__(self) -> None:
        self.deks = {"k1": os.urandom(64), "k2": os.urandom(64)}
        self.active: str | None = "k1"

    def active_kid(self) -> str | None:
        return self.active

    def dek(self, kid: str) -> bytes | None:
        return self.deks.get(kid)


def _cipher(mode: str = "s") -> TokenCipher:
    return TokenCipher(_Keys(), {}, default_mode=mode)  # type: ignore[arg-type]


def _swap_field(token: str, index: int, new: str) -> str:
    inner = token[len("ENC[") : -1].split(":")
    inner[index] = new
    return "ENC[" + ":".join(inner) + "]"


@pytest.mark.parametrize("mode", ["s", "g"])
def test_round_trip__each_mode(mode: str) -> None:
    """A value encrypted in either mode decrypts to itself, in the fixed token format."""
    cipher = _cipher(mode)
    token = cipher.encrypt("EMAIL", "ana@example.com")
    assert token is not None
    assert token.startswith(f"ENC[v1:EMAIL:k1:{mode}:") and token.endswith("]")
    assert "ana" not in token and "example" not in token
    assert cipher.decrypt(token) == "ana@example.com"


def test_siv__deterministic() -> None:
    """SIV mode gives equal tokens for equal values and different ones otherwise."""
    cipher = _cipher("s")
    assert cipher.encrypt("EMAIL", "a@b.io") == cipher.encrypt("EMAIL", "a@b.io")
    assert cipher.encrypt("EMAIL", "a@b.io") != cipher.encrypt("EMAIL", "c@b.io")


def test_gcm__unique() -> None:
    """GCM mode gives a fresh token for every encryption of the same value."""
    cipher = _cipher("g")
    tokens = {cipher.encrypt("EMAIL", "a@b.io") for _ in range(50)}
    assert len(tokens) == 50


@pytest.mark.parametrize("mode", ["s", "g"])
@pytest.mark.parametrize(("index", "new"), [(1, "PHONE"), (2, "k2"), (0, "v2")])
def test_relabelled__rejected(mode: str, index: int, new: str) -> None:
    """A token moved to another entity, key or version never decrypts."""
    cipher = _cipher(mode)
    token = cipher.encrypt("EMAIL", "a@b.io")
    assert token is not None
    with pytest.raises(TokenError):
        cipher.decrypt(_swap_field(token, index, new))


def test_mode_swapped__rejected() -> None:
    """A token relabelled from one mode to the other never decrypts."""
    cipher = _cipher("s")
    token = cipher.encrypt("EMAIL", "a@b.io")
    assert token is not None
    with pytest.raises(TokenError):
        cipher.decrypt(_swap_field(token, 3, "g"))


@pytest.mark.parametrize("mode", ["s", "g"])
def test_tampered_and_truncated__rejected(mode: str) -> None:
    """A flipped ciphertext bit, a truncated payload or a dropped bracket is rejected."""
    cipher = _cipher(mode)
    token = cipher.encrypt("EMAIL", "someone@example.com")
    assert token is not None
    data = token[:-1].rsplit(":", 1)[1]
    raw = bytearray(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    raw[-1] ^= 1
    flipped = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    with pytest.raises(TokenError, match="integrity"):
        cipher.decrypt(token.replace(data, flipped))
    short = base64.urlsafe_b64encode(bytes(raw[:-4])).rstrip(b"=").decode()
    with pytest.raises(TokenError):
        cipher.decrypt(token.replace(data, short))
    with pytest.raises(TokenError, match="malformed"):
        cipher.decrypt(token[:-1])


def test_subject__binds_key() -> None:
    """A subject changes the token, and a token moved to another subject's tag fails."""
    cipher = _cipher("s")
    alice = cipher.encrypt("EMAIL", "a@b.io", subject="u-1")
    bob = cipher.encrypt("EMAIL", "a@b.io", subject="u-2")
    assert alice is not None and bob is not None and alice != bob
    assert cipher.decrypt(alice) == "a@b.io"
    p_alice, p_bob = parse_token(alice), parse_token(bob)
    assert p_alice.subject_tag is not None and p_alice.subject_tag != p_bob.subject_tag
    data = alice[:-1].rsplit(":", 1)[1]
    raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    moved = raw[:1] + p_bob.subject_tag + raw[17:] if p_bob.subject_tag else raw
    forged = alice.replace(data, base64.urlsafe_b64encode(moved).rstrip(b"=").decode())
    with pytest.raises(TokenError):
        cipher.decrypt(forged)


def test_unknown_key__clear_reason() -> None:
    """A token whose key is gone fails with the reason ``unknown_key``."""
    keys = _Keys()
    cipher = TokenCipher(keys, {})
    token = cipher.encrypt("EMAIL", "a@b.io")
    assert token is not None
    del keys.deks["k1"]
    with pytest.raises(TokenError, match="unknown_key"):
        cipher.decrypt(token)


def test_no_active_key__no_token() -> None:
    """Without an active key the cipher writes no token (the masker masks instead)."""
    keys = _Keys()
    keys.active = None
    assert TokenCipher(keys, {}).encrypt("EMAIL", "a@b.io") is None
