"""Placeholders that stand where a credential would be: variables, templates, redactions.

``password=${DB_PASSWORD}``, ``PGPASSWORD=$PGPASS``, ``Authorization: Bearer <token>``,
``"password": "[FILTERED]"`` and ``password: ********`` hold no secret: a config or a
client already kept it out. Masking them hides what an on-call engineer needs to see
(which variable was used, that the client redacted) and, when a value pattern stops
inside one, leaves debris (``[MASKED-PASSWORD]}``).

The shapes are narrow on purpose, because a value that passes here is not masked:

- only credentials (passwords, tokens, keys, secrets, cookies) and numbers (phones,
  cards, SSNs), which no placeholder can be; a name, address or email is masked whatever
  it looks like ("Null" is a family name);
- a variable or template holds a bare name only: ``${DB_PASSWORD}`` or ``${db.password}``,
  never a default (``${PW:-Hunter2}``), a command (``$(...)``), code (``<%= %>``) or
  lower-case text that could be the secret itself (``${Hunter2}``, ``{{s3cret}}``);
- a ``$NAME`` or ``%NAME%`` variable, a ``YOUR_...`` or ``<...>`` stand-in must carry
  no digits, and the latter a word that says what it stands for (``<your-token>``);
- the placeholder must be the whole value; anything glued after it
  (``${PREFIX}s3cret``) is masked, to the end of the value.
"""

from __future__ import annotations

import regex

__all__ = ["NUMBER_ENTITIES", "holds_no_number", "is_placeholder", "placeholder_end",
           "placeholder_for", "takes_placeholders"]

# what a placeholder may be named for
_ABOUT = r"(?i:pass|pwd|secret|token|key|auth|cred|redact|hidden|mask|filter|remov|your)"
_ENV = r"[A-Z][A-Z_]{1,60}"  # an environment variable: capitals and underscores
_PATH = r"\.?[A-Za-z_][A-Za-z0-9_-]{0,40}(?:\.[A-Za-z_][A-Za-z0-9_-]{0,40}){1,6}"  # a.b.c
_PLACEHOLDER = regex.compile(
    rf"""
    (?:
      \$\{{(?:{_ENV}|{_PATH})\}}                     # ${{DB_PASSWORD}}, ${{db.password}}
     |\$\{{\{{[ ]?(?:{_ENV}|{_PATH})[ ]?\}}\}}        # ${{{{ secrets.DB_PASSWORD }}}}
     |\{{\{{[ ]?(?:{_PATH}|[a-z]+(?:_[a-z]+)+)[ ]?\}}\}}  # {{{{ .Values.db.password }}}}
     |\$(?={_ENV}(?![\w]))(?=[A-Z_]*{_ABOUT})[A-Z][A-Z_]{{1,60}}  # $PGPASS, $DB_TOKEN
     |%(?=[A-Z_]*{_ABOUT})[A-Z][A-Z_]{{1,60}}%     # %DB_PASS%
     |%\([a-z_]{{1,40}}\)s|%s                       # %(password)s, %s
     |\$\d{{1,3}}(?![\w.])                          # $2: PostgreSQL's bind parameter
     |(?:os\.getenv|os\.environ(?:\.get)?|System\.getenv|getenv|process\.env|ENV|env)
      (?:\(["']?{_ENV}["']?\)|\[["']{_ENV}["']\]|\.{_ENV})  # os.getenv('DB_PASSWORD')
     |@Value\("\$\{{{_PATH}\}}"\)                   # @Value("${{db.password}}")
     |YOUR_[A-Z_]{{2,40}}|your-[a-z-]{{2,40}}-here   # YOUR_API_KEY
     |<(?=[A-Za-z _.-]*{_ABOUT})[A-Za-z][A-Za-z _.-]{{0,40}}>   # <redacted>, <your-token>
     |\[(?i:redacted|filtered|masked|hidden|removed|secret|sensitive|omitted)\]
     |(?i:redacted|filtered|hidden|removed|omitted|null|none|nil|undefined)(?![\w-])
     |\((?i:none|null|empty|not[ ]set|unset|redacted|hidden|filtered|masked
            |sensitive(?:[ ]value)?)\)                # (sensitive value): Terraform
     |\*{{2,}}(?i:redacted|removed|hidden|filtered|masked|secret)\*{{2,}}  # ***REMOVED***
     |!vault(?=[ ]|\Z)
     |\*{{3,}}|•{{3,}}|x{{6,}}|X{{6,}}
     |[?-](?=[\s"',;)]|\Z)                           # a bind parameter, an empty value
    )
    """,
    regex.VERBOSE,
)
# what may follow a placeholder that is a whole value
_VALUE_END = regex.compile(r"""\Z|[\s"'`,;&|)\]}>@/?#]""")
# the rest of a value glued to a placeholder: ${PREFIX}s3cret
_REST = regex.compile(r"""[^\s"'`,;&|)\]}>@/?#]*""")
# what a value pattern may have left between its end and the placeholder's end
_CLOSERS = frozenset("})]>%\"'")
_CREDENTIAL_WORDS = ("PASSWORD", "SECRET", "TOKEN", "KEY", "AUTHORIZATION", "CREDENTIAL",
                     "COOKIE", "SAS")
