"""The small KMS interface that wraps and unwraps data keys, and its local backend.

A KMS holds the key-encryption key (KEK) and offers two calls: ``wrap`` a DEK and
``unwrap`` it again, each bound to associated data (the kid), so a wrapped DEK cannot
be passed off as another kid's. Backends:

- ``local``: the KEK is 32 bytes (base64url) from ``scrub.encryption.local_kek`` (the
  environment) or ``local_kek_file``; AES-256-GCM wraps. For development and tests.
- ``pkcs11``: the KEK is a non-extractable AES key inside an HSM
  (:mod:`processor.keys.pkcs11_kms`).

AWS KMS, GCP KMS or Vault transit plug in as one more class with the same two methods
(their Encrypt/Decrypt calls take the DEK and an encryption context or AAD).
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from processor.errors import ConfigError, KeyringError
from processor.settings import EncryptionSettings

__all__ = ["Kms", "LocalKms", "create_local_kek", "open_kms"]

_NONCE = 12


class Kms(Protocol):
    """Wraps and unwraps DEKs under a KEK it never hands out."""

    name: str

    def wrap(self, dek: bytes, aad: bytes) -> bytes:
        """The DEK encrypted under the KEK, bound to ``aad``."""
        ...

    def unwrap(self, wrapped: bytes, aad: bytes) -> bytes:
        """The DEK; KeyringError when the KEK or ``aad`` does not match."""
        ...

    def create_kek(self) -> str:
        """Create the KEK (refusing to replace one); say where it went."""
        ...


def _decode_kek(text: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    except (binascii.Error, ValueError):
        raise ConfigError("scrub.encryption: the local KEK is not base64url") from None
    if len(key) != 32:
        raise ConfigError("scrub.encryption: the local KEK must be 32 bytes")
    return key


class LocalKms:
    """KEK from the settings (environment) or a file; AES-256-GCM key wrapping."""

    name = "local"

    def __init__(self, settings: EncryptionSettings) -> None:
        self._settings = settings
        self._kek: bytes | None = None

    def _key(self) -> bytes:
        if self._kek is None:
            s = self._settings
            if s.local_kek is not None:
                self._kek = _decode_kek(s.local_kek.get_secret_value())
            elif s.local_kek_file is not None:
                try:
                    text = s.local_kek_file.read_text("ascii")
                except (OSError, UnicodeDecodeError) as exc:
                    raise ConfigError(f"cannot read the local KEK file {s.local_kek_file}: "
                                      f"{type(exc).__name__}") from None
                self._kek = _decode_kek(text)
            else:
                raise ConfigError("scrub.encryption: kms 'local' needs local_kek "
                                  "(LOGSCRUB_SCRUB__ENCRYPTION__LOCAL_KEK) or local_kek_file")
        return self._kek

    def wrap(self, dek: bytes, aad: bytes) -> bytes:
        """AES-256-GCM under the KEK: nonce + ciphertext + tag."""
        nonce = os.urandom(_NONCE)
        return nonce + AESGCM(self._key()).encrypt(nonce, dek, aad)

    def unwrap(self, wrapped: bytes, aad: bytes) -> bytes:
        """The DEK; KeyringError when the KEK is another one or the kid does not match."""
        try:
            return AESGCM(self._key()).decrypt(wrapped[:_NONCE], wrapped[_NONCE:], aad)
        except (InvalidTag, ValueError):
            raise KeyringError("a data key does not unwrap under this KEK") from None

    def create_kek(self) -> str:
        """Write a new KEK to ``local_kek_file`` (mode 0600); never over an existing one."""
        path = self._settings.local_kek_file
        if path is None:
            raise ConfigError("scrub.encryption.local_kek_file: where should the KEK go?")
        return create_local_kek(path)


def create_local_kek(path: Path) -> str:
    """32 random bytes, base64url, in a new file readable by its owner only."""
    text = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode() + "\n"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyringError(f"{path} exists; a KEK is never overwritten") from None
    except OSError as exc:
        raise KeyringError(f"cannot create {path}: {type(exc).__name__}") from None
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(text)
    return f"local KEK written to {path}"


def open_kms(settings: EncryptionSettings) -> Kms:
    """The configured backend."""
    if settings.kms == "pkcs11":
        from processor.keys.pkcs11_kms import Pkcs11Kms

        return Pkcs11Kms(settings.pkcs11)
    return LocalKms(settings)
