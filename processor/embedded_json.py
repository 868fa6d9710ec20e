"""JSON held in a JSON string: ``{"body": "{\\"email\\": \\"a@b.c\\"}"}``.

Such a string is decoded and walked like the rest of the record, so its keys count as
field names (``under``, ``beside``) and its values are scanned one by one. When a value
inside it is masked, the string is encoded again in the style it came in: the same
separators (``", "`` or ``","``, ``": "`` or ``":"``) and the same escaping of non-ASCII
characters. A string whose content did not change is left byte for byte as it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = ["Embedded", "decode_embedded", "encode_embedded"]

#: Longer strings are scanned as text: decoding them would cost more than it finds.
_MAX_CHARS = 256 * 1024


@dataclass(slots=True)
class Embedded:
    """A JSON document held in ``holder[key]``, decoded into ``doc``."""

    holder: Any
    key: Any
    doc: Any
    item_sep: str
    key_sep: str
    ascii_only: bool
    #: The index of the embedded document this one sits in, -1 for the record itself.
    parent: int = -1
    changed: bool = False


def decode_embedded(holder: Any, key: Any, value: str, parent: int) -> Embedded | None:
    """The decoded document when ``value`` is a JSON object or array, else None."""
    text = value.strip()
    if len(text) < 2 or len(text) > _MAX_CHARS or (text[0], text[-1]) not in (
            ("{", "}"), ("[", "]")):
        return None
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not doc or not isinstance(doc, (dict, list)) or text != value:
        return None  # surrounding blanks would not survive an encode: keep it as text
    item_sep = ", " if ", " in value else ","
    key_sep = ": " if '": ' in value else ":"
    return Embedded(holder, key, doc, item_sep, key_sep, "\\u" in value, parent)


def encode_embedded(found: list[Embedded]) -> None:
    """Write each changed document back into its string, innermost first."""
    for emb in reversed(found):  # a document comes after the one it sits in
        if emb.changed:
            emb.holder[emb.key] = json.dumps(emb.doc, ensure_ascii=emb.ascii_only,
                                             separators=(emb.item_sep, emb.key_sep))
            if emb.parent >= 0:
                found[emb.parent].changed = True