# numbers: no placeholder (all without digits) can be one ("tel=none", "card: ****")
NUMBER_ENTITIES = frozenset(("PHONE_NUMBER", "CREDIT_CARD", "IBAN", "US_SSN", "CVV",
                             "DATE_OF_BIRTH"))


# the fewest digits a value of a number entity has (a CVV has 3)
_MIN_DIGITS = 3


def holds_no_number(entity: str, value: str) -> bool:
    """Whether ``value`` has too few digits to be a value of a number entity: "N/A",
    "unknown", "tbd" or a 0/1 flag under a phone, card or IBAN key is no such number."""
    return entity in NUMBER_ENTITIES and sum(c.isdigit() for c in value) < _MIN_DIGITS


def takes_placeholders(entity: str) -> bool:
    """Whether a placeholder may stand in for a value of ``entity``: credentials, and
    numbers, which no placeholder can be. Not names, addresses or emails ("Null" is a
    family name)."""
    return entity in NUMBER_ENTITIES or any(word in entity for word in _CREDENTIAL_WORDS)


# a template or substitution that a value begins with, to its closer on the same line
_BRACKETED = regex.compile(
    r"\$\(\(?[^()\n]{0,200}\)\)?|\$\{\{[^{}\n]{0,200}\}\}|\{\{[^{}\n]{0,200}\}\}"
    r"|<%=?[^%\n]{0,200}%>|[$#]\{[^{}\n]{0,200}\}"
)


def placeholder_end(text: str, start: int, end: int) -> int | None:
    """Where the value found at ``text[start:end]`` really ends, or None if it is none.

    None when a placeholder starts at ``start``, covers the value (a pattern may have
    stopped before its closing brace) and ends it. When more of the value is glued to
    the placeholder (``${PREFIX}s3cret``), the end of that value, so that the whole of
    it is masked; the same for a template or substitution that is no placeholder
    (``<% Hunter2 %>``), whose span a pattern may have cut at a space. Otherwise
    ``end`` unchanged.
    """
    m = _PLACEHOLDER.match(text, start)
    # a pattern stops at a space, so a bracketed phrase ("(sensitive value)") may
    # reach past ``end`` with more than closers
    if m is None or m.end() < end or not (
        _CLOSERS.issuperset(text[end : m.end()]) or text[start] == "("
    ):
        # a value that opens a template or a substitution ends at its closer, not at the
        # first space or brace inside it: "<% Hunter2 %>", "$(echo Hunter2)"
        b = _BRACKETED.match(text, start)
        if b is None or b.end() <= end:
            return end
        return _rest_end(text, b.end())
    if _VALUE_END.match(text, m.end()):
        return None
    return _rest_end(text, m.end())


def _rest_end(text: str, pos: int) -> int:
    """The end of the value characters glued at ``pos``."""
    rest = _REST.match(text, pos)
    return pos if rest is None else int(rest.end())


def is_placeholder(value: str) -> bool:
    """Whether all of ``value`` is one placeholder."""
    return bool(value) and _PLACEHOLDER.fullmatch(value) is not None


def placeholder_for(entity: str, value: str) -> bool:
    """Whether all of ``value``, held under a key of ``entity``, is a placeholder that
    may stand in for it (``password: ${DB_PASSWORD}``; never a name: "Null"), or, under
    a number's key, has too few digits to be one (``"phone": "N/A"``)."""
    return takes_placeholders(entity) and (is_placeholder(value)
                                           or holds_no_number(entity, value))
