"""Mask operators: what a finding is replaced with.

- placeholder: ``[MASKED-EMAIL]``
- partial: ``[MASKED-CREDIT_CARD-1111]``, the last characters kept
- pseudonym: ``[EMAIL:9f2c41d7a0b3]``, HMAC-SHA256 under a secret key: the same value
  gives the same token in every record, process and restart
- drop: the value (or, in JSON, the whole field) is removed

Every token matches ``records.MASK_TOKEN``, so a second pass leaves it alone.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import unquote

from processor.errors import ConfigError
from processor.records import FALLBACK_TOKEN
from processor.settings import OperatorOverride

__all__ = ["FALLBACK_TOKEN", "Masker"]


class Masker:
    """Turns (entity, operator, value) into the text that replaces the value."""

    def __init__(
        self,
        pseudonym_key: bytes | None,
        overrides: Mapping[str, OperatorOverride] | None = None,
    ) -> None:
        self._key = pseudonym_key
        self._overrides = dict(overrides or {})
        for entity, override in self._overrides.items():
            if override.operator == "pseudonym" and not pseudonym_key:
                raise ConfigError(
                    f"scrub.operators.{entity}: pseudonym needs scrub.pseudonym_key "
                    "(LOGSCRUB_SCRUB__PSEUDONYM_KEY)"
                )

    def operator_for(self, entity: str, operator: str, keep_last: int) -> tuple[str, int]:
        """The operator in force for an entity: a settings override beats the rule."""
        override = self._overrides.get(entity)
        if override is not None:
            return override.operator, override.keep_last
        return operator, keep_last

    def token(self, entity: str, operator: str, keep_last: int, value: str) -> str | None:
        """The replacement text, or None when the value is to be dropped."""
        operator, keep_last = self.operator_for(entity, operator, keep_last)
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
