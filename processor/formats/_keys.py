"""Matching a scrubbed JSON object back to the keys it was built from.

The scrubber keeps an object's order. It may rename a key that holds a secret
(``[MASKED-EMAIL]``, ``[MASKED-EMAIL]#2``) and may drop an entry (the ``drop``
operator), never add one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from processor.errors import FormatError
from processor.records import FALLBACK_TOKEN

__all__ = ["MISSING", "match_keys", "unique_masked_keys"]

#: Stands for a value the scrubber dropped.
MISSING: Any = object()


def match_keys(original: Sequence[str], scrubbed: Any) -> list[tuple[str | None, Any]]:
    """Per original key: its key in ``scrubbed`` (None when dropped) and its value.

    Same length means nothing was dropped, so entries match by position (renamed keys
    included). Fewer entries match by name, which is only sound when no key was also
    renamed; that mix raises FormatError and the caller masks the record whole.
    """
    if not isinstance(scrubbed, dict):
        raise FormatError("object view changed shape")
    if len(scrubbed) == len(original):
        return list(scrubbed.items())
    known = set(original)
    if len(scrubbed) > len(original) or any(k not in known for k in scrubbed):
        raise FormatError("object view both dropped and renamed keys")
    return [(k, scrubbed[k]) if k in scrubbed else (None, MISSING) for k in original]


def unique_masked_keys(count: int) -> list[str]:
    """``count`` distinct fallback keys, as the scrubber names masked keys."""
    return [FALLBACK_TOKEN if i == 0 else f"{FALLBACK_TOKEN}#{i + 1}" for i in range(count)]
