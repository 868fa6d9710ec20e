"""Sensitive field names: values under keys such as ``password`` or ``card_number``.

Works on structured keys (JSON) and on ``key=value`` / ``key: value`` pairs inside
free text, in the notations of ``pair_notations``. Names are normalised (lower case,
``-``, ``_``, ``.`` and spaces removed), so ``apiKey``, ``API-KEY`` and ``api_key``
are the same name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import regex

from processor.detectors import _clock
from processor.detectors._clock import time_left
from processor.detectors.memo import short_key_cache
from processor.detectors.pair_notations import (
    may_hold_a_pair,
    pair_patterns,
    value_group,
    value_start,
)
from processor.detectors.placeholders import NUMBER_ENTITIES
from processor.detectors.validators import VOCABULARY
from processor.errors import BudgetExceeded
from processor.masking.tokens import TokenShapes
from processor.records import Finding
from processor.rules.schema import KEY_STRIP, FieldRule, normalise_key

__all__ = ["EXTRA_FIELDS_ENTITY", "FieldNames", "field_finding_at", "normalise_key"]

#: The entity of values under ``scrub.extra_sensitive_fields``.
EXTRA_FIELDS_ENTITY = "SENSITIVE_FIELD"


# the rest of a name written unquoted after its key: holder=Maria de la Cruz exp=...
_MORE_NAME = regex.compile(
    r"(?:[ ](?![^\s=:]*[=:])(?:\p{Lu}[\p{L}\p{M}'’.\-]{0,30}(?<!['’])"
    r"|de|da|di|van|von|der|den|la|le|del|bin|al)){1,3}(?![\p{L}\p{M}\d])"
)
# entities whose values hold digits (the numbers, and national ids, which may hold letters
# too): a name under such a key (cc: Ana Ruiz, a mail header's copy line under the card
# key) is labelled a person, not a card
_NUMBER_ENTITIES = NUMBER_ENTITIES | {"NATIONAL_ID"}
# entities whose key keeps its meaning after a namespace
_NAMESPACED = frozenset(("PASSWORD", "SECRET", "API_KEY", "CREDENTIAL", "TOKEN"))
# the rest of a name cut at its apostrophe by the unquoted-value notation: cc: O'Neil
_AFTER_APOSTROPHE = regex.compile(r"['’]\p{Lu}[\p{L}\p{M}]{1,30}")
_AUTH_SCHEME = regex.compile(r"(?i)(?:bearer|basic|token|digest|negotiate|apikey)")
_AFTER_SCHEME = regex.compile(r"[ \t]+([^\s,;\"'\\]{1,8192})")
# CPU seconds an identifiers_in_text pattern may take on one value; past it, mask
_IDENTIFIER_TIMEOUT = 0.05


def _rest_of_name(text: str, end: int) -> int:
    """The end of a name that goes on after ``end``, up to a word of log vocabulary."""
    more = _MORE_NAME.match(text, end)
    if more is None:
        return end
    for word in regex.finditer(r"[ ](\S+)", text, pos=end, endpos=more.end()):
        if word.group(1).lower() in VOCABULARY:
            break
        end = word.end()
    return end


def _capitalised_word(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is one word of letters with a capital first; a
    hyphen or an apostrophe may join its parts (Jean-Baptiste, O'Neil)."""
    word = text[start:end]
    return (word[:1].isupper() and word[-1:].isalpha()
            and word.replace("-", "").replace("'", "").replace("’", "").isalpha())


def field_finding_at(rule: FieldRule, start: int, end: int) -> Finding:
    """The finding that masks ``[start, end)`` as a value under ``rule``'s field names:
    the one shape of every field finding (JSON values, pairs in text, SQL columns,
    table cells)."""
    return Finding(start, end, rule.entity, f"field:{rule.entity.lower()}", 1.0,
                   rule.operator, rule.keep_last, "field")


def _is_identifier(pattern: regex.Pattern[str], text: str, start: int, end: int) -> bool:
    """True when the value matches the rule's identifier pattern; a timeout means mask."""
    try:
        return pattern.fullmatch(text, start, end, timeout=_IDENTIFIER_TIMEOUT) is not None
    except TimeoutError:
        return False


# how many pairs are looked at between two checks of the clock
_CLOCK_EVERY = 64


