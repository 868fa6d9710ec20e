"""Decode step: gather every string of a record that must be scanned or masked.

A record becomes a list of :class:`Segment` objects. Each one is a string to scan (a
JSON string value, a JSON object key, a large number, or a whole text record) or a
value under a sensitive field name, which already carries the one finding that masks
it whole. Every segment then goes the same way: resolve, mask, splice.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from processor.detectors import _clock
from processor.detectors.keys import FieldNames, field_finding_at
from processor.detectors.placeholders import placeholder_for
from processor.embedded_json import Embedded, decode_embedded
from processor.errors import BudgetExceeded
from processor.masking.tokens import TokenShapes
from processor.records import Finding, RecordFormat
from processor.rules.schema import FieldRule

__all__ = ["Counts", "Job", "Segment", "collect_json", "field_finding"]

Counts = Counter[tuple[str, str]]
# numbers shorter than this cannot hold a card, SSN, phone or account number
_MIN_SENSITIVE_NUMBER = 10**6
# how many JSON members are walked between two checks of the clock
_CLOCK_EVERY = 256


@dataclass(slots=True)
class Segment:
    """One string of a record: ``holder[key]`` (or, for a JSON key, the key itself).

    ``holder`` is None for a whole text record. ``scan`` is False when the findings
    are already final (a value under a sensitive field name).
    """

    text: str
    field_name: str
    holder: Any = None
    key: Any = None
    is_number: bool = False
    is_key: bool = False
    scan: bool = True
    findings: list[Finding] = field(default_factory=list)
    #: The JSON document held in a string that this segment sits in (-1: the record).
    embedded: int = -1


@dataclass(slots=True)
class Job:
    """The state of one record while its batch goes through the pipeline."""

    raw: bytes
    format: RecordFormat = "text"
    doc: dict[str, Any] | None = None
    segments: list[Segment] = field(default_factory=list)
    counts: Counts = field(default_factory=Counter)
    fallback: str | None = None
    #: JSON keys scanned and found clean: the fallback output may keep them.
    clean_keys: set[str] = field(default_factory=set)
    #: JSON documents held in string values of the record, decoded.
    embedded: list[Embedded] = field(default_factory=list)


def field_finding(text: str, rule: FieldRule) -> Finding:
    """The finding that masks all of ``text`` as the value of a sensitive field."""
    return field_finding_at(rule, 0, len(text))


def collect_json(
    doc: dict[str, Any], fields: FieldNames, tokens: TokenShapes, deadline: float,
    embedded: list[Embedded],
) -> list[Segment]:
    """Every key and string (or long number) of ``doc`` as a segment.

    Values under sensitive keys come back with their masking finding; raises
    BudgetExceeded past ``deadline``. A string holding a JSON object or array is
    decoded and walked too, and listed in ``embedded`` for :func:`encode_embedded`.
    """
    segments: list[Segment] = []
    stack: list[tuple[Any, str, FieldRule | None, int]] = [(doc, "", None, -1)]
    walked = 0
    while stack:
        node, parent_key, inherited, inside = stack.pop()
        named: FieldRule | None = None
        if isinstance(node, dict):
            items = list(node.items())
            if inherited is None:
                named = _named_value_rule(node, fields)
        else:
            items = list(enumerate(node))
        for key, value in items:
            walked += 1
            if walked % _CLOCK_EVERY == 0 and _clock.now() > deadline:
                raise BudgetExceeded("record time budget exceeded")
            if isinstance(key, str):
                name = key
                if key:
                    segments.append(Segment(key, parent_key, node, key, is_key=True,
                                            embedded=inside))
            else:
                name = parent_key
            rule = inherited
            if rule is None and named is not None and key == "value":
                rule = named
            if rule is None and isinstance(key, str):
                rule = fields.lookup_in(key, parent_key)
                if rule is not None and rule.beside and not _beside_holds(node, rule):
                    rule = None
                if rule is None and isinstance(node, dict):
                    rule = fields.lookup_beside(key, node)
            if isinstance(value, (dict, list)):
                stack.append((value, name, rule, inside))
            elif rule is not None:
                _masked_value(segments, node, key, value, name, rule, tokens, inside)
            elif isinstance(value, str):
                emb = (decode_embedded(node, key, value, inside)
                       if value.startswith(("{", "[")) else None)
                if emb is not None:
                    embedded.append(emb)
                    stack.append((emb.doc, name, None, len(embedded) - 1))
                elif value and not tokens.is_token(value):
                    segments.append(Segment(value, name, node, key, embedded=inside))
            elif (
                isinstance(value, (int, float))
                and not isinstance(value, bool)
                and abs(value) >= _MIN_SENSITIVE_NUMBER
            ):
                segments.append(Segment(repr(value), name, node, key, is_number=True,
                                        embedded=inside))
    return segments


def _masked_value(
    segments: list[Segment], holder: Any, key: Any, value: Any, name: str, rule: FieldRule,
    tokens: TokenShapes, inside: int = -1,
) -> None:
    """A scalar under a sensitive key: a segment whose one finding masks it whole."""
    if value is None or isinstance(value, bool) or value == "":
        return
    is_number = not isinstance(value, str)
    text = repr(value) if is_number else value
    if tokens.is_token(text):
        return  # exactly a token an earlier pass wrote
    if placeholder_for(rule.entity, text):
        # ${DB_PASSWORD}, <redacted>, ****: no secret under the key; the patterns still
        # look at it like any other string
        segments.append(Segment(text, name, holder, key, embedded=inside))
        return
    segments.append(Segment(text, name, holder, key, is_number=is_number, scan=False,
                            findings=[field_finding(text, rule)], embedded=inside))


def _beside_holds(node: Any, rule: FieldRule) -> bool:
    """Whether ``node`` (the object holding the key) has every ``beside`` key and value."""
    if not isinstance(node, dict):
        return False
    for name, want in rule.beside.items():
        have = node.get(name)
        if not isinstance(have, str) or have.casefold() != want.casefold():
            return False
    return True


def _named_value_rule(node: dict[str, Any], fields: FieldNames) -> FieldRule | None:
    """``{"name": "DB_PASSWORD", "value": "..."}`` (Kubernetes env, header lists)."""
    if "value" not in node:
        return None
    for name_key in ("name", "key", "header"):
        name = node.get(name_key)
        if isinstance(name, str):
            rule = fields.lookup(name)
            return None if rule is None or rule.beside else rule
    return None
