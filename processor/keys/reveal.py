"""Turn ``ENC[...]`` tokens back into values: the one place plaintext is recovered.

Only the debug API calls this, after Cedar allowed the reveal and before the audit
event is acknowledged the value stays inside the process. Outcomes carry the entity,
the kid and a fixed reason code; the value goes only into the response body.

Reasons a reveal fails: ``malformed``, ``unknown_key`` (no such kid, or destroyed:
crypto-shredded), ``subject_forgotten`` (the subject is on the tombstone list) and
``integrity`` (the token was altered or relabelled).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from processor.keys.provider import KeyringKeys
from processor.masking.encryption import ParsedToken, TokenCipher, TokenError, parse_token

__all__ = ["RevealOutcome", "Revealer"]


@dataclass(frozen=True, slots=True)
class RevealOutcome:
    """One token's result: a value, or the reason there is none."""

    token: str
    entity: str
    kid: str
    value: str | None = None
    error: str | None = None


class Revealer:
    """Decrypts tokens with the keyring, honouring destroyed keys and forgotten subjects."""

    def __init__(self, keys: KeyringKeys) -> None:
        self._keys = keys
        self._cipher = TokenCipher(keys, {})

    @staticmethod
    def parse(token: str) -> ParsedToken | None:
        """The token's fields, or None when it is not a well-formed token."""
        try:
            return parse_token(token)
        except TokenError:
            return None

    def _forgotten(self, parsed: ParsedToken) -> bool:
        if parsed.subject_tag is None:
            return False
        dek = self._keys.dek(parsed.kid)
        if dek is None:
            return False  # decrypt says unknown_key
        return any(hmac.compare_digest(self._cipher.subject_tag(dek, digest), parsed.subject_tag)
                   for digest in self._keys.forgotten())

    def reveal(self, token: str) -> RevealOutcome:
        """The value inside ``token``, or the reason it cannot be had."""
        parsed = self.parse(token)
        if parsed is None:
            return RevealOutcome(token, "", "", error="malformed")
        if self._forgotten(parsed):
            return RevealOutcome(token, parsed.entity, parsed.kid, error="subject_forgotten")
        try:
            value = self._cipher.decrypt(parsed)
        except TokenError as exc:
            return RevealOutcome(token, parsed.entity, parsed.kid, error=exc.reason)
        return RevealOutcome(token, parsed.entity, parsed.kid, value=value)
