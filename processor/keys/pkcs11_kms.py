"""The PKCS#11 KMS backend: the KEK is an AES-256 key that never leaves the HSM.

``create-kek`` generates it inside the token (sensitive, not extractable, for
encrypt/decrypt only); ``wrap``/``unwrap`` send a DEK through the HSM's AES-GCM with
the kid as associated data. The same code drives SoftHSM2 in the tests and a real or
cloud HSM in production (``scrub.encryption.pkcs11.library`` names the vendor module).
"""

from __future__ import annotations

import os
import threading
from typing import Any

import pkcs11
from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass
from pkcs11.exceptions import NoSuchKey, PKCS11Error
from pkcs11.mechanisms import GCMParams

from processor.errors import ConfigError, KeyringError
from processor.settings import Pkcs11Settings

__all__ = ["Pkcs11Kms"]

_NONCE = 12
_LIBS: dict[str, Any] = {}
_LIBS_LOCK = threading.Lock()


def _lib(path: str) -> Any:
    """One loaded module per path and process (a module may be initialised only once)."""
    with _LIBS_LOCK:
        if path not in _LIBS:
            try:
                _LIBS[path] = pkcs11.lib(path)
            except (PKCS11Error, OSError, RuntimeError) as exc:
                raise ConfigError(f"cannot load the PKCS#11 module {path}: "
                                  f"{type(exc).__name__}") from None
        return _LIBS[path]


class Pkcs11Kms:
    """Wrap and unwrap DEKs with a KEK inside a PKCS#11 token."""

    name = "pkcs11"

    def __init__(self, settings: Pkcs11Settings) -> None:
        if settings.library is None or settings.pin is None:
            raise ConfigError("scrub.encryption.pkcs11 needs library and pin "
                              "(LOGSCRUB_SCRUB__ENCRYPTION__PKCS11__PIN)")
        self._settings = settings
        self._lock = threading.Lock()

    def _session(self, rw: bool = False) -> Any:
        s = self._settings
        assert s.library is not None and s.pin is not None
        try:
            token = _lib(str(s.library)).get_token(token_label=s.token_label)
            return token.open(rw=rw, user_pin=s.pin.get_secret_value())
        except PKCS11Error as exc:
            raise KeyringError(f"cannot open PKCS#11 token {s.token_label!r}: "
                               f"{type(exc).__name__}") from None

    def _kek(self, session: Any) -> Any:
        try:
            return session.get_key(object_class=ObjectClass.SECRET_KEY, key_type=KeyType.AES,
                                   label=self._settings.key_label)
        except NoSuchKey:
            raise KeyringError(f"no KEK labelled {self._settings.key_label!r} in the token "
                               "(create it with `logscrub keys create-kek`)") from None
        except PKCS11Error as exc:
            raise KeyringError(f"KEK lookup failed: {type(exc).__name__}") from None

    def wrap(self, dek: bytes, aad: bytes) -> bytes:
        """AES-GCM inside the HSM: nonce + ciphertext + tag."""
        nonce = os.urandom(_NONCE)
        with self._lock, self._session() as session:
            try:
                sealed = self._kek(session).encrypt(
                    dek, mechanism=Mechanism.AES_GCM, mechanism_param=GCMParams(nonce, aad))
            except PKCS11Error as exc:
                raise KeyringError(f"HSM wrap failed: {type(exc).__name__}") from None
        return nonce + bytes(sealed)

    def unwrap(self, wrapped: bytes, aad: bytes) -> bytes:
        """The DEK; KeyringError when the KEK or the kid does not match."""
        with self._lock, self._session() as session:
            try:
                return bytes(self._kek(session).decrypt(
                    wrapped[_NONCE:], mechanism=Mechanism.AES_GCM,
                    mechanism_param=GCMParams(wrapped[:_NONCE], aad)))
            except PKCS11Error as exc:
                raise KeyringError(f"a data key does not unwrap in the HSM: "
                                   f"{type(exc).__name__}") from None

    def create_kek(self) -> str:
        """Generate the KEK in the token; refuse when one with the label exists."""
        label = self._settings.key_label
        with self._lock, self._session(rw=True) as session:
            try:
                self._kek(session)
            except KeyringError:
                pass
            else:
                raise KeyringError(f"a KEK labelled {label!r} exists; it is never replaced")
            try:
                session.generate_key(KeyType.AES, 256, label=label, store=True, template={
                    Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False,
                    Attribute.ENCRYPT: True, Attribute.DECRYPT: True,
                    Attribute.WRAP: False, Attribute.UNWRAP: False,
                    Attribute.SIGN: False, Attribute.VERIFY: False,
                })
            except PKCS11Error as exc:
                raise KeyringError(f"KEK generation failed: {type(exc).__name__}") from None
        return f"KEK {label!r} generated inside PKCS#11 token {self._settings.token_label!r}"
