"""Bad input never crashes, never changes the record count and never comes back raw."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from processor.pipeline import Scrubber
from processor.records import FALLBACK_TOKEN
from tests.conftest import MIN_RULES

EMAIL_LINE = " ".join(f"u{i}@ex{i % 97}.com" for i in range(50_000)).encode()
BAD = {
    "invalid_utf8": b"user=bob password=\xc3\x28 \xff",
    "nul_bytes": b"mail a@b.io\x00\x00 then \x00",
    "ten_mb": b"a@b.io " * (10 * 1024 * 1024 // 7),
    "deep_json": b"[" * 100_000 + b"]" * 100_000,
    "deep_object": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "binary": bytes(random.Random(5).randrange(256) for _ in range(4096)).replace(b"\n", b""),
    "fifty_thousand_emails": EMAIL_LINE,
    "empty": b"",
    "lone_brace": b"{",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_scrubbed_or_masked_whole(min_scrubber: Scrubber, name: str) -> None:
    """Each bad record yields one result, with no email left in it."""
    (result,) = min_scrubber.scrub_many([BAD[name]])
    assert b"@ex" not in result.output and b"a@b.io" not in result.output
    if name == "invalid_utf8":
        assert result.output == FALLBACK_TOKEN.encode()
    if name == "nul_bytes":
        assert result.output == b"mail [MASKED-EMAIL]\x00\x00 then \x00"


def test_cli_keeps_line_count_on_bad_input(tmp_path: Path) -> None:
    """`logscrub scrub` writes one line per input line, and nothing raw to stderr."""
    src = tmp_path / "bad.log"
    src.write_bytes(b"\n".join(BAD[k] for k in sorted(BAD)) + b"\n")
    env = {**os.environ, "LOGSCRUB_SCRUB__NER_ENABLED": "false"}
    proc = subprocess.run(
        [sys.executable, "-m", "processor.cli", "scrub", str(src), "--rules", str(MIN_RULES),
         "--workers", "2", "--stats"],
        capture_output=True, env=env, timeout=300, check=False,
    )
    assert proc.returncode == 0
    assert proc.stdout.count(b"\n") == len(BAD)
    assert b"@ex" not in proc.stdout and b"a@b.io" not in proc.stdout
    assert b"@ex" not in proc.stderr and b"a@b.io" not in proc.stderr


def test_long_json_keys_are_masked_and_not_kept_in_the_key_cache(
    min_scrubber: Scrubber,
) -> None:
    """A producer choosing megabyte keys cannot grow the scrubber's key cache; the keys
    are still scanned on every record."""
    before = len(min_scrubber._key_cache)
    for i in range(3):
        key = f"contact {'x' * 300} alice{i}@example.com"
        out = min_scrubber.scrub(f'{{"{key}": 1}}'.encode()).output
        assert b"alice" not in out and b"example.com" not in out
    assert len(min_scrubber._key_cache) == before
