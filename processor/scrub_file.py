"""``logscrub scrub``: one record per line in, one scrubbed record per line out.

Same count, same order, bounded memory. The parent process never looks at a record:
it cuts the input into newline-aligned blocks of about ``_BLOCK`` bytes and writes
back what the workers return, in order, with at most ``2 * workers`` blocks in flight.
Reading a regular file, it only finds the block boundaries and each worker reads its
own byte range; from a pipe, it reads blocks and hands them over whole. The workers
split the lines, scrub them and join the output. They are forked after the rules and
the NER model are loaded, so they share them instead of loading them again.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import stat
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import BinaryIO

from processor.pipeline import Scrubber
from processor.settings import Settings

__all__ = ["scrub_stream"]

# bytes per block handed to a worker; a longer line makes a longer block
_BLOCK = 1 << 18
# records per scrub_many call (one NER batch)
_BATCH = 256
_scrubber: Scrubber | None = None  # the forked workers' copy

_Done = tuple[bytes, int, Counter[str], Counter[str]]
# a task: the block itself, or (descriptor, start, end): a byte range of the input file,
# whose descriptor the forked workers share
_Task = bytes | tuple[int, int, int]


def _split(block: bytes) -> list[bytes]:
    """The lines of a newline-aligned block, without their line ends (LF or CRLF)."""
    lines = block.split(b"\n")
    if lines[-1] == b"":
        lines.pop()  # the block ended with a newline: no record after it
    return [line[:-1] if line.endswith(b"\r") else line for line in lines]


def _work(task: _Task) -> _Done:
    """Scrub one block; its output comes back joined, its counts per block."""
    assert _scrubber is not None
    if isinstance(task, tuple):
        fd, start, end = task
        block = os.pread(fd, end - start, start)
    else:
        block = task
    lines = _split(block)
    outputs: list[bytes] = []
    found: Counter[str] = Counter()
    fallbacks: Counter[str] = Counter()
    for i in range(0, len(lines), _BATCH):
        for result in _scrubber.scrub_many(lines[i : i + _BATCH]):
            outputs.append(result.output)
            found.update(result.entity_counts())
            if result.fallback:
                fallbacks[result.fallback] += 1
    outputs.append(b"")
    return b"\n".join(outputs), len(lines), found, fallbacks


def _blocks(src: BinaryIO) -> Iterator[bytes]:
    """Newline-aligned blocks of a stream (the last one may lack its newline).

    ``read1`` returns what a pipe holds without waiting for a full block, so lines
    that trickle in are scrubbed as they come.
    """
    read: Callable[[int], bytes] = getattr(src, "read1", src.read)
    pending: list[bytes] = []
    while data := read(_BLOCK):
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            pending.append(data)  # inside a long line: keep reading
            continue
        pending.append(data[:cut])
        yield b"".join(pending)
        pending = [data[cut:]] if cut < len(data) else []
    if pending:
        yield b"".join(pending)


def _ranges(fd: int) -> Iterator[tuple[int, int]]:
    """Newline-aligned (start, end) byte ranges of a regular file, found by reading only
    around each boundary."""
    size = os.fstat(fd).st_size
    start = 0
    while start < size:
        end = min(start + _BLOCK, size)
        while end < size:
            tail = os.pread(fd, 4096, end - 1)
            cut = tail.find(b"\n")
            if cut >= 0:
                end += cut
                break
            end += len(tail)
        yield start, min(end, size)
        start = end


def _tasks(src: BinaryIO) -> Iterator[_Task]:
    """Byte ranges for a regular file (workers read them), blocks for anything else."""
    try:
        fd = src.fileno()
        regular = stat.S_ISREG(os.fstat(fd).st_mode) and src.tell() == 0
    except (OSError, ValueError):  # no descriptor (a test's BytesIO), or not seekable
        regular = False
    if regular:
        return ((fd, start, end) for start, end in _ranges(fd))
    return _blocks(src)


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def scrub_stream(
    src: BinaryIO,
    dst: BinaryIO,
    settings: Settings,
    counts: Counter[str],
    fallbacks: Counter[str],
    cpu: dict[str, float] | None = None,
) -> int:
    """Scrub every line of ``src`` into ``dst``; returns the number of records.

    ``cpu`` receives the CPU seconds of this process (``parent_s``; ``parent_startup_s``
    of them loading the rules and the model) and of its worker processes (``workers_s``).
    """
    global _scrubber
    _scrubber = Scrubber.from_settings(settings.scrub)
    if cpu is not None:
        cpu["parent_startup_s"] = _cpu(resource.RUSAGE_SELF)
    try:
        return _run(src, dst, settings, counts, fallbacks)
    finally:
        if cpu is not None:
            cpu["parent_s"] = _cpu(resource.RUSAGE_SELF)
            cpu["workers_s"] = _cpu(resource.RUSAGE_CHILDREN)


def _run(
    src: BinaryIO,
    dst: BinaryIO,
    settings: Settings,
    counts: Counter[str],
    fallbacks: Counter[str],
) -> int:
    tasks = _tasks(src)
    total = 0

    def emit(done: _Done) -> None:
        nonlocal total
        output, n, found, failed = done
        dst.write(output)
        counts.update(found)
        fallbacks.update(failed)
        total += n

    if settings.workers <= 1:
        for task in tasks:
            emit(_work(task))
        return total
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(settings.workers, mp_context=context) as pool:
        pending: deque[Future[_Done]] = deque()
        for task in tasks:
            pending.append(pool.submit(_work, task))
            if len(pending) >= 2 * settings.workers:
                emit(pending.popleft().result())
        while pending:
            emit(pending.popleft().result())
    return total
