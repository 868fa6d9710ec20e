"""The compile cache: a start-up loads the Hyperscan database, and a bad file is ignored."""

from __future__ import annotations

import os
from pathlib import Path

import hyperscan
import pytest

from processor.detectors import compile_cache
from processor.detectors.prefilter import Prefilter
from processor.pipeline import Scrubber
from processor.rules.loader import load_rules
from processor.settings import ScrubSettings, load_settings

RULES_DIR = Path(__file__).resolve().parents[3] / "rules"
LINE = b'{"msg": "login by anna@example.com with AKIAIOSFODNN7EXAMPLE from 10.1.2.3"}'


def _outputs(cache: Path | None) -> list[bytes]:
    settings = ScrubSettings(ner_enabled=False, compile_cache_dir=cache)
    return [r.output for r in Scrubber(load_rules(RULES_DIR), settings).scrub_many([LINE])]


def _no_compile(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("compiled although the cache holds the database")
    monkeypatch.setattr(hyperscan, "Database", refuse)


def test_second_start_loads_and_scrubs_the_same(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _outputs(None)
    assert b"anna@example.com" not in expected[0]
    assert _outputs(tmp_path) == expected
    files = list(tmp_path.glob("*.hsdb"))
    assert len(files) == 2
    assert all(f.stat().st_mode & 0o077 == 0 for f in files)
    _no_compile(monkeypatch)
    assert _outputs(tmp_path) == expected


@pytest.mark.parametrize("spoil", ["truncate", "flip", "group_writable"])
def test_a_bad_cache_file_is_ignored(tmp_path: Path, spoil: str) -> None:
    expected = _outputs(None)
    _outputs(tmp_path)
    for f in tmp_path.glob("*.hsdb"):
        data = f.read_bytes()
        if spoil == "truncate":
            f.write_bytes(data[: len(data) // 2])
        elif spoil == "flip":
            f.write_bytes(data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:])
        else:
            os.chmod(f, 0o664)
    calls: list[int] = []
    real = compile_cache._load

    def spy(path: Path, mode: int) -> object:
        db = real(path, mode)
        calls.append(db is None)
        return db

    compile_cache._load = spy  # type: ignore[assignment]
    try:
        assert _outputs(tmp_path) == expected
    finally:
        compile_cache._load = real  # type: ignore[assignment]
    assert calls and all(calls)  # every cached file was refused, then compiled


def test_an_unwritable_cache_dir_still_scrubs(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    assert _outputs(blocked / "cache") == _outputs(None)


def test_prefilter_hits_are_the_same_from_the_cache(tmp_path: Path) -> None:
    settings = ScrubSettings(ner_enabled=False)
    compiled = Scrubber(load_rules(RULES_DIR), settings).patterns.rules
    fresh = Prefilter(compiled, ["password"], tmp_path)
    loaded = Prefilter(compiled, ["password"], tmp_path)
    text = LINE.decode() + " password=hunter2"
    a, b = fresh.scan(text), loaded.scan(text)
    assert a is not None and b is not None
    assert (a.patterns, a.words, a.field_name) == (b.patterns, b.words, b.field_name)
    assert a.patterns and a.field_name


def test_settings_place_the_cache_and_can_turn_it_off(tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    assert load_settings(environ=env).scrub.cache_dir() == tmp_path / "logscrub"
    assert load_settings(environ={"HOME": str(tmp_path)}).scrub.cache_dir() == (
        tmp_path / ".cache" / "logscrub")
    off = load_settings(environ={**env, "LOGSCRUB_SCRUB__COMPILE_CACHE": "false"})
    assert off.scrub.cache_dir() is None
    moved = load_settings(environ={**env, "LOGSCRUB_SCRUB__COMPILE_CACHE_DIR": "/srv/c"})
    assert moved.scrub.cache_dir() == Path("/srv/c")


def test_an_untrusted_cache_dir_is_neither_read_nor_written(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o770)  # noqa: S103 - a group-writable directory is the case tested
    assert _outputs(shared) == _outputs(None)
    assert list(shared.iterdir()) == []
