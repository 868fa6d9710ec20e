"""Mask operators: what a finding is replaced with.

- placeholder: ``[MASKED-EMAIL]``
- partial: ``[MASKED-CREDIT_CARD-1111]``, the last characters kept
- pseudonym: ``[EMAIL:9f2c41d7a0b3]``, HMAC-SHA256 under a secret key: the same value
  gives the same token in every record, process and restart
- drop: the value (or, in JSON, the whole field) is removed
- encrypt: ``ENC[v1:EMAIL:k2-9f3a1c:s:...]`` (:mod:`processor.masking.encryption`); a
  record with more encrypted values than ``max_encrypted`` gets ``[MASKED-EMAIL]``
  instead, and so does any value when no active key is available

The operator is chosen once, when a finding is made (:mod:`processor.masking.policy`);
the masker only writes the token that operator asks for. Every token it writes is one
that :class:`processor.masking.tokens.TokenShapes` recognises, so a second pass leaves
it alone.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
from urllib.parse import unquote

from processor.masking.encryption import TokenCipher
from processor.records import FALLBACK_TOKEN

__all__ = ["FALLBACK_TOKEN", "Masker"]

#: Entities whose ``partial`` tail is the last digits of a number (a card, an account).
_DIGIT_TAILS = frozenset(("CREDIT_CARD", "IBAN"))


class Masker:
    """Turns (entity, operator, value) into the text that replaces the value."""

    def __init__(self, pseudonym_key: bytes | None, cipher: TokenCipher | None = None,
                 max_encrypted: int = 16) -> None:
        self._key = pseudonym_key
        self.cipher = cipher
        self.max_encrypted = max_encrypted
        self._subject: str | None = None
        self._encrypt = cipher is not None

    def for_record(self, subject: str | None, encrypted: int) -> Masker:
        """This masker for one record: its subject, and whether its ``encrypted``
        values stay within the bound (otherwise they are masked)."""
        if self.cipher is None:
            return self
        bound = copy.copy(self)
        bound._subject = subject
        bound._encrypt = encrypted <= self.max_encrypted
        return bound

    def token(self, entity: str, operator: str, keep_last: int, value: str) -> str | None:
        """The replacement text, or None when the value is to be dropped."""
        if operator == "drop":
            return None
        if operator == "encrypt":
            if self.cipher is None or not self._encrypt:
                return f"[MASKED-{entity}]"
            token = self.cipher.encrypt(entity, value, self._subject)
            return token if token is not None else f"[MASKED-{entity}]"
        if operator == "partial":
            tail = "".join(c for c in value if c.isalnum())
            # keep the tail only when it leaves most of the value hidden; a card's or an
            # account's tail is digits, so other text under a card key ("cc: Ana Ruiz",
            # a mail header) keeps nothing: its tail would be a piece of a person
            if (keep_last and len(tail) >= 3 * keep_last
                    and (entity not in _DIGIT_TAILS or tail[-keep_last:].isdigit())):
                return f"[MASKED-{entity}-{tail[-keep_last:]}]"
            return f"[MASKED-{entity}]"
        if operator == "pseudonym":
            if not self._key:
                return f"[MASKED-{entity}]"  # fail closed: no key, no pseudonym
            canonical = unquote(value).strip().lower() if entity == "EMAIL" else value.strip()
            digest = hmac.new(self._key, f"{entity}\0{canonical}".encode(), hashlib.sha256)
            return f"[{entity}:{digest.hexdigest()[:12]}]"
        return f"[MASKED-{entity}]"
