"""Secret validators: JWT structure and high-entropy generated values."""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

__all__ = ["check_entropy", "check_jwt", "shannon_entropy"]


def shannon_entropy(s: str) -> float:
    """Return the Shannon entropy of ``s`` in bits per character (0.0 for "")."""
    if not s:
        return 0.0
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in Counter(s).values())


# --- JWT -----------------------------------------------------------------------------

_B64URL = re.compile(r"[A-Za-z0-9_-]*")


def _b64url_json(part: str) -> object:
    padded = part + "=" * (-len(part) % 4)
    try:
        return json.loads(base64.urlsafe_b64decode(padded))
    except (binascii.Error, ValueError):
        return None


def check_jwt(text: str, args: Mapping[str, Any]) -> bool:
    parts = text.strip().split(".")
    # A JWS in compact form has exactly three dot-separated parts.
    if len(parts) != 3:
        return False
    header_part, payload_part, signature = parts
    # Every part is base64url without padding; header and payload are not empty.
    if not all(_B64URL.fullmatch(p) for p in parts) or not header_part or not payload_part:
        return False
    header = _b64url_json(header_part)
    # The header is a JSON object naming its algorithm.
    if not isinstance(header, dict) or "alg" not in header:
        return False
    # The claims are a JSON object.
    if not isinstance(_b64url_json(payload_part), dict):
        return False
    # Only an unsecured token (alg "none") may have an empty signature.
    return bool(signature) or str(header["alg"]).lower() == "none"


# --- high-entropy secrets ------------------------------------------------------------

_HEX = re.compile(r"[0-9A-Fa-f]+")
_UUID = re.compile(r"[0-9A-Fa-f]{8}-?(?:[0-9A-Fa-f]{4}-?){3}[0-9A-Fa-f]{12}")
_PATH_PREFIX = re.compile(r"(?:~|\.{1,2})?/|[A-Za-z]:\\|[a-z][a-z0-9+.-]*://")
_WORD_SEGMENT = re.compile(r"[A-Za-z]?[a-z0-9]*(?:[._-][a-z0-9]+)*")
_SLUG_WORD = re.compile(r"[A-Za-z][a-z]*\d*|\d+")
_CAMEL_WORD = re.compile(r"[A-Z][a-z]{2,}|^[a-z]{3,}")
_DOTTED_NAME = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*\.[A-Za-z_$][\w$]*")
_CLASSES = (re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"[0-9]"))
_SYMBOL = re.compile(r"[^A-Za-z0-9_./-]")


def _char_classes(value: str) -> int:
    found = sum(1 for cls in _CLASSES if cls.search(value))
    # Symbols count as a class, but separators (_ - . /) do not: snake_case is one class.
    return found + (1 if _SYMBOL.search(value) else 0)


def _looks_like_path(value: str) -> bool:
    if _PATH_PREFIX.match(value):
        return True
    segments = [s for s in re.split(r"[/\\]", value) if s]
    return len(segments) >= 2 and all(_WORD_SEGMENT.fullmatch(s) for s in segments)


def _looks_like_camel_case(value: str) -> bool:
    if not value.isalnum():
        return False
    words = _CAMEL_WORD.findall(value)
    return len(words) >= 3 and sum(len(w) for w in words) >= 0.75 * len(value)


def _looks_like_slug(value: str) -> bool:
    words = [w for w in re.split(r"[._-]", value) if w]
    return len(words) >= 2 and all(_SLUG_WORD.fullmatch(w) for w in words)


def check_entropy(text: str, args: Mapping[str, Any]) -> bool:
    value = text.strip().strip("\"'")
    # Too short to be a generated secret.
    if len(value) < int(args.get("min_length", 16)):
        return False
    # Pure hex is usually a git SHA, digest or trace id, unless the rule expects hex keys.
    allow_hex = bool(args.get("allow_hex", False))
    if not allow_hex and _HEX.fullmatch(value):
        return False
    # UUIDs are identifiers, not secrets; where hex keys are expected, only a dashed one.
    if _UUID.fullmatch(value) and ("-" in value or not allow_hex):
        return False
    # Generated secrets mix character classes (lower, upper, digits, symbols).
    if _char_classes(value) < int(args.get("min_classes", 2)):
        return False
    # File paths, URLs and dotted identifiers (java.class.Names, config.keys).
    if _looks_like_path(value) or _DOTTED_NAME.fullmatch(value):
        return False
    # Names joined by separators or camel case: created_at_desc, ProcessBluetoothAction.
    if _looks_like_slug(value) or _looks_like_camel_case(value):
        return False
    # Too predictable: words, repeats, counters.
    return shannon_entropy(value) >= float(args.get("min_entropy", 3.5))
