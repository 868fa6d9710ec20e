"""A percent-decoded view of a text, with the way back to the original offsets.

``user%3Dbob%40example.com`` hides an email and a ``key=value`` pair from every rule
written for plain text, and a query string or form body writes a space as ``+``
(``address=12+Baker+Street&city=London``). The scan runs the same detectors over the
decoded view and maps each finding back onto the encoded characters, so the mask
covers them. ASCII escapes (``%00`` to ``%7F``) and whole UTF-8 sequences
(``Sch%C3%B6nhauser``) are decoded; a broken sequence stays as written. A ``+`` is read
as a space only inside the value of a ``key=value`` pair that holds no space.
"""

from __future__ import annotations

import regex

__all__ = ["PercentView", "percent_view"]

# one ASCII escape, or a whole UTF-8 sequence of two to four escaped bytes
_ESCAPE = regex.compile(
    r"%[0-7][0-9A-Fa-f]|%[CDcd][0-9A-Fa-f]%[89ABab][0-9A-Fa-f]"
    r"|%[Ee][0-9A-Fa-f](?:%[89ABab][0-9A-Fa-f]){2}|%[Ff][0-7](?:%[89ABab][0-9A-Fa-f]){3}"
)
# a "+" between two characters of a form-encoded value: key=12+Baker+Street
_PLUS = regex.compile(r"(?<==[^\s=&]{0,200})(?<=[\w.,%])\+(?=[\w%])")


class PercentView:
    """``text`` with escapes decoded; ``span(start, end)`` maps back to the original."""

    def __init__(self, text: str, origin: list[int]) -> None:
        self.text = text
        self._origin = origin  # decoded index -> original index; one extra entry at the end

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of ``text[start:end]``, escapes included whole."""
        return self._origin[start], self._origin[end]


def _decoded(escape: str) -> str | None:
    try:
        return bytes.fromhex(escape.replace("%", "")).decode("utf-8")
    except ValueError:
        return None


def percent_view(text: str) -> PercentView | None:
    """The decoded view, or None when ``text`` holds no escape and no form-encoded space."""
    has_escape = "%" in text and _ESCAPE.search(text) is not None
    has_plus = "+" in text and "=" in text and _PLUS.search(text) is not None
    if not (has_escape or has_plus):
        return None
    edits = [(m.start(), m.end(), _decoded(m.group())) for m in _ESCAPE.finditer(text)]
    if has_plus:
        edits = sorted(edits + [(m.start(), m.end(), " ") for m in _PLUS.finditer(text)])
    parts: list[str] = []
    origin: list[int] = []
    pos = 0
    for start, end, char in edits:
        if char is None or start < pos:
            continue  # a broken UTF-8 sequence stays as written
        parts.append(text[pos:start])
        origin.extend(range(pos, start))
        parts.append(char)
        origin.extend([start] * len(char))
        pos = end
    parts.append(text[pos:])
    origin.extend(range(pos, len(text) + 1))
    return PercentView("".join(parts), origin)
