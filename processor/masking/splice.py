"""Resolve overlapping findings and splice mask tokens into a text.

Overlapping findings are merged into one span (the highest score names the
entity), and pattern findings are widened to the whole token they sit in, so
that no fragment of a secret survives next to its mask.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from processor.masking.operators import Masker
from processor.records import Finding

__all__ = ["apply_findings", "resolve"]

_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-")


def _widen(text: str, f: Finding) -> Finding:
    start, end = f.start, f.end
    while start > 0 and text[start - 1] in _TOKEN_CHARS:
        start -= 1
    while end < len(text) and (text[end] in _TOKEN_CHARS or text[end] == "="):
        end += 1
    if (start, end) == (f.start, f.end):
        return f
    return replace(f, start=start, end=end)


def resolve(text: str, findings: Sequence[Finding]) -> list[Finding]:
    """Non-overlapping findings in text order; overlaps merged, pattern hits widened."""
    spans = sorted(
        (_widen(text, f) if f.source == "pattern" else f for f in findings),
        key=lambda f: (f.start, -f.end),
    )
    merged: list[Finding] = []
    for f in spans:
        if merged and f.start < merged[-1].end:
            last = merged[-1]
            winner = f if (f.score, f.end - f.start) > (last.score, last.end - last.start) else last
            merged[-1] = replace(winner, start=last.start, end=max(last.end, f.end))
        else:
            merged.append(f)
    return merged


def apply_findings(text: str, resolved: Sequence[Finding], masker: Masker) -> str:
    """``text`` with each finding replaced by its mask token.

    ``resolved`` must come from :func:`resolve`: sorted and without overlaps.
    """
    if not resolved:
        return text
    parts: list[str] = []
    pos = 0
    for f in resolved:
        parts.append(text[pos : f.start])
        token = masker.token(f.entity, f.operator, f.keep_last, text[f.start : f.end])
        if token is not None:
            parts.append(token)
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts)
