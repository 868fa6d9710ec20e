"""A throwaway PostgreSQL server from Debian's ``postgresql`` package (a helper module).

``initdb`` in a temporary directory, ``pg_ctl start`` on a free port on 127.0.0.1 with
trust auth for the local test user; as root, both run as the ``postgres`` system user
(initdb refuses to run as root). Stopped and removed at the end of the session.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

USER = "logscrub"


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _run(argv: list[str], owner: str | None) -> None:
    if owner is not None:
        argv = ["runuser", "-u", owner, "--", *argv]
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=120, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[0:4]} failed ({proc.returncode}):\n{proc.stdout}")


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """The DSN of a fresh PostgreSQL server, started for this test session."""
    bindir = _bin_dir()
    if bindir is None:
        pytest.fail("PostgreSQL is not installed: run `make postgres`")
    owner = "postgres" if os.geteuid() == 0 else None
    tmp = Path(tempfile.mkdtemp(prefix="logscrub-pg-"))
    if owner is not None:
        pw = pwd.getpwnam(owner)
        os.chown(tmp, pw.pw_uid, pw.pw_gid)
    data = tmp / "data"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _run([str(bindir / "initdb"), "-D", str(data), "-U", USER, "--auth=trust",
          "--no-sync", "-E", "UTF8"], owner)
    options = f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=on"
    _run([str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(tmp / "log"),
          "-w", "-t", "60", "start"], owner)
    try:
        yield f"host=127.0.0.1 port={port} user={USER} dbname=postgres"
    finally:
        try:
            _run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], owner)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
