"""The exact mask tokens a loaded rule set can write, and nothing shaped like one.

A value that is exactly such a token was masked by an earlier pass and is left alone,
so scrubbing twice changes nothing. Anything around or after a token, and any token
this rule set could not have written (``[MASKED-X-hunter22]``), is scanned like any
other text: otherwise whoever writes a log line could smuggle a secret past the
scrubber by dressing it up as a mask.

``ENC[v1:...]`` tokens of the ``encrypt`` operator are held to more than their shape:
such a token counts only when it also authenticates under a key of the keyring (the
``verify`` callable), so no attacker-made ``ENC[...]`` can carry a secret through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import regex

from processor.masking.encryption import enc_token_pattern
from processor.records import FALLBACK_TOKEN

__all__ = ["TokenShapes"]


def _alternation(names: Iterable[str]) -> str:
    return "|".join(regex.escape(n) for n in sorted(set(names), key=lambda n: (-len(n), n)))


class TokenShapes:
    """Recognises the tokens written for (entity, operator, keep_last) triples."""

    def __init__(
        self,
        operators: Iterable[tuple[str, str, int]],
        pseudonyms: bool,
        verify: Callable[[str], bool] | None = None,
    ) -> None:
        triples = list(operators)
        self.triples = tuple(triples)
        entities = {entity for entity, _op, _keep in triples}
        branches = [rf"MASKED-(?:{_alternation(entities)})"] if entities else []
        tails: dict[int, set[str]] = {}
        for entity, op, keep in triples:
            if op == "partial" and keep:
                tails.setdefault(keep, set()).add(entity)
        for keep, names in sorted(tails.items()):
            branches.append(rf"MASKED-(?:{_alternation(names)})-[A-Za-z0-9]{{{keep}}}")
        pseudo = {entity for entity, op, _keep in triples if op == "pseudonym"}
        if pseudonyms and pseudo:
            branches.append(rf"(?:{_alternation(pseudo)}):[0-9a-f]{{12}}")
        body = "|".join(branches) or r"(?!)"
        alternatives = [rf"\[(?:{body})\]", regex.escape(FALLBACK_TOKEN)]
        encrypted = sorted({entity for entity, op, _keep in triples if op == "encrypt"})
        self._verify = verify
        if verify is not None and encrypted:
            alternatives.append(enc_token_pattern(encrypted))
        self._token = regex.compile("|".join(alternatives))

    def _genuine(self, token: str) -> bool:
        """Mask tokens by shape; encrypted ones only when they authenticate."""
        if token.startswith("ENC["):
            return self._verify is not None and self._verify(token)
        return True

    def is_token(self, text: str, start: int = 0, end: int | None = None) -> bool:
        """True when ``text[start:end]`` is exactly one token."""
        m = self._token.fullmatch(text, start, len(text) if end is None else end)
        return m is not None and self._genuine(m.group())

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where tokens sit in ``text``."""
        if "[" not in text:
            return []
        return [m.span() for m in self._token.finditer(text) if self._genuine(m.group())]
