"""``logscrub scrub``'s reader: blocks and byte ranges cut at newlines, output in order."""

from __future__ import annotations

import io
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

from processor import scrub_file
from processor.pipeline import Scrubber
from processor.settings import BUNDLED_RULES, Settings, load_settings

# a line far longer than the (shrunk) block, CRLF and LF ends, empty lines, no final newline
_LINES = [
    b'{"user": "ana", "email": "ana.lima@example.org", "n": 1}',
    b"",
    b"login bob@example.com from 10.1.2.3 ok\r",
    b"x" * 300 + b" card 4111 1111 1111 1111 " + b"y" * 300,
    b"",
    b"plain line with nothing to mask",
    b"password=hunter2 last line without newline",
]
_INPUT = b"\n".join(_LINES)


def _settings(workers: int) -> Settings:
    return load_settings(overrides={"workers": workers, "scrub": {
        "rules_dir": str(BUNDLED_RULES), "ner_enabled": False}}, environ={})


def _expected(scrubber: Scrubber) -> bytes:
    """Each line scrubbed on its own, CR of a CRLF end dropped, one LF after each."""
    lines = [line.removesuffix(b"\r") for line in _LINES]
    return b"".join(scrubber.scrub(line).output + b"\n" for line in lines)


@pytest.fixture(autouse=True)
def _small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 64 bytes, so that every line sits across or at a block boundary."""
    monkeypatch.setattr(scrub_file, "_BLOCK", 64)
    monkeypatch.setattr(scrub_file, "_BATCH", 2)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_file_read_in_byte_ranges_gives_every_line_in_order(
    tmp_path: Path, scrubber: Scrubber, workers: int
) -> None:
    """A regular file is cut into newline-aligned ranges that the workers read."""
    path = tmp_path / "in.log"
    path.write_bytes(_INPUT)
    out = io.BytesIO()
    counts: Counter[str] = Counter()
    cpu: dict[str, float] = {}
    with path.open("rb") as src:
        total = scrub_file.scrub_stream(src, out, _settings(workers), counts, Counter(), cpu)
    assert total == len(_LINES)
    assert out.getvalue() == _expected(scrubber)
    assert counts["EMAIL"] == 2 and counts["CREDIT_CARD"] == 1
    assert set(cpu) == {"parent_startup_s", "parent_s", "workers_s"}


@pytest.mark.parametrize("workers", [1, 2])
def test_a_stream_read_in_blocks_gives_every_line_in_order(
    scrubber: Scrubber, workers: int
) -> None:
    """A stream with no file behind it (a pipe) is handed over in blocks."""
    out = io.BytesIO()
    total = scrub_file.scrub_stream(io.BytesIO(_INPUT + b"\n"), out, _settings(workers),
                                    Counter(), Counter())
    assert total == len(_LINES)
    assert out.getvalue() == _expected(scrubber)


def test_ranges_cover_the_file_once_and_end_at_newlines(tmp_path: Path) -> None:
    """Ranges meet end to end, each ends after a newline (the last at the end of file)."""
    path = tmp_path / "in.log"
    path.write_bytes(_INPUT)
    with path.open("rb") as src:
        ranges = list(scrub_file._ranges(src.fileno()))
    assert ranges[0][0] == 0 and ranges[-1][1] == len(_INPUT)
    assert all(a[1] == b[0] for a, b in pairwise(ranges))
    assert all(_INPUT[end - 1 : end] == b"\n" for _start, end in ranges[:-1])


def test_empty_input_gives_no_records(tmp_path: Path) -> None:
    """An empty file or stream writes nothing and counts no record."""
    path = tmp_path / "empty.log"
    path.write_bytes(b"")
    out = io.BytesIO()
    with path.open("rb") as src:
        assert scrub_file.scrub_stream(src, out, _settings(1), Counter(), Counter()) == 0
    assert scrub_file.scrub_stream(io.BytesIO(b""), out, _settings(1), Counter(),
                                   Counter()) == 0
    assert out.getvalue() == b""
