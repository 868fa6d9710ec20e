"""``logscrub scrub``: one record per line in, one scrubbed record per line out.

Same count, same order, bounded memory: lines are read in chunks and at most
``2 * workers`` chunks are in flight. Worker processes are forked after the rules
and the NER model are loaded, so they share them instead of loading them again.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import BinaryIO

from processor.pipeline import Scrubber
from processor.settings import Settings

__all__ = ["scrub_stream"]

_CHUNK = 256
_scrubber: Scrubber | None = None  # the forked workers' copy


def _lines(src: BinaryIO) -> Iterator[bytes]:
    for line in src:
        if line.endswith(b"\n"):
            line = line[:-1]
            if line.endswith(b"\r"):
                line = line[:-1]
        yield line


_Done = tuple[list[bytes], Counter[str], Counter[str]]


def _work(chunk: list[bytes]) -> _Done:
    """Scrub one chunk; counts come back per chunk, which keeps pickling cheap."""
    assert _scrubber is not None
    outputs: list[bytes] = []
    found: Counter[str] = Counter()
    fallbacks: Counter[str] = Counter()
    for result in _scrubber.scrub_many(chunk):
        outputs.append(result.output)
        found.update(result.entity_counts())
        if result.fallback:
            fallbacks[result.fallback] += 1
    return outputs, found, fallbacks


def scrub_stream(
    src: BinaryIO,
    dst: BinaryIO,
    settings: Settings,
    counts: Counter[str],
    fallbacks: Counter[str],
) -> int:
    """Scrub every line of ``src`` into ``dst``; returns the number of records."""
    global _scrubber
    _scrubber = Scrubber.from_settings(settings.scrub)
    lines = _lines(src)
    chunks = iter(lambda: list(islice(lines, _CHUNK)), [])
    total = 0

    def emit(done: _Done) -> None:
        nonlocal total
        outputs, found, failed = done
        dst.write(b"".join(o + b"\n" for o in outputs))
        counts.update(found)
        fallbacks.update(failed)
        total += len(outputs)

    if settings.workers <= 1:
        for chunk in chunks:
            emit(_work(chunk))
        return total
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(settings.workers, mp_context=context) as pool:
        pending: deque[Future[_Done]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_work, chunk))
            if len(pending) >= 2 * settings.workers:
                emit(pending.popleft().result())
        while pending:
            emit(pending.popleft().result())
    return total
