"""Values of sensitive columns in SQL INSERT statements.

ORM and audit logs print statements such as
``INSERT INTO users (username, password) VALUES ('bob', 'Tr0ub4dor3')``. The value is
sensitive because of the column it goes into, which stands in another part of the
statement, so neither a key=value pair nor a pattern sees it. Here each VALUES tuple is
read item by item (quoted strings with their escapes, numbers, NULL, function calls)
and its values are paired with the column list; a value under a column that the field
rules name (``password``, ``card_number``, ``first_name``) is masked as that field.

A tuple whose item count differs from the column count is left alone: the pairing
would be a guess. The other detectors still read every value.

Statements with bound parameters carry their values apart, in the same record when a
log line or a JSON log holds both: PostgreSQL's ``parameters: $1 = 'bob', $2 = 'pw'``
for ``VALUES ($1, $2)`` or ``SET password = $2``, and SQLAlchemy's
``[parameters: ('bob', 'pw')]`` for ``VALUES (?, ?)``. Those values are paired by
number or by position.
"""

from __future__ import annotations

from collections.abc import Callable

import regex

from processor.detectors._clock import time_left
from processor.detectors.keys import field_finding_at
from processor.errors import BudgetExceeded
from processor.records import Finding
from processor.rules.schema import FieldRule

__all__ = ["sql_column_values"]

_HEAD = regex.compile(
    r"(?i)\binsert[ \t\r\n]+(?:ignore[ \t\r\n]+)?into[ \t\r\n]+[\w.\"`\[\]$-]{1,128}"
    r"[ \t\r\n]*\((?P<cols>[^()]{1,4000})\)[ \t\r\n]*values[ \t\r\n]*\("
)
# one item of a VALUES tuple and the comma or bracket after it: a quoted string (SQL's
# doubled quote and MySQL's backslash escapes), or anything unquoted up to the next
# comma or bracket, with at most one call's brackets (NOW(), lower('x'))
_ITEM = regex.compile(
    r"[ \t\r\n]*(?:'(?P<s>(?:[^'\\]|''|\\.){0,100000})'"
    r"|\"(?P<d>(?:[^\"\\]|\"\"|\\.){0,100000})\""
    r"|(?P<u>[^,()'\"\s][^,()'\"]{0,1000}?"
    r"(?:\((?:[^()'\"]|'(?:[^'\\]|''|\\.){0,1000}'){0,1000}\))?))"
    r"[ \t\r\n]*(?P<end>[,)])"
)
_NEXT_ROW = regex.compile(r"[ \t\r\n]*,[ \t\r\n]*\(")
# a column compared with or set to a numbered parameter: SET password = $2, email=$3
_BIND = regex.compile(r"([\w\"`]{1,64})[ \t]{0,3}=[ \t]{0,3}\$(\d{1,3})\b")
# PostgreSQL's parameter values: $2 = 'pw', $3 = 42
_PARAM = regex.compile(
    r"(?<![\w$])\$(?P<n>\d{1,3})[ ]?=[ ]?(?:'(?P<s>(?:[^'\\]|''|\\.){0,100000})'"
    r"|(?P<u>[^\s,')]{1,1000}))")
# SQLAlchemy's parameter tuple: [parameters: ('bob', 'pw')]
_TUPLE = regex.compile(r"(?i)\bparameters:[ ]?\(")
_NUMBERED = regex.compile(r"\$(\d{1,3})")
# bound parameters and SQL keywords hold no value of their own
_NO_VALUE = regex.compile(r"(?i)\?|%s|\$\d{1,3}|:\w{1,64}|null|default|true|false")
_MAX_ROWS = 1000
_MAX_COLUMNS = 500


def _columns(cols: str) -> list[str]:
    """The column names of ``(a, "b", `c`, [d])``, unquoted."""
    return [c.strip().strip("\"`[]") for c in cols.split(",")]


