"""Detect step for the cheap layers: field-name pairs and pattern rules over a record.

All of a record's strings are joined with a separator that no rule matches across,
scanned once, and each finding is handed back to the string(s) it covers. Neighbouring
strings of one JSON array are joined with a space instead, so that an argument list
(a container's command) reads like the command line it is. When the
text holds percent escapes, a decoded view of it is scanned too, and its findings are
mapped back onto the escaped characters.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from itertools import pairwise

from processor.collect import Segment
from processor.detectors._clock import time_left
from processor.detectors.address_parts import address_parts
from processor.detectors.keys import FieldNames
from processor.detectors.patterns import PatternDetector
from processor.detectors.placeholders import (
    holds_no_number,
    placeholder_end,
    takes_placeholders,
)
from processor.detectors.prefilter import Prefilter
from processor.detectors.sql_columns import sql_column_values
from processor.detectors.table_columns import table_column_values
from processor.percent import percent_view
from processor.records import Finding

__all__ = ["scan_segments"]

# joins a record's strings for one scan: no rule's pattern or key=value pair crosses it
_SEP = "\n\x1f\x1f\n"
# joins neighbouring strings of one JSON array, read as the words of one command line
# (["mysql", "-u", "root", "-pS3cret"], ["--password", "S3cret"])
_ARG_SEP = " "


def _join(segments: list[Segment]) -> tuple[str, list[int]]:
    """The segments' texts joined for one scan, and where each one starts in it.

    Only an array with a flag among its strings (``-p``, ``--password``) is taken for
    a command line: a list of phone numbers or names keeps its strings apart.
    """
    if not any(isinstance(seg.holder, list) for seg in segments):
        # no array, no command line: every string stands apart
        starts = []
        pos = 0
        for seg in segments:
            starts.append(pos)
            pos += len(seg.text) + len(_SEP)
        return _SEP.join([seg.text for seg in segments]), starts
    flagged: dict[int, bool] = {}  # id of an array -> whether it holds a flag

    def argv(prev: Segment, seg: Segment) -> bool:
        holder = seg.holder
        if not (isinstance(holder, list) and holder is prev.holder
                and isinstance(seg.key, int) and seg.key == prev.key + 1
                and not (seg.is_number or prev.is_number)):
            return False
        if id(holder) not in flagged:
            flagged[id(holder)] = any(isinstance(v, str) and v.startswith("-")
                                      and v.lstrip("-")[:1].isalpha() for v in holder)
        return flagged[id(holder)]

    parts = [segments[0].text]
    starts = [0]
    pos = len(segments[0].text)
    for prev, seg in pairwise(segments):
        sep = _ARG_SEP if argv(prev, seg) else _SEP
        parts += (sep, seg.text)
        starts.append(pos + len(sep))
        pos += len(sep) + len(seg.text)
    return "".join(parts), starts


def scan_segments(
    segments: list[Segment],
    fields: FieldNames,
    patterns: PatternDetector,
    deadline: float,
    prefilter: Prefilter | None = None,
) -> None:
    """Add the field-name and pattern findings of each segment to it.

    With ``prefilter``, one Hyperscan pass over the joined text picks the patterns to
    run (same findings, fewer calls). Raises BudgetExceeded past ``deadline``.
    """
    if not segments:
        return
    joined, starts = _join(segments)
    lowered = joined.lower()

    def field_at(offset: int) -> str:
        return segments[bisect_right(starts, offset) - 1].field_name

    hits = prefilter.scan(joined) if prefilter is not None else None
    time_left(deadline)  # the budget holds even when the prefilter leaves nothing to run
    found = fields.find_in_text(joined, lowered, deadline,
                                None if hits is None else hits.field_name)
    found += sql_column_values(joined, lowered, fields.lookup, deadline, fields.is_token)
    if (hits is None or hits.field_name) and any(
            "\n" in seg.text or "\\n" in seg.text for seg in segments):
        # a table needs two lines in one string (the joining newlines divide strings)
        found += table_column_values(joined, fields.lookup, deadline, fields.is_token)
    names = " ".join(sorted({seg.field_name.lower() for seg in segments}))
    found += patterns.find(joined, lowered, deadline, field_at, field_names=names, hits=hits)
    found = address_parts(joined, found, deadline)
    found = _without_placeholders(joined, found)
    view = percent_view(joined)
    if view is not None:
        decoded = view.text.lower()

        def field_at_decoded(offset: int) -> str:
            return field_at(view.span(offset, offset)[0])

        vhits = prefilter.scan(view.text) if prefilter is not None else None
        extra = fields.find_in_text(view.text, decoded, deadline,
                                    None if vhits is None else vhits.field_name)
        extra += patterns.find(view.text, decoded, deadline, field_at_decoded,
                               field_names=names, hits=vhits)
        extra = address_parts(view.text, extra, deadline)
        for f in _without_placeholders(view.text, extra):
            start, end = view.span(f.start, f.end)
            found.append(replace(f, start=start, end=end))
    for f in found:
        i = bisect_right(starts, f.start) - 1
        while i < len(segments) and starts[i] < f.end:
            seg, base = segments[i], starts[i]
            lo, hi = max(f.start, base) - base, min(f.end, base + len(seg.text)) - base
            if hi > lo:
                seg.findings.append(f if (lo, hi) == (f.start, f.end) else
                                    replace(f, start=lo, end=hi))
            i += 1


def _without_placeholders(text: str, found: list[Finding]) -> list[Finding]:
    """``found`` less the credentials and numbers that are placeholders
    (``${DB_PASSWORD}``, ``<token>``, ``********``, ``tel=none``) and the numbers with
    too few digits to be one, with a value glued to a placeholder (``${PREFIX}s3cret``)
    masked to its end."""
    out: list[Finding] = []
    for f in found:
        if holds_no_number(f.entity, text[f.start:f.end]):
            continue  # tel=N/A, a 0/1 flag in an INSERT's phone column
        end = placeholder_end(text, f.start, f.end)
        if end is None and not takes_placeholders(f.entity):
            end = f.end  # a name, an address or an email is masked whatever it looks like
        if end is not None:
            out.append(f if end == f.end else replace(f, end=end))
    return out
