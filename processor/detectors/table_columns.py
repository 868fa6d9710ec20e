"""Cells of sensitive columns in tables held in one record: CSV and Markdown.

An export or a report logged whole carries its header on one line and its rows on the
next ones (``name,email,password\\nbob,b@x.io,Tr0ub4dor3``, or a Markdown table). A
cell is sensitive because of the header above it, so neither a key=value pair nor a
pattern sees it. Here a line whose cells are all column names, one of them a name the
field rules know, is taken for a header; the lines after it with as many cells are its
rows, and each cell under a sensitive column is masked as that field. Line ends may be
real or escaped (``\\n`` inside a JSON string). A row of another width ends the table.
"""

from __future__ import annotations

from collections.abc import Callable

import regex

from processor.detectors._clock import time_left
from processor.detectors.keys import field_finding_at
from processor.errors import BudgetExceeded
from processor.records import Finding
from processor.rules.schema import FieldRule

__all__ = ["table_column_values"]

_LINE_END = regex.compile(r"\r?\n|\\r\\n|\\n")
_DELIMITERS = (",", ";", "\t", "|")
# one cell and its delimiter: a double-quoted cell (CSV's doubled quote) or a bare one
_CELLS = {
    d: regex.compile(
        rf'[ ]{{0,8}}(?:"(?P<q>(?:[^"]|""){{0,8192}})"|(?P<u>[^{regex.escape(d)}"]{{0,8192}}?))'
        rf"[ ]{{0,8}}(?:{regex.escape(d)}|\Z)"
    )
    for d in _DELIMITERS
}
_COLUMN = regex.compile(r"[A-Za-z_][A-Za-z0-9_ .-]{0,40}")
_RULE_ROW = regex.compile(r"[ :|-]{3,}")  # Markdown's |---|:---:|
_MAX_LINES = 10_000
_MAX_CELLS = 200


def _cells(text: str, start: int, end: int, delimiter: str) -> list[tuple[int, int]]:
    """The content spans of the cells of ``text[start:end]``, Markdown's outer pipes off."""
    if delimiter == "|":
        line = text[start:end]
        lead = len(line) - len(line.lstrip(" "))
        if not line.strip(" ").startswith("|") or not line.rstrip(" ").endswith("|"):
            return []
        start, end = start + lead + 1, start + len(line.rstrip(" ")) - 1
    spans: list[tuple[int, int]] = []
    pos, pattern = start, _CELLS[delimiter]
    while pos <= end and len(spans) <= _MAX_CELLS:
        m = pattern.match(text, pos, end)
        if m is None:
            return []
        group = "q" if m.group("q") is not None else "u"
        s, e = m.span(group)
        while e > s and text[e - 1] == " ":
            e -= 1
        spans.append((s, e))
        if m.end() == end and not text[start:end].endswith(delimiter):
            break
        if m.end() == pos:
            break
        pos = m.end()
    return spans


def _header(text: str, start: int, end: int, lookup: Callable[[str], FieldRule | None]
            ) -> tuple[str, list[FieldRule | None]] | None:
    """The delimiter and the rule of each column when the line is a header."""
    for delimiter in _DELIMITERS:
        if delimiter not in text[start:end]:
            continue
        spans = _cells(text, start, end, delimiter)
        names = [text[s:e] for s, e in spans]
        if len(names) < 2 or not all(_COLUMN.fullmatch(n) for n in names):
            continue
        rules = [lookup(n) for n in names]
        if any(r is not None and r.in_text != "never" for r in rules):
            return delimiter, rules
    return None


def table_column_values(
    text: str, lookup: Callable[[str], FieldRule | None], deadline: float,
    is_token: Callable[[str, int, int], bool] = lambda _t, _s, _e: False,
) -> list[Finding]:
    """Findings for the cells under sensitive columns of the tables in ``text``.

    ``is_token`` tells a cell that is a token an earlier pass wrote, which stays as it
    is (a pseudonym must not be pseudonymised again). Raises BudgetExceeded past
    ``deadline``.
    """
    try:
        ends = [m.span() for m in _LINE_END.finditer(text, timeout=time_left(deadline))]
    except TimeoutError:
        raise BudgetExceeded("record time budget exceeded") from None
    if not ends or len(ends) > _MAX_LINES:
        return []
    starts = [0] + [e for _s, e in ends]
    lines = list(zip(starts, [s for s, _e in ends] + [len(text)], strict=True))
    found: list[Finding] = []
    i = 0
    while i < len(lines) - 1:
        time_left(deadline)
        header = _header(text, *lines[i], lookup)
        i += 1
        if header is None:
            continue
        delimiter, rules = header
        while i < len(lines):
            start, end = lines[i]
            if delimiter == "|" and _RULE_ROW.fullmatch(text, start, end):
                i += 1
                continue
            spans = _cells(text, start, end, delimiter)
            if len(spans) != len(rules):
                break
            found += [field_finding_at(r, s, e)
                      for (s, e), r in zip(spans, rules, strict=True)
                      if r is not None and r.in_text != "never" and e > s
                      and not is_token(text, s, e)]
            i += 1
    return found
