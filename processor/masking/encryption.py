"""The ``encrypt`` operator: ``ENC[v1:<ENTITY>:<kid>:<mode>:<base64url>]`` tokens.

- mode ``s``: AES-SIV (RFC 5297, AES-256): deterministic, equal values under one key and
  subject give equal tokens, so the clean topic stays joinable and searchable;
- mode ``g``: AES-256-GCM with a random 96-bit nonce: equal values give different tokens.

Every primitive comes from the ``cryptography`` package. A data key (DEK, 64 random
bytes) is never used directly: HKDF-SHA256 derives one key per mode, and per subject
when the record names one (``keys.subject_field``). The payload is::

    flags (1 byte: 0 = no subject, 1 = subject tag follows) [+ subject tag, 16 bytes]
    + SIV mode: the 16-byte synthetic IV and the ciphertext
    + GCM mode: the 12-byte nonce, the ciphertext and the 16-byte tag

The associated data binds ``v1``, the entity, the kid, the mode and the flags/subject
tag, so a token cannot be relabelled to another entity, key or mode, nor moved to
another subject. The subject tag is an HMAC of the subject id's SHA-256 under a key
derived from the DEK: it reveals no subject to anyone without the DEK, and it lets a
reveal check the subject against the tombstone list (``keys forget-subject``).

No I/O here: the key material comes from a :class:`DataKeys` provider.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

import regex
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = [
    "ENC_PREFIX",
    "NO_KEYS",
    "DataKeys",
    "EncryptMode",
    "ParsedToken",
    "TokenCipher",
    "TokenError",
    "enc_token_pattern",
    "parse_token",
    "subject_digest",
]

EncryptMode = Literal["s", "g"]
ENC_PREFIX = "ENC[v1:"
DEK_BYTES = 64
_TAG_BYTES = 16
_NONCE_BYTES = 12
_KID = r"[a-z0-9][a-z0-9-]{0,31}"
_ENTITY = r"[A-Z][A-Z0-9_]{0,39}"
# flags + at least the 16-byte SIV or the 12-byte nonce and 16-byte GCM tag
_MIN_B64 = 22
_TOKEN = regex.compile(
    rf"ENC\[v1:(?P<entity>{_ENTITY}):(?P<kid>{_KID}):(?P<mode>[sg]):(?P<data>[A-Za-z0-9_-]{{{_MIN_B64},}})\]"
)


class TokenError(ValueError):
    """A token is malformed, or does not authenticate. ``reason`` is a fixed code."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class DataKeys(Protocol):
    """Where the cipher gets its data keys (the keyring, unwrapped by the KMS)."""

    def active_kid(self) -> str | None:
        """The kid new tokens are written under, or None when there is none."""
        ...

    def dek(self, kid: str) -> bytes | None:
        """The 64-byte DEK of a kid that may decrypt, or None (unknown, destroyed)."""
        ...


class _NoKeys:
    """No key at all: the encrypt operator masks, and no ENC token authenticates."""

    def active_kid(self) -> str | None:
        return None

    def dek(self, kid: str) -> bytes | None:
        return None


NO_KEYS: DataKeys = _NoKeys()


@dataclass(frozen=True, slots=True)
class ParsedToken:
    """The fields of one ``ENC[...]`` token."""

    entity: str
    kid: str
    mode: EncryptMode
    subject_tag: bytes | None
    body: bytes
    header: bytes  # flags and subject tag, as bound into the associated data


def enc_token_pattern(entities: list[str]) -> str:
    """A regex source matching the token shape for these entities only."""
    names = "|".join(regex.escape(e) for e in sorted(set(entities), key=lambda e: (-len(e), e)))
    return (rf"ENC\[v1:(?:{names}):{_KID}:[sg]:[A-Za-z0-9_-]{{{_MIN_B64},}}\]"
            if names else r"(?!)")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise TokenError("malformed") from None


def parse_token(token: str) -> ParsedToken:
    """Split a whole token into its fields; TokenError("malformed") otherwise."""
    m = _TOKEN.fullmatch(token)
    if m is None:
        raise TokenError("malformed")
    raw = _unb64(m["data"])
    if _b64(raw) != m["data"]:
        raise TokenError("malformed")  # non-canonical base64url: one value, one spelling
    flags = raw[:1]
    if flags == b"\x00":
        header, tag = flags, None
    elif flags == b"\x01" and len(raw) > 1 + _TAG_BYTES:
        header, tag = raw[: 1 + _TAG_BYTES], raw[1 : 1 + _TAG_BYTES]
    else:
        raise TokenError("malformed")
    mode: EncryptMode = "s" if m["mode"] == "s" else "g"
    return ParsedToken(m["entity"], m["kid"], mode, tag, raw[len(header):], header)


