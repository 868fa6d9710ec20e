"""Progress on a terminal (records done of total, rate, ETA) and the closing summary table.

Progress is drawn on stderr with ``rich`` only when stderr is a terminal; piped or in a
Job, nothing is drawn. The summary table goes to stdout in every case.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

__all__ = ["Tracker", "print_table", "tracker"]


class _RateColumn(ProgressColumn):
    """Records per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} rec/s" if speed else "- rec/s")


class Tracker:
    """Updates a rich progress bar, or nothing when not on a terminal."""

    def __init__(self, progress: Progress | None, label: str) -> None:
        self._progress = progress
        self._task = progress.add_task(label, total=None) if progress is not None else None

    def update(self, done: int, total: int | None) -> None:
        """Records done so far, of ``total`` (None while unknown)."""
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=done, total=total or None)


@contextmanager
def tracker(label: str, stream: TextIO | None = None) -> Iterator[Tracker]:
    """A Tracker drawing on ``stream`` (stderr) when it is a terminal."""
    out = stream or sys.stderr
    if not out.isatty():
        yield Tracker(None, label)
        return
    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), _RateColumn(),
        TimeRemainingColumn(), console=Console(file=out), transient=False,
    )  # fmt: skip
    with progress:
        yield Tracker(progress, label)


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]],
                stream: TextIO | None = None) -> None:
    """A plain summary table on stdout."""
    table = Table(title=title)
    for name in columns:
        table.add_column(name)
    for row in rows:
        table.add_row(*(str(cell) for cell in row))
    Console(file=stream or sys.stdout, width=120).print(table)