def _row(text: str, pos: int, timeout: float | None) -> tuple[list[tuple[int, int]], int] | None:
    """The value spans of the tuple starting at ``pos`` and the position after it."""
    spans: list[tuple[int, int]] = []
    while len(spans) <= _MAX_COLUMNS:
        m = _ITEM.match(text, pos, timeout=timeout)
        if m is None:
            return None
        group = "s" if m.group("s") is not None else "d" if m.group("d") is not None else "u"
        spans.append(m.span(group))
        pos = m.end()
        if m.group("end") == ")":
            return spans, pos
    return None


def sql_column_values(
    text: str, lowered: str, lookup: Callable[[str], FieldRule | None], deadline: float,
    is_token: Callable[[str, int, int], bool] = lambda _t, _s, _e: False,
) -> list[Finding]:
    """Findings for the values of sensitive columns in the INSERT statements of ``text``.

    ``lookup`` names the field rule of a column (:meth:`FieldNames.lookup`);
    ``is_token`` tells a value that is a token an earlier pass wrote, which stays as it
    is. Raises BudgetExceeded past ``deadline``.
    """
    inserts = "insert" in lowered and "values" in lowered
    if not inserts and "$" not in text:
        return []
    found: list[Finding] = []
    numbered: dict[int, FieldRule | None] = {}  # $n -> the rule of its column
    marks: list[FieldRule | None] = []  # the rule of each ? in order
    try:
        for head in _HEAD.finditer(text, timeout=time_left(deadline)) if inserts else ():
            rules = [lookup(c) if c else None for c in _columns(head.group("cols"))]
            if not any(r is not None and r.in_text != "never" for r in rules):
                continue
            pos = head.end()
            for _ in range(_MAX_ROWS):
                row = _row(text, pos, time_left(deadline))
                if row is None:
                    break
                spans, pos = row
                if len(spans) == len(rules):
                    found += _findings(text, spans, rules, is_token)
                    _bound(text, spans, rules, numbered, marks)
                more = _NEXT_ROW.match(text, pos, timeout=time_left(deadline))
                if more is None:
                    break
                pos = more.end()
        if "$" in text:
            for m in _BIND.finditer(text, timeout=time_left(deadline)):
                numbered.setdefault(int(m.group(2)), lookup(m.group(1).strip("\"`")))
        found += _parameters(text, numbered, marks, is_token, deadline)
    except TimeoutError:
        raise BudgetExceeded("record time budget exceeded") from None
    return found


def _findings(
    text: str, spans: list[tuple[int, int]], rules: list[FieldRule | None],
    is_token: Callable[[str, int, int], bool],
) -> list[Finding]:
    out = []
    for (start, end), rule in zip(spans, rules, strict=True):
        if (rule is None or rule.in_text == "never" or start == end
                or _NO_VALUE.fullmatch(text, start, end) or is_token(text, start, end)):
            continue
        out.append(field_finding_at(rule, start, end))
    return out


def _bound(text: str, spans: list[tuple[int, int]], rules: list[FieldRule | None],
           numbered: dict[int, FieldRule | None], marks: list[FieldRule | None]) -> None:
    """Note the column of each $n and ? among a row's values."""
    for (start, end), rule in zip(spans, rules, strict=True):
        if text[start:end] == "?":
            marks.append(rule)
        elif (n := _NUMBERED.fullmatch(text, start, end)) is not None:
            numbered.setdefault(int(n.group(1)), rule)


def _parameters(text: str, numbered: dict[int, FieldRule | None],
                marks: list[FieldRule | None], is_token: Callable[[str, int, int], bool],
                deadline: float) -> list[Finding]:
    """The values of bound parameters whose column is sensitive."""
    spans: list[tuple[int, int]] = []
    rules: list[FieldRule | None] = []
    if any(r is not None for r in numbered.values()):
        for m in _PARAM.finditer(text, timeout=time_left(deadline)):
            spans.append(m.span("s") if m.group("s") is not None else m.span("u"))
            rules.append(numbered.get(int(m.group("n"))))
    if any(r is not None for r in marks):
        head = _TUPLE.search(text, timeout=time_left(deadline))
        row = _row(text, head.end(), time_left(deadline)) if head is not None else None
        if row is not None and len(row[0]) == len(marks):
            spans += row[0]
            rules += marks
    return _findings(text, spans, rules, is_token)
