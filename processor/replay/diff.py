"""``--diff-against DIR``: what a rule change does to real records, without raw text.

Each record is scrubbed with both rule sets. The report counts, per rule and entity, the
masks the new rules add and remove, lists the records whose output differs (by source
coordinates), and shows a few example lines. An example line is the output of the side
that masks, scrubbed once more with the other side's rules, so that nothing either rule
set would mask appears in the report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from processor.records import FALLBACK_TOKEN, ScrubResult
from processor.stream.batch import ScrubberLike

__all__ = ["DiffReport", "RuleDelta"]

_EXAMPLE_CHARS = 2000


@dataclass(slots=True)
class RuleDelta:
    """Finding counts of one ``(rule, entity)`` on both sides."""

    rule: str
    entity: str
    new: int = 0
    old: int = 0
    added: int = 0
    removed: int = 0
    examples: list[dict[str, str]] = field(default_factory=list)


class DiffReport:
    """Accumulates the comparison of the new rule set (``new``) with ``old``."""

    def __init__(self, new: ScrubberLike, old: ScrubberLike, *, max_records: int,
                 max_examples: int) -> None:
        self._new, self._old = new, old
        self._max_records, self._max_examples = max_records, max_examples
        self.records = 0
        self.differing = 0
        self.differing_sources: list[str] = []
        self.deltas: dict[tuple[str, str], RuleDelta] = {}

    def add(self, sources: Sequence[str], values: Sequence[bytes]) -> None:
        """Compare one batch of raw values (``sources`` names their coordinates)."""
        if not values:
            return
        new_results = self._new.scrub_many(values)
        old_results = self._old.scrub_many(values)
        for source, new, old in zip(sources, new_results, old_results, strict=True):
            self._add_one(source, new, old)

    def _add_one(self, source: str, new: ScrubResult, old: ScrubResult) -> None:
        self.records += 1
        if new.output != old.output:
            self.differing += 1
            if len(self.differing_sources) < self._max_records:
                self.differing_sources.append(source)
        added, removed = new.counts - old.counts, old.counts - new.counts
        for key in new.counts.keys() | old.counts.keys():
            delta = self.deltas.setdefault(key, RuleDelta(*key))
            delta.new += new.counts[key]
            delta.old += old.counts[key]
            delta.added += added[key]
            delta.removed += removed[key]
            if added[key] and len(delta.examples) < self._max_examples:
                delta.examples.append(self._example("added", source, new, self._old))
            if removed[key] and len(delta.examples) < self._max_examples:
                delta.examples.append(self._example("removed", source, old, self._new))

    @staticmethod
    def _example(change: Literal["added", "removed"], source: str, masked: ScrubResult,
                 other: ScrubberLike) -> dict[str, str]:
        """The masking side's line, scrubbed again with the other side's rules."""
        if masked.fallback is not None:
            line = FALLBACK_TOKEN
        else:
            again = other.scrub_many([masked.output])[0]
            line = FALLBACK_TOKEN if again.fallback else again.output.decode("utf-8", "replace")
        side = "new" if change == "added" else "old"
        return {"change": change, "side": side, "source": source,
                "line": line[:_EXAMPLE_CHARS]}

    def rows(self) -> list[RuleDelta]:
        """Every changed ``(rule, entity)`` first (most added or removed), then the rest."""
        return sorted(self.deltas.values(),
                      key=lambda d: (-(d.added + d.removed), d.rule, d.entity))

    def to_json(self, new_version: str, old_version: str) -> dict[str, Any]:
        """The report as plain data (counts, coordinates, masked example lines)."""
        totals: Counter[str] = Counter()
        for d in self.deltas.values():
            totals["added"] += d.added
            totals["removed"] += d.removed
        return {
            "rules": {"new": new_version, "old": old_version},
            "records": self.records,
            "records_differing": self.differing,
            "differing_sources": self.differing_sources,
            "masks_added": totals["added"],
            "masks_removed": totals["removed"],
            "by_rule": [
                {"rule": d.rule, "entity": d.entity, "new": d.new, "old": d.old,
                 "added": d.added, "removed": d.removed, "examples": d.examples}
                for d in self.rows()
            ],
        }
