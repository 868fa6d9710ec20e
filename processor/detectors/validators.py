"""Validators that confirm a pattern match is a real secret or personal datum.

Each validator takes the matched text and the rule's ``validator_args`` and returns
True when the match is real. Rules name their validator in YAML (``validator: luhn``);
the engine looks it up in :data:`VALIDATORS`. Every rejection reason is one commented
branch, so a near miss can be traced to the line that turned it down.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

__all__ = ["VALIDATORS", "Validator", "shannon_entropy"]

Validator = Callable[[str, Mapping[str, Any]], bool]

_SEPARATORS = re.compile(r"[\s-]+")
_PHONE_SEPARATORS = re.compile(r"[\s+().-]+")


def shannon_entropy(s: str) -> float:
    """Return the Shannon entropy of ``s`` in bits per character (0.0 for "")."""
    if not s:
        return 0.0
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in Counter(s).values())


def _all_same(digits: str) -> bool:
    return len(set(digits)) <= 1


# --- payment cards -------------------------------------------------------------------

# (lowest prefix, highest prefix, plausible lengths); prefixes compare as integers of
# the same number of digits.
_ISSUERS: tuple[tuple[str, str, range], ...] = (
    ("4", "4", range(13, 20)),  # Visa (13, 16, 19 in practice)
    ("51", "55", range(16, 17)),  # Mastercard
    ("2221", "2720", range(16, 17)),  # Mastercard 2-series
    ("34", "34", range(15, 16)),  # American Express
    ("37", "37", range(15, 16)),  # American Express
    ("6011", "6011", range(16, 20)),  # Discover
    ("644", "649", range(16, 20)),  # Discover
    ("65", "65", range(16, 20)),  # Discover
    ("3528", "3589", range(16, 20)),  # JCB
    ("300", "305", range(14, 20)),  # Diners Club International
    ("36", "36", range(14, 20)),  # Diners Club
    ("38", "39", range(14, 20)),  # Diners Club
    ("62", "62", range(16, 20)),  # UnionPay
    ("50", "50", range(13, 20)),  # Maestro
    ("56", "58", range(13, 20)),  # Maestro
    ("6", "6", range(13, 20)),  # Maestro and other 6x schemes
)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _known_issuer(digits: str) -> bool:
    for low, high, lengths in _ISSUERS:
        prefix = int(digits[: len(low)])
        if int(low) <= prefix <= int(high) and len(digits) in lengths:
            return True
    return False


def _luhn(text: str, args: Mapping[str, Any]) -> bool:
    digits = _SEPARATORS.sub("", text)
    # Something other than digits and separators: not a card number.
    if not digits.isdigit():
        return False
    # Card numbers (PANs) are 13 to 19 digits long.
    if not 13 <= len(digits) <= 19:
        return False
    # 0000..., 1111...: padding or test filler, and some pass the checksum.
    if _all_same(digits):
        return False
    # The last digit must be the Luhn check digit of the others.
    if not _luhn_ok(digits):
        return False
    # The prefix must belong to a known issuer, with a length that issuer uses.
    return _known_issuer(digits)


# --- IBAN ----------------------------------------------------------------------------

_IBAN_LENGTHS: Mapping[str, int] = MappingProxyType(
    {
        "AD": 24, "AE": 23, "AT": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "CH": 21,
        "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FO": 18,
        "FR": 27, "GB": 22, "GI": 23, "GL": 18, "GR": 27, "HR": 21, "HU": 28, "IE": 22,
        "IL": 23, "IS": 26, "IT": 27, "KW": 30, "KZ": 20, "LB": 28, "LI": 21, "LT": 20,
        "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25,
        "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27,
        "TR": 26, "UA": 29,
    }
)  # fmt: skip
_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]+")


def _iban(text: str, args: Mapping[str, Any]) -> bool:
    iban = _SEPARATORS.sub("", text).upper()
    # Country code, two check digits, then the account (BBAN) in letters and digits.
    if not _IBAN_SHAPE.fullmatch(iban):
        return False
    expected = _IBAN_LENGTHS.get(iban[:2])
    # A known country fixes the length exactly.
    if expected is not None and len(iban) != expected:
        return False
    # Any other country: the ISO 13616 bounds.
    if expected is None and not 15 <= len(iban) <= 34:
        return False
    # ISO 7064 mod 97-10: move the first four characters to the end, letters to numbers.
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


# --- US SSN --------------------------------------------------------------------------

_FAKE_SSNS = frozenset({"078051120", "219099999", "123456789"})


def _ssn(text: str, args: Mapping[str, Any]) -> bool:
    digits = _SEPARATORS.sub("", text)
    # Exactly nine digits.
    if len(digits) != 9 or not digits.isdigit():
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    # Area 000 and 666 were never issued; 900-999 is reserved (ITINs).
    if area in ("000", "666") or area[0] == "9":
        return False
    # Group 00 was never issued.
    if group == "00":
        return False
    # Serial 0000 was never issued.
    if serial == "0000":
        return False
    # Well-known published or sample numbers (the Woolworth wallet card, ads, 123-45-6789).
    if digits in _FAKE_SSNS:
        return False
    # 111-11-1111 and friends are filler.
    return not _all_same(digits)


# --- IP addresses --------------------------------------------------------------------

_V4_LEADING_ZERO = re.compile(r"(?:^|\.)0\d")
_SHORT_HEX_GROUP = re.compile(r"[0-9A-Fa-f]{1,2}")


def _ip(text: str, args: Mapping[str, Any]) -> bool:
    candidate = text.strip()
    is_v6 = ":" in candidate
    # IPv4 with leading zeros (01.02.03.04) is ambiguous (octal?) and rarely an address.
    if not is_v6 and _V4_LEADING_ZERO.search(candidate):
        return False
    # IPv6 needs at least two colons; a single one is a port, ratio or label.
    if is_v6 and candidate.count(":") < 2:
        return False
    # Eight or fewer short groups without "::" look like a MAC address or EUI-64.
    groups = candidate.split(":")
    if is_v6 and "::" not in candidate and all(_SHORT_HEX_GROUP.fullmatch(g) for g in groups):
        return False
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        # Does not parse as an address (times such as 12:30:45 end up here).
        return False
    # 0.0.0.0 and :: mean "any address", not a host.
    if address.is_unspecified:
        return False
    # 0.x.x.x is "this network" (RFC 1122), never a host; in logs it is a version number.
    if address.version == 4 and candidate.startswith("0."):
        return False
    # Private, loopback and link-local ranges, when the rule asks to skip them.
    internal = address.is_private or address.is_loopback or address.is_link_local
    return bool(args.get("allow_private", True)) or not internal


# --- JWT -----------------------------------------------------------------------------

_B64URL = re.compile(r"[A-Za-z0-9_-]*")


def _b64url_json(part: str) -> object:
    padded = part + "=" * (-len(part) % 4)
    try:
        return json.loads(base64.urlsafe_b64decode(padded))
    except (binascii.Error, ValueError):
        return None


def _jwt(text: str, args: Mapping[str, Any]) -> bool:
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


def _entropy(text: str, args: Mapping[str, Any]) -> bool:
    value = text.strip().strip("\"'")
    # Too short to be a generated secret.
    if len(value) < int(args.get("min_length", 16)):
        return False
    # Pure hex is usually a git SHA, digest or trace id, unless the rule expects hex keys.
    if not args.get("allow_hex", False) and _HEX.fullmatch(value):
        return False
    # UUIDs are identifiers, not secrets.
    if _UUID.fullmatch(value):
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


# --- phone numbers -------------------------------------------------------------------

_DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
_DOTTED = re.compile(r"v?\d+(?:\.\d+)+")
_IPV4_LIKE = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_DOTTED_PHONE = re.compile(r"\d{3}\.\d{3}\.\d{4}|\d{2}(?:\.\d{2}){4}")


def _phone(text: str, args: Mapping[str, Any]) -> bool:
    value = text.strip()
    digits = _PHONE_SEPARATORS.sub("", value)
    # Only digits and the usual separators (a ":" means a time, letters mean an id).
    if not digits.isdigit():
        return False
    # E.164 allows at most 15 digits; fewer than 7 is an extension or a counter.
    if not 7 <= len(digits) <= 15:
        return False
    # 0000000, 9999999999: filler.
    if _all_same(digits):
        return False
    # Dates such as 2024-01-15 or 01/15/2024.
    if _DATE.fullmatch(value):
        return False
    # IPv4 addresses and version numbers such as 1.2.3.4 (dotted phones are 3.3.4 or 2.2.2.2.2).
    if _IPV4_LIKE.fullmatch(value) or (
        _DOTTED.fullmatch(value) and not _DOTTED_PHONE.fullmatch(value)
    ):
        return False
    us_national = None
    if value.startswith("+1") or (len(digits) == 11 and digits[0] == "1"):
        us_national = digits[1:]
    elif args.get("default_region") == "US" and not value.startswith("+"):
        us_national = digits
    if us_national is not None:
        # A NANP number has ten digits after the country code.
        if len(us_national) != 10:
            return False
        # NANP area codes and exchanges never start with 0 or 1.
        if us_national[0] in "01" or us_national[3] in "01":
            return False
    return True


def _none(text: str, args: Mapping[str, Any]) -> bool:
    return True


VALIDATORS: Mapping[str, Validator] = MappingProxyType(
    {
        "none": _none,
        "luhn": _luhn,
        "iban": _iban,
        "ssn": _ssn,
        "ip": _ip,
        "jwt": _jwt,
        "entropy": _entropy,
        "phone": _phone,
    }
)
