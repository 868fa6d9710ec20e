"""The NER layer of a batch: one batched pass over every string still in play.

It runs after the cheap layers, under the batch deadline. Most records hold no
name-shaped run at all, and one search rules them out before any per-string work
(:func:`processor.detectors.ner.may_hold_name`). A record whose strings NER could not
finish before the deadline is masked whole (``ner_budget``); when NER fails, every
record of the batch that it had to read is (``detector_error``). No I/O.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from processor.collect import Job, Segment
from processor.detectors import _clock
from processor.detectors.ner import NerDetector, may_hold_name
from processor.errors import where

__all__ = ["ner_layer"]

log = logging.getLogger(__name__)


def ner_layer(
    ner: NerDetector, jobs: Sequence[Job], budget_s: float, operator: tuple[str, int],
) -> tuple[int, int]:
    """Add NER's findings to the strings of ``jobs``, with the masking ``operator``
    (name, keep_last) decided for NER's entity.

    Returns (records looked at, records whose text NER had to read).
    """
    segs: list[tuple[Job, Segment]] = []
    checked = 0
    for job in jobs:
        if job.fallback is not None:
            continue
        texts = [s for s in job.segments if s.scan and not s.is_number]
        if texts and may_hold_name([s.text for s in texts]):
            segs += [(job, s) for s in texts]
        checked += 1
    reached = len({id(j) for j, _s in segs})
    if not segs:
        return checked, reached
    deadline = _clock.now() + budget_s
    try:
        found = ner.find_many(
            [s.text for _j, s in segs],
            [[(f.start, f.end) for f in s.findings] for _j, s in segs],
            deadline,
        )
    except Exception as exc:  # fail closed: records that needed NER are masked whole
        log.error("NER failed (%s); the batch's records are masked whole", where(exc))
        for job, _s in segs:
            job.fallback = "detector_error"
        return checked, reached
    name, keep_last = operator
    for (job, seg), extra in zip(segs, found, strict=True):
        if extra is None:
            job.fallback = "ner_budget"
            continue
        seg.findings += [replace(f, operator=name, keep_last=keep_last) for f in extra]
    return checked, reached
