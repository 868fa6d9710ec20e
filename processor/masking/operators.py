"""Mask operators: what a finding is replaced with.

- placeholder: ``[MASKED-EMAIL]``
- partial: ``[MASKED-CREDIT_CARD-1111]``, the last characters kept
- pseudonym: ``[EMAIL:9f2c41d7a0b3]``, HMAC-SHA256 under a secret key: the same value
  gives the same token in every record, process and restart
- drop: the value (or, in JSON, the whole field) is removed

The operator is chosen once, when a finding is made (:mod:`processor.masking.policy`);
the masker only writes the token that operator asks for. Every token it writes is one
that :class:`processor.masking.tokens.TokenShapes` recognises, so a second pass leaves
it alone.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import unquote

from processor.records import FALLBACK_TOKEN

__all__ = ["FALLBACK_TOKEN", "Masker"]


class Masker:
    """Turns (entity, operator, value) into the text that replaces the value."""

    def __init__(self, pseudonym_key: bytes | None) -> None:
        self._key = pseudonym_key

    def token(self, entity: str, operator: str, keep_last: int, value: str) -> str | None:
        """The replacement text, or None when the value is to be dropped."""
        if operator == "drop":
            return None
        if operator == "partial":
            tail = "".join(c for c in value if c.isalnum())
            # keep the tail only when it leaves most of the value hidden
            if keep_last and len(tail) >= 3 * keep_last:
                return f"[MASKED-{entity}-{tail[-keep_last:]}]"
            return f"[MASKED-{entity}]"
        if operator == "pseudonym":
            if not self._key:
                return f"[MASKED-{entity}]"  # fail closed: no key, no pseudonym
            canonical = unquote(value).strip().lower() if entity == "EMAIL" else value.strip()
            digest = hmac.new(self._key, f"{entity}\0{canonical}".encode(), hashlib.sha256)
            return f"[{entity}:{digest.hexdigest()[:12]}]"
        return f"[MASKED-{entity}]"
