"""Shadow rules: evaluated on live traffic, never masking; counted as what they would add.

A rule with ``mode: shadow`` runs over the same strings as the live rules, after every
live layer (field names, pattern rules, NER). Its findings are resolved against the live
findings: a shadow finding that overlaps a live one would change nothing and is not
counted. The rest are the masks the rule would add once promoted. A shadow rule that
fails or runs out of time is simply not counted: it can never change a record.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Sequence

from processor.collect import Counts, Job
from processor.detectors.patterns import PatternDetector
from processor.masking.splice import resolve
from processor.masking.tokens import TokenShapes
from processor.rules.loader import CompiledRule

__all__ = ["ShadowRules"]

log = logging.getLogger(__name__)


class ShadowRules:
    """Counts, per ``(rule_id, entity)``, the masks that shadow rules would add."""

    def __init__(self, rules: Sequence[CompiledRule], tokens: TokenShapes, budget_s: float) -> None:
        self._detector = PatternDetector(rules, tokens)
        self._budget = budget_s
        self.enabled = bool(rules)

    def count(self, job: Job) -> Counts:
        """The would-be additions of the shadow rules in one scrubbed record."""
        counts: Counts = Counter()
        if not self.enabled or job.fallback is not None:
            return counts
        deadline = time.monotonic() + self._budget
        try:
            for seg in job.segments:
                if not seg.scan or seg.is_number or not seg.text:
                    continue
                found = self._detector.find(seg.text, seg.text.lower(), deadline,
                                            field_names=seg.field_name.lower())
                if not found:
                    continue
                live = resolve(seg.text, seg.findings)
                for f in resolve(seg.text, found):
                    if not any(f.start < g.end and g.start < f.end for g in live):
                        counts[(f.rule_id, f.entity)] += 1
        except Exception as exc:  # shadow rules never affect a record; not counted
            log.debug("shadow rules skipped a record (%s)", type(exc).__name__)
            return Counter()
        return counts
