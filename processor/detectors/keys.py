"""Sensitive field names: values under keys such as ``password`` or ``card_number``.

Works on structured keys (JSON) and on ``key=value`` / ``key: value`` pairs inside
free text: logfmt, query strings, Python dict reprs, HTTP headers, JSON held in
strings and XML elements (``<password>...</password>``). Names are normalised (lower
case, ``-``, ``_``, ``.`` and spaces removed), so ``apiKey``, ``API-KEY`` and
``api_key`` are the same name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import regex

from processor.detectors import _clock
from processor.detectors._clock import time_left
from processor.detectors.validators import VOCABULARY
from processor.errors import BudgetExceeded
from processor.masking.tokens import TokenShapes
from processor.records import Finding
from processor.rules.schema import FieldRule

__all__ = ["EXTRA_FIELDS_ENTITY", "FieldNames", "normalise_key"]

#: The entity of values under ``scrub.extra_sensitive_fields``.
EXTRA_FIELDS_ENTITY = "SENSITIVE_FIELD"

_STRIP = str.maketrans("", "", "-_. \t")

# key, optional closing quote, separator, then one of four value shapes
_PAIR = regex.compile(
    r"""
    (?:(?<![\p{L}\p{N}_.\-])|(?<=(?:^|[\s"'\[(,=])--?))(?P<key>[\p{L}_][\p{L}\p{M}\p{N}_.\-]{0,63})
    (?:\\?["'])?\]?
    [ \t]{0,3}(?:=>|:=|=|:(?!//))[ \t]{0,3}
    (?:!!(?:str|binary)[ \t])?
    (?:
        \\"(?P<v1>(?:(?!\\").){1,8192}?)\\"
      | "(?P<v2>(?:[^"\\\n]|\\.){1,8192})"
      | '(?P<v3>[^'\n]{1,8192})'
      | (?P<v4>\[[^\s,;&}"'<>\\]{0,8192}|[^\s,;&}\])"'<>\\]{1,8192})
    )
    """,
    regex.VERBOSE,
)
# other ways to pair a key with its value: an EDN or Clojure keyword (:password "pw"), a
# flag and its value in an argument list (['--password', 'pw']), and a Markdown or ASCII
# table row (| password | pw |), whose cell is as plain an edge as a quote
# (each is tried only when the text holds its mark: most lines hold none)
_KEYWORD = regex.compile(
    r'(?<![\w:]):(?P<key>[A-Za-z_][A-Za-z0-9_.\-]{0,63})[ \t]{1,3}'
    r'"(?P<v2>(?:[^"\\\n]|\\.){1,8192})"'
)
_FLAG_IN_LIST = regex.compile(
    r"(?P<q>[\"'])--?(?P<key>[A-Za-z_][A-Za-z0-9_.\-]{0,63})(?P=q),[ \t]?"
    r"(?P<q2>[\"'])(?P<v3>(?:(?!(?P=q2))[^\n]){1,8192})(?P=q2)"
)
_TABLE_ROW = regex.compile(
    r"(?:^|(?<=\|)|(?<=\\n))[ \t]{0,4}(?P<key>[A-Za-z_][A-Za-z0-9_.\- ]{0,63}?)[ \t]{0,4}\|"
    r"[ \t]{0,4}(?P<v3>[^|\s](?:[^|\n\\]{0,8190}[^|\s\\])?)[ \t]{0,4}(?=\|)"
)
# a call with a quoted name and a quoted value: define('DB_PASSWORD', 'pw'),
# props.setProperty("password", "pw"), localStorage.setItem('token', '...')
_CALL_ARGS = regex.compile(
    r"(?<![\w.])[A-Za-z_][\w.]{0,63}\([ \t]{0,3}(?P<q>[\"'])(?P<key>[A-Za-z_][A-Za-z0-9_.\-]{0,63})"
    r"(?P=q)[ \t]{0,3},[ \t]{0,3}(?P<q2>[\"'])(?P<v3>(?:(?!(?P=q2))[^\n]){1,8192})(?P=q2)"
)
# a setter named for what it sets: setPassword("pw"), .withPassword("pw"), set_password('pw')
_SETTER = regex.compile(
    r"(?<![\w])(?:set|with|use)_?(?P<key>[A-Za-z][A-Za-z0-9_]{0,63})\([ \t]{0,3}"
    r"(?P<q>[\"'])(?P<v3>(?:(?!(?P=q))[^\n]){1,8192})(?P=q)[ \t]{0,3}\)"
)
# XML attributes: <add key="DbPassword" value="pw"/>, <property name="password" value="pw"/>,
# <entry key="password">pw</entry>, and <password value="pw"/>
_XML_NAMED = regex.compile(
    r"<(?:[A-Za-z_][\w.\-]{0,63}:)?[A-Za-z_][\w.\-]{0,63}[ \t](?:[^<>]{0,256}?[ \t])?"
    r"(?:key|name)=(?P<q>[\"'])(?P<key>[A-Za-z_][A-Za-z0-9_.\-]{0,63})(?P=q)"
    r"(?:[^<>]{0,256}?[ \t]value=(?P<q2>[\"'])(?P<v3>(?:(?!(?P=q2))[^\n<>]){1,8192})(?P=q2)"
    r"|[^<>/]{0,256}>(?P<v5>[^<>\n]{1,8192})</)"
)
_XML_VALUE = regex.compile(
    r"<(?:[A-Za-z_][\w.\-]{0,63}:)?(?P<key>[A-Za-z_][\w.\-]{0,63})[ \t]value="
    r"(?P<q>[\"'])(?P<v3>(?:(?!(?P=q))[^\n<>]){1,8192})(?P=q)"
)
# a Dockerfile's ENV NAME value (the form without =)
_ENV_INSTRUCTION = regex.compile(
    r"(?<![\w-])ENV[ \t]{1,8}(?P<key>[A-Za-z_][A-Za-z0-9_]{0,63})[ \t]{1,8}"
    r"(?:\"(?P<v2>(?:[^\"\\\n]|\\.){1,8192})\"|(?P<v4>[^\s\"'=]\S{0,8191}))"
)
_OTHER_PAIRS = ((" :", _KEYWORD), ("{:", _KEYWORD), ("[:", _KEYWORD), ("'-", _FLAG_IN_LIST),
                ('"-', _FLAG_IN_LIST), ("|", _TABLE_ROW), ("('", _CALL_ARGS),
                ('("', _CALL_ARGS), ("('", _SETTER), ('("', _SETTER), ("ENV", _ENV_INSTRUCTION),
                (" key=", _XML_NAMED), (" name=", _XML_NAMED), (" value=", _XML_VALUE))
# an XML element holding text only: <password>hunter2</password>, <city id="3">Lyon</city>,
# <wsse:Password Type="...">pw</wsse:Password>
_ELEMENT = regex.compile(
    r"<(?:[A-Za-z_][\w.\-]{0,63}:)?(?P<key>[A-Za-z_][A-Za-z0-9_.\-]{0,63})(?:[ \t][^<>]{0,256})?>"
    r"(?P<v5>[^<>\n]{1,8192})</(?:[A-Za-z_][\w.\-]{0,63}:)?(?P=key)>"
)
# the rest of a name written unquoted after its key: holder=Maria de la Cruz exp=...
_MORE_NAME = regex.compile(
    r"(?:[ ](?![^\s=:]*[=:])(?:\p{Lu}[\p{L}\p{M}'’.\-]{0,30}(?<!['’])"
    r"|de|da|di|van|von|der|den|la|le|del|bin|al)){1,3}(?![\p{L}\p{M}\d])"
)
_VALUES = ("v1", "v2", "v3", "v4", "v5")
# entities whose key keeps its meaning after a namespace
_NAMESPACED = frozenset(("PASSWORD", "SECRET", "API_KEY", "CREDENTIAL", "TOKEN"))
_AUTH_SCHEME = regex.compile(r"(?i)(?:bearer|basic|token|digest|negotiate|apikey)")
_AFTER_SCHEME = regex.compile(r"[ \t]+([^\s,;\"'\\]{1,8192})")
# CPU seconds an identifiers_in_text pattern may take on one value; past it, mask
_IDENTIFIER_TIMEOUT = 0.05


def _value_group(m: regex.Match[str]) -> str:
    """The name of the value group that matched (every pair pattern ends with its value)."""
    last: str | None = m.lastgroup
    if last is not None and last in _VALUES:
        return last
    return next(g for g in _VALUES if g in m.re.groupindex and m.start(g) >= 0)


def _value_start(m: regex.Match[str]) -> int:
    """Where the value of a pair match starts (always after the match's own start)."""
    return int(m.start(_value_group(m)))


# a separator right after a value: the value was a key ($env:DB_PASSWORD = "pw")
_SEPARATOR_AFTER = regex.compile(r"[ \t]{0,3}(?:=|:(?!//))")


def _may_hold_a_pair(text: str, start: int, end: int) -> bool:
    """Whether the value at ``text[start:end]`` may hold a pair, or be a key itself."""
    return (text.find("=", start, end) >= 0 or text.find(":", start, end) >= 0
            or _SEPARATOR_AFTER.match(text, end) is not None)


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
    """Whether ``text[start:end]`` is one word of letters with a capital first."""
    return text[start:start + 1].isupper() and text[start:end].isalpha()


def _is_identifier(pattern: regex.Pattern[str], text: str, start: int, end: int) -> bool:
    """True when the value matches the rule's identifier pattern; a timeout means mask."""
    try:
        return pattern.fullmatch(text, start, end, timeout=_IDENTIFIER_TIMEOUT) is not None
    except TimeoutError:
        return False


# how many pairs are looked at between two checks of the clock
_CLOCK_EVERY = 64


def normalise_key(key: str) -> str:
    """``X-Api-Key`` → ``xapikey``."""
    return key.lower().translate(_STRIP)


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
        # prefilter: a text can only hold a sensitive pair if it holds a sensitive name;
        # a loop of substring tests beats one big alternation regex here
        # (names that never count in free text cannot make a text worth a look)
        self._names = tuple(sorted({*(n for n, r in self._exact.items() if r.in_text != "never"),
                                    *(n for n, r in self._suffix if r.in_text != "never")},
                                   key=len))
        self.lookup = lru_cache(maxsize=4096)(self._lookup)
        self.lookup_in = lru_cache(maxsize=4096)(self._lookup_in)

    def _lookup_in(self, key: str, parent: str) -> FieldRule | None:
        """The rule for ``key`` inside an object held under ``parent`` (``billing.name``)."""
        rule = self.lookup(key)
        if rule is None and self._scoped:
            rule = self._scoped.get((normalise_key(key), normalise_key(parent)))
        return rule

    def lookup_beside(self, key: str, keys: Iterable[object]) -> FieldRule | None:
        """The rule for ``key`` in an object whose keys are ``keys`` (``city`` beside
        ``street``), for rules with ``beside_any``."""
        entry = self._siblings.get(normalise_key(key)) if self._siblings else None
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
            stripped = lowered.translate(_STRIP)
            has_name = any(name in stripped for name in self._names)
        if not has_name:
            return []
        found: list[Finding] = []
        masked: list[tuple[int, int]] | None = None
        n = 0
        try:
            for pairs in self._pair_patterns(text):
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
                            value = _value_start(m)
                            if _may_hold_a_pair(text, value, m.end()):
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

    @staticmethod
    def _pair_patterns(text: str) -> list[regex.Pattern[str]]:
        """The pair patterns worth running on ``text``: each other notation needs its mark."""
        found = [_PAIR]
        for mark, pattern in _OTHER_PAIRS:
            if mark in text and pattern not in found:
                found.append(pattern)
        if "</" in text:
            found.append(_ELEMENT)
        return found

    def _pair_finding(self, text: str, m: regex.Match[str]) -> Finding | None:
        """The finding for one ``key=value`` pair, or None when it needs no mask."""
        rule = self.lookup(m.group("key"))
        if rule is None:
            return None
        which = _value_group(m)
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
        if which == "v4" and (rule.entity == "PERSON" or _capitalised_word(text, start, end)):
            # cardholder=MARIA GARCIA, "cc: Ana Ruiz" (a mail header, not a card): the
            # whole name, whatever the key was meant to hold
            end = _rest_of_name(text, end)
        if self._tokens.is_token(text, start, end):
            return None  # exactly a token an earlier pass wrote
        return Finding(start, end, rule.entity, f"field:{rule.entity.lower()}", 1.0,
                       rule.operator, rule.keep_last, "field")
