"""``logscrub rules test``: run every rule's own examples.

A ``must_mask`` example must give at least one finding from its rule alone, and the
whole engine must change it. A ``must_not_mask`` example must give no finding from
its rule.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

from processor.pipeline import Scrubber

__all__ = ["ExampleFailure", "run_examples"]

_NO_DEADLINE = 3600.0


@dataclass(frozen=True, slots=True)
class ExampleFailure:
    """One example that did not behave as its rule says."""

    file: str
    rule_id: str
    kind: Literal["must_mask", "must_not_mask"]
    index: int
    example: str
    problem: str

    def __str__(self) -> str:
        return (
            f"{self.file}: rule {self.rule_id!r}: examples.{self.kind}[{self.index}]: "
            f"{self.problem}: {self.example!r}"
        )


def run_examples(scrubber: Scrubber) -> tuple[int, list[ExampleFailure]]:
    """(examples run, failures) over every enabled rule of the scrubber's rule set."""
    failures: list[ExampleFailure] = []
    count = 0
    detector = scrubber.patterns
    for rule in scrubber.ruleset.rules:
        spec = rule.spec
        for kind, texts in (("must_mask", spec.examples.must_mask),
                            ("must_not_mask", spec.examples.must_not_mask)):
            for i, text in enumerate(texts):
                count += 1
                deadline = time.monotonic() + _NO_DEADLINE
                hits = detector.find(text, text.lower(), deadline, rules=[rule])
                if kind == "must_mask":
                    if not hits:
                        failures.append(ExampleFailure(rule.file, spec.id, "must_mask", i, text,
                                                       "the rule finds nothing"))
                    elif scrubber.scrub(text.encode()).output == text.encode():
                        failures.append(ExampleFailure(rule.file, spec.id, "must_mask", i, text,
                                                       "the engine leaves it unchanged"))
                elif hits:
                    failures.append(ExampleFailure(rule.file, spec.id, "must_not_mask", i, text,
                                                   f"the rule finds {len(hits)} span(s)"))
    return count, failures
