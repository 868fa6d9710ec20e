"""Pattern rules: keyword prefilter, regex under a time limit, validator, context score."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from processor.detectors._clock import time_left
from processor.detectors.memo import short_key_cache
from processor.detectors.prefilter import Hits
from processor.detectors.validators import VALIDATORS
from processor.errors import BudgetExceeded
from processor.masking.tokens import TokenShapes
from processor.records import Finding
from processor.rules.loader import CompiledPattern, CompiledRule
from processor.rules.schema import normalise_key

__all__ = ["PatternDetector"]


class PatternDetector:
    """Runs the rules whose keywords occur in a text, in rule-file order."""

    def __init__(self, rules: Sequence[CompiledRule], tokens: TokenShapes) -> None:
        self._tokens = tokens
        self._rules = tuple(rules)
        self._always = tuple(i for i, r in enumerate(self._rules) if not r.spec.keywords)
        keyword_rules: dict[str, list[int]] = {}
        for i, rule in enumerate(self._rules):
            for word in rule.spec.keywords:
                keyword_rules.setdefault(word, []).append(i)
        self._keywords = tuple((w, tuple(ids)) for w, ids in keyword_rules.items())
        # per pattern, numbered as Prefilter numbers them (rule-file order): the pair, the
        # rule's and the pattern's keywords, and the context words when it needs context
        self._plans = tuple(
            (r, p, frozenset(r.spec.keywords), frozenset(p.keywords),
             r.spec.context if p.needs_context else None, frozenset(r.spec.context))
            for r in self._rules for p in r.patterns
        )
        # records of one shape share their field names: whether a pattern's context word
        # is among them is worked out once per (names, pattern), not once per record
        self._context_in_names: Callable[[str, int], bool] = short_key_cache(
            self._context_in_names_uncached, maxsize=8192)

    @property
    def rules(self) -> tuple[CompiledRule, ...]:
        """The rules, in rule-file order."""
        return self._rules

    def selected(self, lowered: str) -> list[CompiledRule]:
        """The rules whose prefilter passes for this (lower-cased) text."""
        picked = set(self._always)
        for word, ids in self._keywords:
            if word in lowered:
                picked.update(ids)
        return [self._rules[i] for i in sorted(picked)]

    def find(
        self,
        text: str,
        lowered: str,
        deadline: float,
        field_at: Callable[[int], str] | None = None,
        rules: Sequence[CompiledRule] | None = None,
        field_names: str = "",
        hits: Hits | None = None,
    ) -> list[Finding]:
        """Findings of every selected rule; raises BudgetExceeded past ``deadline``.

        ``field_at(offset)`` names the field a position of ``text`` belongs to; the
        field's name counts as context (``"phone": "4155550132"``), and a match under a
        field that the rule's ``not_in_fields`` names is dropped. ``field_names``
        holds every field name of the record (lower case), for the context prefilter.
        ``hits`` (from :class:`Prefilter` on ``text``) replaces the keyword and context
        prefilters and skips the patterns that cannot match; the findings are the same.
        """
        found: list[Finding] = []
        if hits is not None and rules is None:
            runs = self._prefiltered(hits, field_names)
        else:
            runs = self._unfiltered(lowered, field_names, rules)
        masked = self._tokens.spans(text) if runs else []
        for rule, pat in runs:
            spec = rule.spec
            validate = VALIDATORS[spec.validator]
            not_in = spec.not_in_fields
            timeout = time_left(deadline)
            try:
                matches = list(pat.pattern.finditer(text, overlapped=pat.overlapped,
                                                    timeout=timeout))
            except TimeoutError:
                raise BudgetExceeded("record time budget exceeded") from None
            for m in matches:
                start, end = m.span(pat.group)
                if start < 0 or start == end:
                    continue
                if any(s <= start and end <= e for s, e in masked):
                    continue  # inside a token we wrote earlier
                if (not_in and field_at is not None
                        and normalise_key(field_at(start)).endswith(not_in)):
                    continue  # a value under a field that holds no such thing (version)
                score = pat.score
                if spec.context and score < spec.min_score:
                    window = lowered[max(0, start - spec.context_window) : start]
                    field = field_at(start).lower() if field_at is not None else ""
                    if any(w in window or w in field for w in spec.context):
                        score = min(1.0, score + spec.context_boost)
                if score < spec.min_score:
                    continue
                if not validate(text[start:end], spec.validator_args):
                    continue
                found.append(
                    Finding(start, end, spec.entity, spec.id, score, spec.operator,
                            spec.keep_last, "pattern")
                )
        return found

    def _unfiltered(
        self, lowered: str, field_names: str, rules: Sequence[CompiledRule] | None
    ) -> list[tuple[CompiledRule, CompiledPattern]]:
        """The (rule, pattern) pairs to run, by substring tests on the lower-cased text."""
        runs = []
        for rule in self.selected(lowered) if rules is None else rules:
            for pat in rule.patterns:
                if pat.keywords and not any(w in lowered for w in pat.keywords):
                    continue
                if pat.needs_context and not any(
                    w in lowered or w in field_names for w in rule.spec.context
                ):
                    continue
                runs.append((rule, pat))
        return runs

    def _context_in_names_uncached(self, field_names: str, pid: int) -> bool:
        """Whether a context word of pattern ``pid`` occurs in ``field_names``."""
        context = self._plans[pid][4]
        return context is not None and any(w in field_names for w in context)

    def _prefiltered(
        self, hits: Hits, field_names: str
    ) -> list[tuple[CompiledRule, CompiledPattern]]:
        """The same pairs as :meth:`_unfiltered`, less those Hyperscan ruled out."""
        runs = []
        words = hits.words
        plans = self._plans
        for pid in sorted(hits.patterns):
            rule, pat, rule_words, pat_words, context, context_set = plans[pid]
            if rule_words and words.isdisjoint(rule_words):
                continue
            if pat_words and words.isdisjoint(pat_words):
                continue
            if context is not None and words.isdisjoint(context_set) and not (
                field_names and self._context_in_names(field_names, pid)
            ):
                continue
            runs.append((rule, pat))
        return runs
