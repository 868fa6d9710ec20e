"""Placeholders that stand where a secret would be: variables, templates, redactions.

``password=${DB_PASSWORD}``, ``PGPASSWORD=$PGPASS``, ``Authorization: Bearer <token>``,
``"password": "[FILTERED]"`` and ``password: ********`` hold no secret: a config or a
client already kept it out. Masking them hides what an on-call engineer needs to see
(which variable was used, that the client redacted) and, when a value pattern stops
inside one, leaves debris (``[MASKED-PASSWORD]}``). A value is a placeholder only when
one of these shapes covers all of it; anything after it (``${PREFIX}s3cret``) is masked
as before.
"""

from __future__ import annotations

import regex

__all__ = ["is_placeholder", "placeholder_end"]

_PLACEHOLDER = regex.compile(
    r"""
    (?:
      \$\{[^{}\s]{1,80}\}                      # ${DB_PASSWORD}, ${env:TOKEN}
     |\$\{\{[^{}]{0,120}\}\}                  # ${{ secrets.DB_PASSWORD }}
     |\$\([^()]{1,120}\)                      # $(cat /run/secrets/db)
     |\$[1-9](?!\d)                           # $1 (a positional parameter)
     |<%=?[^%]{0,120}%>                       # <%= ENV['DB_PASS'] %>
     |(?:os\.getenv|os\.environ(?:\.get)?|System\.getenv|getenv|process\.env|ENV|env)
      (?:\(["']?[A-Za-z_][\w.]{0,60}["']?\)|\[["'][A-Za-z_][\w.]{0,60}["']\]
         |\.[A-Za-z_][\w]{0,60})                # os.getenv('X'), process.env.X, env(X)
     |@Value\("\$\{[^{}"]{1,80}\}"\)            # @Value("${db.password}")
     |!vault(?=[ ]|\Z)                        # an Ansible vault tag
     |YOUR_[A-Z0-9_]{2,40}|your-[a-z-]{2,40}-here   # YOUR_API_KEY, your-client-secret-here
     |\((?i:none|null|empty|not[ ]set|unset)\)  # (none)
     |[?-](?=[\s"',;)]|\Z)                      # a bind parameter, an empty value
     |(?i:true|false)(?![\w-])
     |\$[A-Z][A-Z0-9_]{2,60}(?![a-z0-9])       # $PGPASS (shell variables are capitals)
     |%\([A-Za-z_][A-Za-z0-9_]{0,40}\)[sdr]    # %(password)s
     |%[sdr](?![A-Za-z0-9])                    # %s
     |%[A-Z][A-Z0-9_]{1,60}%                   # %DB_PASS% (Windows)
     |\{\{[^{}]{0,120}\}\}                     # {{ .Values.db.password }}
     |\#\{[^{}\s]{1,80}\}                      # #{secret}
     |<[A-Za-z][A-Za-z0-9 _.-]{0,40}>          # <redacted>, <your-token>
     |\[(?i:redacted|filtered|masked|hidden|removed|secret|sensitive|omitted)\]
     |(?i:redacted|filtered|hidden|removed|omitted|null|none|nil|undefined)(?![\w-])
     |\*{3,}|•{3,}|x{6,}|X{6,}
    )
    """,
    regex.VERBOSE,
)


# what may follow a placeholder that is a whole value
_VALUE_END = regex.compile(r"""\Z|[\s"'`,;&|)\]}>]""")
# the rest of a value glued to a placeholder: ${PREFIX}s3cret
_REST = regex.compile(r"""[^\s"'`,;&|)\]}>]*""")


def placeholder_end(text: str, start: int, end: int) -> int | None:
    """Where the value found at ``text[start:end]`` really ends, or None if it is none.

    None when a placeholder starts at ``start``, reaches ``end`` and ends the value
    (nothing to mask). When more of the value is glued to the placeholder (a pattern
    stopped at its brace: ``${PREFIX}s3cret``), the end of that value, so that the whole
    of it is masked. Otherwise ``end`` unchanged.
    """
    m = _PLACEHOLDER.match(text, start)
    if m is None or m.end() < end:
        return end
    if _VALUE_END.match(text, m.end()):
        return None
    rest = _REST.match(text, m.end())
    return rest.end() if rest is not None else end


def is_placeholder(value: str) -> bool:
    """Whether all of ``value`` is one placeholder."""
    return bool(value) and _PLACEHOLDER.fullmatch(value) is not None
