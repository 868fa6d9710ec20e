"""The keyring file: data keys (wrapped by the KEK), their states, forgotten subjects.

One JSON document, written atomically (temporary file, fsync, rename) with mode 0600::

    {"format": 1, "kms": "local",
     "keys": [{"kid": "k2-9f3a1c", "state": "active", "created_at": "...",
               "wrapped": "<base64url>"}, ...],
     "forgotten_subjects": [{"digest": "<sha256 hex>", "at": "..."}]}

States: ``active`` (new tokens are written under it; at most one), ``decrypt-only``
(after a rotation or ``disable``) and ``destroyed`` (the wrapped DEK is erased from the
file: every token under that kid is unrecoverable for good). The file holds no
plaintext key: without the KEK it is useless. It names no subject either: a forgotten
subject is kept as the SHA-256 of its id.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from processor.atomic_file import replace_file
from processor.errors import KeyringError
from processor.keys.kms import Kms
from processor.masking.encryption import DEK_BYTES, subject_digest

__all__ = [
    "KeyEntry",
    "KeyState",
    "KeyringFile",
    "dek_aad",
    "destroy",
    "disable",
    "forget_subject",
    "load_keyring",
    "rotate",
    "save_keyring",
]

KeyState = Literal["active", "decrypt-only", "destroyed"]
_KID = r"^[a-z0-9][a-z0-9-]{0,31}$"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class KeyEntry(BaseModel):
    """One data key."""

    model_config = ConfigDict(extra="forbid")
    kid: str = Field(pattern=_KID)
    state: KeyState
    created_at: str
    wrapped: str | None = None
    disabled_at: str | None = None
    destroyed_at: str | None = None


class ForgottenSubject(BaseModel):
    """A subject whose values may no longer be revealed (SHA-256 of its id)."""

    model_config = ConfigDict(extra="forbid")
    digest: str = Field(pattern=r"^[0-9a-f]{64}$")
    at: str


class KeyringFile(BaseModel):
    """The whole keyring document."""

    model_config = ConfigDict(extra="forbid")
    format: Literal[1] = 1
    kms: Literal["local", "pkcs11"]
    keys: list[KeyEntry] = Field(default_factory=list)
    forgotten_subjects: list[ForgottenSubject] = Field(default_factory=list)

    def get(self, kid: str) -> KeyEntry:
        """The entry of ``kid``; KeyringError when there is none."""
        for entry in self.keys:
            if entry.kid == kid:
                return entry
        raise KeyringError(f"no key {kid!r} in the keyring")

    def active(self) -> KeyEntry | None:
        """The active key, if any."""
        return next((k for k in self.keys if k.state == "active"), None)

    def forgotten(self) -> frozenset[bytes]:
        """The SHA-256 digests of forgotten subjects."""
        return frozenset(bytes.fromhex(s.digest) for s in self.forgotten_subjects)


def dek_aad(kid: str) -> bytes:
    """What a wrapped DEK is bound to: it unwraps only as this kid's key."""
    return b"logscrub/v1/dek\x00" + kid.encode()


def b64decode(text: str) -> bytes:
    """base64url without padding."""
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise KeyringError("a wrapped key in the keyring is not base64url") from None


def load_keyring(path: Path) -> KeyringFile:
    """The keyring in ``path``; KeyringError naming the file when unreadable or invalid."""
    try:
        data = json.loads(path.read_text("utf-8"))
        ring = KeyringFile.model_validate(data)
    except FileNotFoundError:
        raise KeyringError(f"no keyring at {path} (create one with `logscrub keys rotate`)"
                           ) from None
    except (OSError, ValueError) as exc:
        if isinstance(exc, ValidationError):
            where = "; ".join(".".join(str(p) for p in e["loc"]) + f": {e['msg']}"
                              for e in exc.errors())
            raise KeyringError(f"invalid keyring {path}: {where}") from None
        raise KeyringError(f"cannot read keyring {path}: {type(exc).__name__}") from None
    if sum(k.state == "active" for k in ring.keys) > 1:
        raise KeyringError(f"invalid keyring {path}: more than one active key")
    return ring


def save_keyring(path: Path, ring: KeyringFile) -> None:
    """Write atomically, readable by the owner only."""
    text = json.dumps(ring.model_dump(mode="json", exclude_none=True), indent=2) + "\n"
    try:
        replace_file(path, text.encode("utf-8"), mode=0o600, fsync=True)
    except OSError as exc:
        raise KeyringError(f"cannot write keyring {path}: {type(exc).__name__}") from None


def _new_kid(ring: KeyringFile) -> str:
    return f"k{len(ring.keys) + 1}-{secrets.token_hex(3)}"


def rotate(ring: KeyringFile, kms: Kms) -> str:
    """Add a new active key; the old active one becomes decrypt-only. Returns the kid."""
    kid = _new_kid(ring)
    wrapped = kms.wrap(secrets.token_bytes(DEK_BYTES), dek_aad(kid))
    for entry in ring.keys:
        if entry.state == "active":
            entry.state, entry.disabled_at = "decrypt-only", _now()
    ring.keys.append(KeyEntry(kid=kid, state="active", created_at=_now(),
                              wrapped=base64.urlsafe_b64encode(wrapped).rstrip(b"=").decode()))
    return kid


def disable(ring: KeyringFile, kid: str) -> None:
    """Stop writing under ``kid``; its tokens still decrypt."""
    entry = ring.get(kid)
    if entry.state == "destroyed":
        raise KeyringError(f"key {kid!r} is destroyed")
    if entry.state == "active":
        entry.state, entry.disabled_at = "decrypt-only", _now()


def destroy(ring: KeyringFile, kid: str) -> None:
    """Erase ``kid``'s wrapped DEK: every token under it becomes unrecoverable."""
    entry = ring.get(kid)
    entry.state, entry.wrapped, entry.destroyed_at = "destroyed", None, _now()


def forget_subject(ring: KeyringFile, subject: str) -> bool:
    """Put a subject on the tombstone list; False when it was there already."""
    digest = subject_digest(subject).hex()
    if any(s.digest == digest for s in ring.forgotten_subjects):
        return False
    ring.forgotten_subjects.append(ForgottenSubject(digest=digest, at=_now()))
    return True
