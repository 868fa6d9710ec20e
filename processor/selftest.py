"""``logscrub rules test``: run every rule's own examples.

A ``must_mask`` example marks, with ``«…»``, the exact text that must disappear. The
rule alone must mask exactly the marked text: not less (a partial mask), not more and
not elsewhere (a shifted mask). The whole engine must then leave none of the marked
text in its output. A ``must_not_mask`` example must give no finding from its rule.

This module sits above the pipeline, so the rules package never imports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from processor.masking.splice import resolve
from processor.pipeline import Scrubber
from processor.rules.loader import CompiledRule
from processor.rules.schema import unmark

__all__ = ["ExampleFailure", "run_examples"]

_NO_DEADLINE = float("inf")


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


def _covered(spans: list[tuple[int, int]]) -> set[int]:
    return {i for start, end in spans for i in range(start, end)}


def _show(text: str, spans: list[tuple[int, int]]) -> str:
    return ", ".join(f"[{s}:{e}] {text[s:e]!r}" for s, e in spans) or "nothing"


def _mask_problem(scrubber: Scrubber, rule: CompiledRule, example: str) -> str | None:
    """Why a must_mask example fails, or None when it passes."""
    text, marked = unmark(example)
    hits = scrubber.patterns.find(text, text.lower(), _NO_DEADLINE, rules=[rule])
    if not hits:
        return "the rule finds nothing"
    masked = [(f.start, f.end) for f in resolve(text, hits)]
    if _covered(masked) != _covered(marked):
        return f"the rule masks {_show(text, masked)}, the example marks {_show(text, marked)}"
    if rule.spec.mode == "shadow":
        return None  # a shadow rule masks nothing by design; promote it to see the engine
    output = scrubber.scrub(text.encode()).output.decode("utf-8", "replace")
    # marked text may also occur unmarked (amqp://guest:«guest»@host): count, don't search
    rest = "\0".join(text[a:b] for a, b in zip([0, *(e for _s, e in marked)],
                                               [*(s for s, _e in marked), len(text)],
                                               strict=True))
    left = [text[s:e] for s, e in marked if output.count(text[s:e]) > rest.count(text[s:e])]
    if left:
        return f"the engine leaves marked text in its output: {left!r}"
    return None


def run_examples(scrubber: Scrubber) -> tuple[int, list[ExampleFailure]]:
    """(examples run, failures) over every enabled rule of the scrubber's rule set."""
    failures: list[ExampleFailure] = []
    count = 0
    for rule in scrubber.ruleset.rules:
        spec = rule.spec
        for i, example in enumerate(spec.examples.must_mask):
            count += 1
            problem = _mask_problem(scrubber, rule, example)
            if problem is not None:
                failures.append(ExampleFailure(rule.file, spec.id, "must_mask", i, example,
                                               problem))
        for i, text in enumerate(spec.examples.must_not_mask):
            count += 1
            hits = scrubber.patterns.find(text, text.lower(), _NO_DEADLINE, rules=[rule])
            if hits:
                failures.append(ExampleFailure(rule.file, spec.id, "must_not_mask", i, text,
                                               f"the rule finds {len(hits)} span(s)"))
    return count, failures
