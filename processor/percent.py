"""A percent-decoded view of a text, with the way back to the original offsets.

``user%3Dbob%40example.com`` hides an email and a ``key=value`` pair from every rule
written for plain text. The scan runs the same detectors over the decoded view and maps
each finding back onto the encoded characters, so the mask covers them.
Only ASCII escapes (``%00`` to ``%7F``) are decoded; other bytes stay as written.
"""

from __future__ import annotations

import regex

__all__ = ["PercentView", "percent_view"]

_ESCAPE = regex.compile(r"%([0-7][0-9A-Fa-f])")


class PercentView:
    """``text`` with ASCII escapes decoded; ``span(start, end)`` maps back to the original."""

    def __init__(self, text: str, origin: list[int]) -> None:
        self.text = text
        self._origin = origin  # decoded index -> original index; one extra entry at the end

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of ``text[start:end]``, escapes included whole."""
        return self._origin[start], self._origin[end]


def percent_view(text: str) -> PercentView | None:
    """The decoded view, or None when ``text`` holds no ASCII escape."""
    if "%" not in text or _ESCAPE.search(text) is None:
        return None
    parts: list[str] = []
    origin: list[int] = []
    pos = 0
    for m in _ESCAPE.finditer(text):
        parts.append(text[pos : m.start()])
        origin.extend(range(pos, m.start()))
        parts.append(chr(int(m.group(1), 16)))
        origin.append(m.start())
        pos = m.end()
    parts.append(text[pos:])
    origin.extend(range(pos, len(text) + 1))
    return PercentView("".join(parts), origin)
