"""The Hyperscan prefilter: it only skips work, so findings stay exactly the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.corpus import generate
from processor.detectors.prefilter import Prefilter, _prefilterable
from processor.pipeline import Scrubber
from processor.rules.loader import CompiledRule, _compile, load_rules
from processor.rules.schema import RuleSpec, unmark
from processor.settings import ScrubSettings

RULES_DIR = Path(__file__).resolve().parents[3] / "rules"


@pytest.fixture(scope="module")
def scrubber() -> Scrubber:
    """The bundled rules, NER off, and a budget no record reaches.

    The comparison is about findings. In the full suite, with the default 250 ms budget,
    one record of the slow path was once masked whole (a pause of the big test process,
    such as a garbage collection, counts in the thread's CPU time and in the regex
    timeouts), and the outputs differed for a reason that is not the prefilter's.
    """
    settings = ScrubSettings(ner_enabled=False, record_budget_ms=600_000.0)
    return Scrubber(load_rules(RULES_DIR), settings)


def _both_ways(scrubber: Scrubber, lines: list[bytes]) -> tuple[list[bytes], list[bytes]]:
    """Outputs with the prefilter, then with the plain Python prefilters."""
    fast = [r.output for r in scrubber.scrub_many(lines)]
    saved = scrubber._prefilter
    scrubber._prefilter = None
    try:
        slow = [r.output for r in scrubber.scrub_many(lines)]
    finally:
        scrubber._prefilter = saved
    return fast, slow


def _examples(scrubber: Scrubber) -> list[str]:
    texts = []
    for rule in scrubber.patterns.rules:
        texts += [unmark(e)[0] for e in rule.spec.examples.must_mask]
        texts += list(rule.spec.examples.must_not_mask)
    return texts


def test_rule_examples_scrub_the_same_with_and_without_prefilter(scrubber: Scrubber) -> None:
    """Every bundled rule example, alone and inside JSON, comes out identical both ways."""
    texts = _examples(scrubber)
    lines = [t.encode() for t in texts]
    lines += [json.dumps({"msg": t}).encode() for t in texts]
    fast, slow = _both_ways(scrubber, lines)
    assert fast == slow


def test_bench_corpus_scrubs_the_same_with_and_without_prefilter(scrubber: Scrubber) -> None:
    """Two thousand generated log lines come out byte-identical both ways."""
    lines = [r.line.encode() for r in generate(2000, 11)]
    fast, slow = _both_ways(scrubber, lines)
    assert fast == slow


def test_prefilter_reports_every_pattern_that_matches(scrubber: Scrubber) -> None:
    """Whenever a rule's regex matches an ASCII example, its pattern id is among the hits."""
    pre = scrubber._prefilter
    assert pre is not None
    for ri, rule in enumerate(scrubber.patterns.rules):
        for text in _examples(scrubber):
            if not text.isascii():
                continue
            hits = pre.scan(text)
            assert hits is not None
            for pi, pat in enumerate(rule.patterns):
                if pat.pattern.search(text):
                    assert pre.pattern_ids[(ri, pi)] in hits.patterns, (rule.spec.id, pi)


def test_non_ascii_text_takes_the_full_python_path(scrubber: Scrubber) -> None:
    """Text with a non-ASCII character gets no hits (None), and is still masked."""
    assert scrubber._prefilter is not None
    assert scrubber._prefilter.scan("contact j\u00f6rg@example.com") is None
    out = scrubber.scrub("Zo\u00eb wrote to bob@example.org".encode()).output
    assert out == "Zo\u00eb wrote to [MASKED-EMAIL]".encode()


def test_field_names_are_found_through_separators(scrubber: Scrubber) -> None:
    """A sensitive name split by '-', '_', '.', blanks or tabs still counts as present."""
    pre = scrubber._prefilter
    assert pre is not None
    for text in ("Pass-Word = hunter2", "api_KEY: x", "nothing here at all"):
        hits = pre.scan(text)
        assert hits is not None
        assert hits.field_name is (text != "nothing here at all")


def _rule(regex: str) -> CompiledRule:
    spec = RuleSpec.model_validate({
        "id": "odd-rule", "description": "a rule Hyperscan cannot prefilter",
        "entity": "ODD", "severity": "high",
        "patterns": [{"name": "odd (strong)", "regex": regex, "score": 0.9}],
        "examples": {"must_mask": ["«abcdef»"], "must_not_mask": ["zzz"]},
    })
    return _compile(spec, "odd.yaml")


@pytest.mark.parametrize("regex", [r"(?:abcdef){e<=1}", r"abc(?R)?def", r"(?if)abcdef"])
def test_patterns_hyperscan_cannot_stand_in_for_always_run(regex: str) -> None:
    """Fuzzy, recursive and full-case-folding patterns are reported on every text."""
    pre = Prefilter([_rule(regex)], [])
    hits = pre.scan("nothing alike")
    assert hits is not None and hits.patterns == {0}


def test_regex_only_syntax_is_not_prefiltered() -> None:
    """Escapes naming non-ASCII characters and regex-only flags disable the prefilter."""
    assert _prefilterable(r"(?i)token[0-9a-f]{8}")
    for source in (r"\u017ftoken", r"(?V1)[[a-z]--[q]]", "s\u017f", r"\p{L}+", r"(?f)x"):
        assert not _prefilterable(source), source


@pytest.mark.parametrize("line", [
    " ".join(f"u{i}@ex{i % 97}.com" for i in range(50_000)).encode(),
    b'{"a":' * 30_000 + b'"bob@example.org"' + b"}" * 30_000,
    b"x\x00y bob@example.org \x1f\x1f \x7f",
])
def test_hostile_lines_through_the_prefilter_come_out_masked(
    scrubber: Scrubber, line: bytes
) -> None:
    """50,000 emails on a line, deep nesting and control bytes: no address survives."""
    result = scrubber.scrub(line)
    assert b"@ex" not in result.output and b"bob@" not in result.output
