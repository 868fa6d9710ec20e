"""Data keys for the cipher, read from the keyring file and unwrapped by the KMS.

Running processes (``run``, ``debug-api``) see rotations, disables, destroys and
forgotten subjects without a restart: the file is looked at again at most every
``scrub.encryption.reload_interval_s`` and re-read when its size, time or inode
changed. A destroyed key is dropped from memory on that reload. When the file turns
unreadable or invalid, every key is dropped (fail closed): the scrubber masks instead
of encrypting and the debug API reveals nothing until the file is fixed.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from processor.errors import ConfigError, KeyringError
from processor.keys.keyring import KeyringFile, b64decode, dek_aad, load_keyring
from processor.keys.kms import Kms, open_kms
from processor.settings import EncryptionSettings

__all__ = ["KeyringKeys", "open_data_keys"]

log = logging.getLogger(__name__)


class KeyringKeys:
    """A :class:`processor.masking.encryption.DataKeys` over the keyring file."""

    def __init__(self, path: Path, kms: Kms, reload_interval_s: float = 2.0) -> None:
        self.path = path
        self._kms = kms
        self._interval = reload_interval_s
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._checked = 0.0
        self._ring = KeyringFile(kms="pkcs11" if kms.name == "pkcs11" else "local")
        self._deks: dict[str, bytes] = {}
        self._unwrapped: dict[tuple[str, str], bytes] = {}  # (kid, wrapped) -> DEK
        self._load()  # KeyringError at start-up: refuse to start

    def _file_stamp(self) -> tuple[int, int, int]:
        st = os.stat(self.path)
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def _load(self) -> None:
        stamp = self._file_stamp() if self.path.exists() else None
        ring = load_keyring(self.path)
        unwrapped: dict[tuple[str, str], bytes] = {}
        for entry in ring.keys:
            if entry.state == "destroyed" or entry.wrapped is None:
                continue
            key = (entry.kid, entry.wrapped)
            dek = self._unwrapped.get(key)
            unwrapped[key] = dek if dek is not None else self._kms.unwrap(
                b64decode(entry.wrapped), dek_aad(entry.kid))
        self._ring, self._stamp, self._unwrapped = ring, stamp, unwrapped
        self._deks = {kid: dek for (kid, _w), dek in unwrapped.items()}

    def refresh(self, force: bool = False) -> None:
        """Re-read the file when it changed (at most every reload interval)."""
        now = time.monotonic()
        with self._lock:
            if not force and now - self._checked < self._interval:
                return
            self._checked = now
            try:
                if not force and self._file_stamp() == self._stamp:
                    return
                self._load()
                log.info("keyring reloaded: %d usable key(s)", len(self._deks))
            except (OSError, KeyringError, ConfigError) as exc:
                self._deks, self._unwrapped, self._stamp = {}, {}, None
                log.error("keyring unusable, every key dropped until it is fixed: %s",
                          type(exc).__name__ if isinstance(exc, OSError) else exc)

    @property
    def ring(self) -> KeyringFile:
        """The keyring as last read."""
        self.refresh()
        return self._ring

    def active_kid(self) -> str | None:
        """The active kid, when its key is usable."""
        self.refresh()
        active = self._ring.active()
        return active.kid if active is not None and active.kid in self._deks else None

    def dek(self, kid: str) -> bytes | None:
        """The DEK of an active or decrypt-only kid."""
        self.refresh()
        return self._deks.get(kid)

    def forgotten(self) -> frozenset[bytes]:
        """SHA-256 digests of the subjects on the tombstone list."""
        self.refresh()
        return self._ring.forgotten()


def open_data_keys(settings: EncryptionSettings) -> KeyringKeys:
    """The keyring of the settings; ConfigError when none is configured."""
    if settings.keyring_file is None:
        raise ConfigError("the encrypt operator needs scrub.encryption.keyring_file")
    return KeyringKeys(settings.keyring_file, open_kms(settings), settings.reload_interval_s)