def subject_digest(subject: str) -> bytes:
    """SHA-256 of a subject id: what the tombstone list stores instead of the id."""
    return hashlib.sha256(subject.encode("utf-8", "surrogatepass")).digest()


def _hkdf(dek: bytes, length: int, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(dek)


def _aad(entity: str, kid: str, mode: str, header: bytes) -> bytes:
    return b"\x00".join((b"v1", entity.encode(), kid.encode(), mode.encode(), header))


class TokenCipher:
    """Encrypts values into tokens and decrypts tokens, with keys from a provider."""

    def __init__(self, keys: DataKeys, modes: Mapping[str, EncryptMode],
                 default_mode: EncryptMode = "s") -> None:
        self._keys = keys
        self._modes = dict(modes)
        self._default = default_mode
        self._derived: dict[tuple[bytes, bytes], bytes] = {}

    def mode_for(self, entity: str) -> EncryptMode:
        """The mode tokens of this entity are written in."""
        return self._modes.get(entity, self._default)

    def subject_tag(self, dek: bytes, digest: bytes) -> bytes:
        """The 16-byte tag of a subject (given as its SHA-256) under one DEK."""
        key = self._derive(dek, b"logscrub/v1/subject-tag", 32)
        return hmac.new(key, digest, hashlib.sha256).digest()[:_TAG_BYTES]

    def _derive(self, dek: bytes, info: bytes, length: int) -> bytes:
        cache_key = (dek, info)
        key = self._derived.get(cache_key)
        if key is None:
            if len(self._derived) > 4096:
                self._derived.clear()
            key = _hkdf(dek, length, info)
            self._derived[cache_key] = key
        return key

    def _mode_key(self, dek: bytes, mode: str, tag: bytes | None) -> bytes:
        info = b"logscrub/v1/" + mode.encode() + (b"/subject/" + tag if tag else b"")
        return self._derive(dek, info, 64 if mode == "s" else 32)

    def encrypt(self, entity: str, value: str, subject: str | None = None) -> str | None:
        """The token for ``value``, or None when no active key is available."""
        kid = self._keys.active_kid()
        dek = self._keys.dek(kid) if kid is not None else None
        if kid is None or dek is None:
            return None
        mode = self.mode_for(entity)
        tag = self.subject_tag(dek, subject_digest(subject)) if subject else None
        header = b"\x01" + tag if tag else b"\x00"
        key = self._mode_key(dek, mode, tag)
        aad = _aad(entity, kid, mode, header)
        data = value.encode("utf-8", "surrogatepass")
        if mode == "s":
            body = AESSIV(key).encrypt(data, [aad])
        else:
            nonce = os.urandom(_NONCE_BYTES)
            body = nonce + AESGCM(key).encrypt(nonce, data, aad)
        return f"ENC[v1:{entity}:{kid}:{mode}:{_b64(header + body)}]"

    def decrypt(self, token: str | ParsedToken) -> str:
        """The value inside a token; TokenError with a reason code otherwise.

        Reasons: ``malformed``, ``unknown_key`` (no such kid, or destroyed),
        ``integrity`` (tampered, relabelled, truncated, or another key).
        """
        parsed = parse_token(token) if isinstance(token, str) else token
        dek = self._keys.dek(parsed.kid)
        if dek is None:
            raise TokenError("unknown_key")
        key = self._mode_key(dek, parsed.mode, parsed.subject_tag)
        aad = _aad(parsed.entity, parsed.kid, parsed.mode, parsed.header)
        try:
            if parsed.mode == "s":
                data = AESSIV(key).decrypt(parsed.body, [aad])
            else:
                nonce, sealed = parsed.body[:_NONCE_BYTES], parsed.body[_NONCE_BYTES:]
                if len(nonce) != _NONCE_BYTES or len(sealed) < 16:
                    raise TokenError("integrity")
                data = AESGCM(key).decrypt(nonce, sealed, aad)
        except (InvalidTag, ValueError):
            raise TokenError("integrity") from None
        try:
            return data.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            raise TokenError("integrity") from None

    def authentic(self, token: str) -> bool:
        """True when ``token`` decrypts under a key the provider holds."""
        try:
            self.decrypt(token)
        except (TokenError, ValueError):
            return False
        return True
