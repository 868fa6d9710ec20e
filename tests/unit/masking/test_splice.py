"""Overlap resolution and splicing."""

from __future__ import annotations

from processor.masking.operators import Masker
from processor.masking.splice import apply_findings, resolve
from processor.records import Finding


def _f(start: int, end: int, entity: str = "X", score: float = 0.5,
       source: str = "pattern") -> Finding:
    return Finding(start, end, entity, "r", score, source=source)  # type: ignore[arg-type]


def test_overlaps_merge_into_one_span() -> None:
    """Two overlapping findings become one mask covering both, named by the higher score."""
    text = "aaa bbbb cccc ddd"
    merged = resolve(text, [_f(4, 9, "A", 0.6, "field"), _f(8, 13, "B", 0.9, "field")])
    assert [(m.start, m.end, m.entity) for m in merged] == [(4, 13, "B")]


def test_pattern_findings_widen_to_the_whole_token() -> None:
    """A pattern hit inside a longer token masks the whole token: no fragment survives."""
    text = "key ABCDEFGHIJKLMNOPQRSTUV== end"
    out = apply_findings(text, resolve(text, [_f(6, 20)]), Masker(None))
    assert out == "key [MASKED-X] end"


def test_text_outside_spans_is_unchanged() -> None:
    """Everything around the masks stays byte-for-byte the same."""
    text = "x=1 secret=abc y=2"
    out = apply_findings(text, resolve(text, [_f(11, 14, source="field")]), Masker(None))
    assert out == "x=1 secret=[MASKED-X] y=2"