class FieldNames:
    """Looks up field names and finds ``key=value`` pairs with a sensitive key in text."""

    def __init__(
        self,
        fields: Sequence[FieldRule],
        tokens: TokenShapes,
        ignored: Sequence[str] = (),
    ) -> None:
        self._tokens = tokens
        self._exact: dict[str, FieldRule] = {}
        self._suffix: list[tuple[str, FieldRule]] = []
        self._scoped: dict[tuple[str, str], FieldRule] = {}
        self._siblings: dict[str, tuple[FieldRule, frozenset[str]]] = {}
        for rule in fields:
            for name in rule.names:
                norm = normalise_key(name)
                if rule.beside_any:
                    beside = frozenset(normalise_key(n) for n in rule.beside_any)
                    self._siblings.setdefault(norm, (rule, beside))
                elif rule.under:
                    for parent in rule.under:
                        self._scoped.setdefault((norm, normalise_key(parent)), rule)
                elif rule.match == "suffix":
                    self._suffix.append((norm, rule))
                else:
                    self._exact.setdefault(norm, rule)
        self._suffix.sort(key=lambda item: -len(item[0]))
        self._identifiers = {
            id(rule): regex.compile(rule.identifiers_in_text)
            for rule in fields if rule.identifiers_in_text
        }
        self._ignored = frozenset(normalise_key(n) for n in ignored)
        self._person = next((r for r in fields if r.entity == "PERSON"), None)
        # prefilter: a text can only hold a sensitive pair if it holds a sensitive name;
        # a loop of substring tests beats one big alternation regex here
        # (names that never count in free text cannot make a text worth a look)
        self._names = tuple(sorted({*(n for n, r in self._exact.items() if r.in_text != "never"),
                                    *(n for n, r in self._suffix if r.in_text != "never")},
                                   key=len))
        self.lookup: Callable[[str], FieldRule | None] = short_key_cache(self._lookup)
        self.lookup_in: Callable[[str, str], FieldRule | None] = short_key_cache(
            self._lookup_in)
        self._sibling_entry: Callable[[str], tuple[FieldRule, frozenset[str]] | None] = (
            short_key_cache(lambda key: self._siblings.get(normalise_key(key))))

    def _lookup_in(self, key: str, parent: str) -> FieldRule | None:
        """The rule for ``key`` inside an object held under ``parent`` (``billing.name``)."""
        rule = self.lookup(key)
        if rule is None and self._scoped:
            rule = self._scoped.get((normalise_key(key), normalise_key(parent)))
        return rule

    def lookup_beside(self, key: str, keys: Iterable[object]) -> FieldRule | None:
        """The rule for ``key`` in an object whose keys are ``keys`` (``city`` beside
        ``street``), for rules with ``beside_any``."""
        entry = self._sibling_entry(key) if self._siblings else None
        if entry is None:
            return None
        rule, beside = entry
        return rule if any(isinstance(k, str) and normalise_key(k) in beside
                           for k in keys) else None

    def _lookup(self, key: str) -> FieldRule | None:
        norm = normalise_key(key)
        if not norm or norm in self._ignored:
            return None
        rule = self._exact.get(norm)
        if rule is not None:
            return rule
        for suffix, rule in self._suffix:
            if norm.endswith(suffix):
                return rule
        if "." in key:
            # the last part of a namespaced setting: connection.pwd, spring.mail.pass
            # (credentials only: pod.name or geo.city are not a person or an address)
            last = self._lookup(key.rsplit(".", 1)[1])
            if last is not None and last.entity in _NAMESPACED:
                return last
        return None

    def is_token(self, text: str, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` is exactly a token an earlier pass wrote."""
        return self._tokens.is_token(text, start, end)

    @property
    def names(self) -> tuple[str, ...]:
        """Every sensitive name (normalised) that a text is searched for."""
        return self._names

    def find_in_text(
        self, text: str, lowered: str, deadline: float, has_name: bool | None = None
    ) -> list[Finding]:
        """Findings for the values of sensitive ``key=value`` pairs in ``text``.

        ``has_name`` is the prefilter's answer (:class:`Prefilter`) to "does a
        sensitive name occur in the text"; None asks this method to look itself.
        Raises BudgetExceeded past ``deadline`` (``_clock.now()``).
        """
        if has_name is None:
            stripped = lowered.translate(KEY_STRIP)
            has_name = any(name in stripped for name in self._names)
        if not has_name:
            return []
        found: list[Finding] = []
        masked: list[tuple[int, int]] | None = None
        n = 0
        try:
            for pairs in pair_patterns(text):
                pos: int | None = 0
                while pos is not None:
                    start, pos = pos, None
                    for m in pairs.finditer(text, start, timeout=time_left(deadline)):
                        n += 1
                        if n % _CLOCK_EVERY == 0 and _clock.now() > deadline:
                            raise BudgetExceeded("record time budget exceeded")
                        finding = self._pair_finding(text, m)
                        if finding is None:
                            # the value of a key that is not sensitive may hold pairs of its
                            # own (JAVA_OPTS=-Dx.password=pw, error: connection.password=pw)
                            # or be a key itself ($env:DB_PASSWORD = "pw"): look again there
                            value = value_start(m)
                            if may_hold_a_pair(text, value, m.end()):
                                pos = value
                                break
                            continue
                        if masked is None:
                            masked = self._tokens.spans(text)
                        if not any(s <= m.start() < e for s, e in masked):
                            found.append(finding)  # not a pair inside a token we wrote
        except TimeoutError:
            raise BudgetExceeded("record time budget exceeded") from None
        return found

    def _pair_finding(self, text: str, m: regex.Match[str]) -> Finding | None:
        """The finding for one ``key=value`` pair, or None when it needs no mask."""
        rule = self.lookup(m.group("key"))
        if rule is None:
            return None
        which = value_group(m)
        if rule.in_text == "never" or (rule.in_text == "quoted" and which == "v4"):
            return None
        start, end = m.span(which)
        ident = self._identifiers.get(id(rule)) if which == "v4" else None
        if ident is not None and _is_identifier(ident, text, start, end):
            return None  # an unquoted object or session id such as 0x14ed93111f20005
        if which == "v4" and _AUTH_SCHEME.fullmatch(text, start, end):
            cred = _AFTER_SCHEME.match(text, end)
            if cred is None:
                return None  # "Authorization: Bearer" with nothing after it
            start, end = cred.span(1)
        if which == "v4" and end - start <= 2 and text[start:start + 1].isupper():
            rest = _AFTER_APOSTROPHE.match(text, end)
            end = end if rest is None else rest.end()
        if which == "v4" and (rule.entity == "PERSON" or _capitalised_word(text, start, end)):
            # cardholder=MARIA GARCIA, "cc: Ana Ruiz" (a mail header, not a card): the
            # whole name, whatever the key was meant to hold
            end = _rest_of_name(text, end)
            if rule.entity in _NUMBER_ENTITIES and self._person is not None:
                rule = self._person
        if self._tokens.is_token(text, start, end):
            return None  # exactly a token an earlier pass wrote
        return field_finding_at(rule, start, end)
