"""SoftHSM2 for the PKCS#11 tests (a helper module, not a conftest).

SoftHSM reads ``SOFTHSM2_CONF`` and its token directory once, when a process first
initialises the module, so one configuration (a token directory under a temporary
folder) serves the whole test session, and the tokens this process will use are
initialised up front with ``softhsm2-util``; each test takes one of its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

__all__ = ["LIBRARY_CANDIDATES", "SoftHsm"]

LIBRARY_CANDIDATES = (
    Path("/usr/lib/softhsm/libsofthsm2.so"),
    Path("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
    Path("/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so"),
)
PIN, SO_PIN = "4711-user", "4711-so-pin"


class SoftHsm:
    """A SoftHSM2 configuration in ``root``; ``new_token()`` initialises one more token."""

    def __init__(self, root: Path, pool: int = 8) -> None:
        util = shutil.which("softhsm2-util")
        library = next((p for p in LIBRARY_CANDIDATES if p.exists()), None)
        if util is None or library is None:
            pytest.fail("SoftHSM2 is missing: run `make softhsm` (Debian package softhsm2)")
        self.util, self.library = util, library
        tokens = root / "tokens"
        tokens.mkdir(parents=True)
        self.conf = root / "softhsm2.conf"
        self.conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n"
                             "log.level = ERROR\nslots.removable = false\n")
        os.environ["SOFTHSM2_CONF"] = str(self.conf)
        self._pool = [self._init_token() for _ in range(pool)]

    def new_token(self) -> str:
        """A fresh token nobody used yet (visible to this process and to new ones)."""
        if not self._pool:
            pytest.fail("SoftHSM token pool used up: raise the pool size")
        return self._pool.pop()

    def _init_token(self) -> str:
        label = f"t-{uuid.uuid4().hex[:12]}"
        subprocess.run([self.util, "--init-token", "--free", "--label", label,
                        "--pin", PIN, "--so-pin", SO_PIN],
                       check=True, capture_output=True, env={**os.environ,
                                                             "SOFTHSM2_CONF": str(self.conf)})
        return label
