"""Compiled Hyperscan databases kept on disk, so a start-up loads instead of compiling.

Compiling the bundled rules into one Hyperscan database costs about a second of CPU, the
largest share of a ``logscrub scrub`` start-up; loading the serialized database costs
under a millisecond. A database is stored under the SHA-256 of everything its bytes
depend on: the Hyperscan build, the machine type, the mode, every expression and every
flag. Any change to a rule therefore names another file, and a stale one is never read.

The cache only ever saves time. A file that is missing, unreadable, of another owner,
writable by group or others, truncated, corrupt, or refused by Hyperscan (another CPU
generation, another build) is ignored and the database is compiled; a cache directory
that cannot be written is skipped the same way. The file carries the SHA-256 of the
serialized database, checked before Hyperscan reads a byte of it.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import os
import platform
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import hyperscan

from processor.atomic_file import replace_file

__all__ = ["cached_database"]

_log = logging.getLogger(__name__)
_MAGIC = b"logscrub-hsdb-1\n"
_DIGEST = 32
# the package bundles the library, so its version names the serialization format too
_HS_VERSION = importlib.metadata.version("hyperscan").encode()


def _key(expressions: list[bytes], flags: list[int], mode: int) -> str:
    h = hashlib.sha256()
    for part in (_MAGIC, _HS_VERSION, platform.machine().encode(),
                 str(mode).encode()):
        h.update(len(part).to_bytes(8, "big") + part)
    for expression, flag in zip(expressions, flags, strict=True):
        h.update(len(expression).to_bytes(8, "big") + expression + flag.to_bytes(8, "big"))
    return h.hexdigest()


def _trusted(st: os.stat_result, kind: Callable[[int], bool]) -> bool:
    """Of this process's user, of the right kind, and writable by nobody else."""
    return (kind(st.st_mode) and st.st_uid == os.getuid()
            and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def _load(path: Path, mode: int) -> Any:
    try:
        if not _trusted(os.stat(path.parent), stat.S_ISDIR):
            return None
        with open(path, "rb") as fh:
            if not _trusted(os.fstat(fh.fileno()), stat.S_ISREG):
                return None
            data = fh.read()
    except OSError:
        return None
    head, digest, body = (data[:len(_MAGIC)], data[len(_MAGIC):len(_MAGIC) + _DIGEST],
                          data[len(_MAGIC) + _DIGEST:])
    if head != _MAGIC or hashlib.sha256(body).digest() != digest:
        return None
    try:
        db = hyperscan.loadb(body, mode)
        db.scratch = hyperscan.Scratch(db)  # a loaded database comes without one
    except hyperscan.error:
        return None
    return db


def _store(path: Path, db: Any) -> None:
    """Write the database, unless the directory is one its loads would refuse anyway."""
    body = hyperscan.dumpb(db)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted(os.stat(path.parent), stat.S_ISDIR):
            return
        replace_file(path, _MAGIC + hashlib.sha256(body).digest() + body, mode=0o600)
    except OSError as exc:
        _log.debug("compile cache not written: %s", type(exc).__name__)


def cached_database(expressions: list[bytes], flags: list[int], mode: int,
                    compile_db: Callable[[], Any], cache_dir: Path | None) -> Any:
    """The database of ``expressions``: loaded from ``cache_dir`` when a trusted copy is
    there, else built by ``compile_db`` (whose errors propagate) and stored for next time.
    """
    if cache_dir is None:
        return compile_db()
    path = cache_dir / f"{_key(expressions, flags, mode)}.hsdb"
    db = _load(path, mode)
    if db is not None:
        return db
    db = compile_db()
    _store(path, db)
    return db
