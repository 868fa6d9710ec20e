"""Replace a file atomically: readers see the old bytes or the new ones, never a mix.

The bytes go to a temporary file in the same directory, which is then renamed over the
target. A failure at any point removes the temporary file and leaves the target as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["replace_file"]


def replace_file(path: Path, data: bytes, *, mode: int, fsync: bool = False) -> None:
    """Write ``data`` to ``path`` with permission bits ``mode``; raises OSError.

    ``fsync`` flushes the bytes to the disk before the rename, for files whose loss after
    a crash would cost more than a recomputation (a keyring, a rule file).
    """
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            if fsync:
                out.flush()
                os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
