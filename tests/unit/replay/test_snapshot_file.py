"""Snapshot files: the checksum is checked, and the timing keeps the original spacing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from processor.errors import ConfigError
from processor.replay.snapshot import FORMAT, read_snapshot, schedule


def _write(path: Path, records: list[dict[str, object]]) -> None:
    body = "".join(json.dumps(x) + "\n" for x in [{"format": FORMAT, "records": len(records)},
                                                  *records])
    digest = hashlib.sha256(body.encode()).hexdigest()
    path.write_text(body + json.dumps({"sha256": digest}) + "\n")


def test_read_snapshot_accepts_an_intact_file(tmp_path: Path) -> None:
    """An unchanged file reads back with its records in order."""
    path = tmp_path / "s"
    _write(path, [{"ts": 1}, {"ts": 2}])
    header, records, _sum = read_snapshot(path)
    assert header["records"] == 2 and [r["ts"] for r in records] == [1, 2]


@pytest.mark.parametrize("change", ["edit", "truncate"])
def test_read_snapshot_refuses_a_changed_file(tmp_path: Path, change: str) -> None:
    """An edited or truncated file fails the checksum and is refused."""
    path = tmp_path / "s"
    _write(path, [{"ts": 1}, {"ts": 2}])
    text = path.read_text()
    if change == "edit":
        path.write_text(text.replace('"ts": 2', '"ts": 3'))
    else:
        lines = text.splitlines(keepends=True)
        path.write_text("".join(lines[:2] + lines[3:]))
    with pytest.raises(ConfigError):
        read_snapshot(path)


def test_schedule_keeps_spacing_divided_by_speed() -> None:
    """Records are due at their original offsets divided by speed, never going backwards."""
    assert schedule([1000, 1500, 3000], 1) == [0.0, 0.5, 2.0]
    assert schedule([1000, 1500, 3000], 10) == [0.0, 0.05, 0.2]
    assert schedule([1000, 900, 2000], 1) == [0.0, 0.0, 1.0]
    assert schedule([1000, 5000], 0) == [0.0, 0.0]
