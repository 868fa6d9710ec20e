"""How a key is paired with its value in text: the notations the field-name pass reads.

``key=value``, ``key: value``, ``key => value`` and ``key := value`` in every quoting
(logfmt, query strings, dict reprs, headers, JSON held in strings, YAML), and the other
notations that logs use: EDN keywords, argument lists, Markdown table rows, calls and
setters with a quoted name, Dockerfile ``ENV``, XML elements and attributes. Every
pattern names the key ``key`` and its value one of ``v1`` to ``v5`` (the last group of
the match); ``v4`` is an unquoted value.
"""

from __future__ import annotations

import regex

__all__ = ["may_hold_a_pair", "pair_patterns", "value_group", "value_start"]

# the value groups of the pair patterns (v4: a bare, unquoted value)
_VALUES = ("v1", "v2", "v3", "v4", "v5")

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
      | (?![|>][+-]?[1-9]?[+-]?[ \t]*(?:\r?\n|(?:\\r)?\\n|$))
        (?P<v4>\[[^\s,;&}"'<>\\]{0,8192}|[^\s,;&}\])"'<>\\]{1,8192})
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
    r"[ \t]{0,4}(?!\\[nrt])(?P<v3>[^|\s](?:[^|\n\\]{0,8190}[^|\s\\])?)[ \t]{0,4}(?=\|)"
)
# a row of psql's expanded display (\x): "password | pw", the value to the line's end
_EXPANDED_ROW = regex.compile(
    r"(?:^|(?<=\n)|(?<=\\n))[ \t]{0,4}(?P<key>[A-Za-z_][A-Za-z0-9_.\-]{0,63})[ \t]{0,40}"
    r"\|[ \t]{1,4}"
    r"(?P<v3>[^|\s\\](?:[^|\n\\]{0,8190}[^|\s\\])?)[ \t]{0,4}(?=\r?\n|\\[rn]|\Z)"
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
# a YAML block scalar (password: |, key: >-) takes the lines indented under its key, in
# text with real or escaped (\n) line ends; the | alone is no value (see _PAIR)
_YAML_BLOCK = regex.compile(
    r"(?:^|(?<=\n)|(?<=\\n))(?P<ind>[ \t]{0,32})(?:-[ \t]{1,4})?"
    r"(?P<key>[\p{L}_][\p{L}\p{M}\p{N}_.\-]{0,63})[\"']?:[ \t]{1,3}[|>][+-]?[1-9]?[+-]?[ \t]*"
    r"(?:\r?\n|(?:\\r)?\\n)(?P=ind)[ \t]{1,16}"
    r"(?P<v5>\S(?:(?!\\[rn])[^\r\n]){0,8191}"
    r"(?:(?:\r?\n|(?:\\r)?\\n)(?P=ind)[ \t]{1,16}\S(?:(?!\\[rn])[^\r\n]){0,8191}){0,64})"
)
_OTHER_PAIRS = ((" :", _KEYWORD), ("{:", _KEYWORD), ("[:", _KEYWORD), ("'-", _FLAG_IN_LIST),
                ('"-', _FLAG_IN_LIST), ("|", _TABLE_ROW), (" | ", _EXPANDED_ROW),
                ("('", _CALL_ARGS),
                ('("', _CALL_ARGS), ("('", _SETTER), ('("', _SETTER), ("ENV", _ENV_INSTRUCTION),
                (" key=", _XML_NAMED), (" name=", _XML_NAMED), (" value=", _XML_VALUE),
                (": |", _YAML_BLOCK), (": >", _YAML_BLOCK))
# an XML element holding text only: <password>hunter2</password>, <city id="3">Lyon</city>,
# <wsse:Password Type="...">pw</wsse:Password>
_ELEMENT = regex.compile(
    r"<(?:[A-Za-z_][\w.\-]{0,63}:)?(?P<key>[A-Za-z_][A-Za-z0-9_.\-]{0,63})(?:[ \t][^<>]{0,256})?>"
    r"(?P<v5>[^<>\n]{1,8192})</(?:[A-Za-z_][\w.\-]{0,63}:)?(?P=key)>"
)


def pair_patterns(text: str) -> list[regex.Pattern[str]]:
    """The pair patterns worth running on ``text``: each other notation needs its mark."""
    found = [_PAIR]
    for mark, pattern in _OTHER_PAIRS:
        if mark in text and pattern not in found:
            found.append(pattern)
    if "</" in text:
        found.append(_ELEMENT)
    return found


def value_group(m: regex.Match[str]) -> str:
    """The name of the value group that matched (every pair pattern ends with its value)."""
    last: str | None = m.lastgroup
    if last is not None and last in _VALUES:
        return last
    return next(g for g in _VALUES if g in m.re.groupindex and m.start(g) >= 0)


def value_start(m: regex.Match[str]) -> int:
    """Where the value of a pair match starts (always after the match's own start)."""
    return int(m.start(value_group(m)))


# a separator right after a value: the value was a key ($env:DB_PASSWORD = "pw")
_SEPARATOR_AFTER = regex.compile(r"[ \t]{0,3}(?:=|:(?!//))")


def may_hold_a_pair(text: str, start: int, end: int) -> bool:
    """Whether the value at ``text[start:end]`` may hold a pair, or be a key itself."""
    return (text.find("=", start, end) >= 0 or text.find(":", start, end) >= 0
            or _SEPARATOR_AFTER.match(text, end) is not None)
