"""replace_file: the target holds the old bytes or the new ones, never a mix or a stray."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from processor.atomic_file import replace_file


def test_replaces_with_the_mode_given(tmp_path: Path) -> None:
    target = tmp_path / "ring.json"
    target.write_bytes(b"old")
    replace_file(target, b"new", mode=0o600, fsync=True)
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["ring.json"]


def test_a_failed_rename_keeps_the_old_file_and_leaves_no_temporary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "rules.yaml"
    target.write_bytes(b"old")

    def fail(_src: object, _dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        replace_file(target, b"new", mode=0o644)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["rules.yaml"]
