"""Payment validators: card numbers (Luhn and issuer) and IBANs (mod 97)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from processor.detectors.validators._common import all_same

__all__ = ["check_iban", "check_luhn"]


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
    ("1800", "1800", range(15, 16)),  # JCB, 15 digits
    ("2131", "2131", range(15, 16)),  # JCB, 15 digits
    ("2200", "2204", range(16, 20)),  # Mir
    ("9792", "9792", range(16, 17)),  # Troy
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


# Maestro IINs, whose cards may have 12 digits (printed 4-4-4): the list of the public
# issuer tables (Maestro: 5018, 5020, 5038, 56-58, 6304, 6759, 6761-6763, 0604, 6390;
# 12 to 19 digits).
_MAESTRO_12 = ("5018", "5020", "5038", "56", "57", "58", "6304", "6759", "6761", "6762",
               "6763", "0604", "6390")
#: Spaces, dots and dashes between the groups of a card number or an IBAN.
_CARD_SEPARATORS = re.compile(r"[\s.-]+")
_GROUPED_16 = re.compile(r"\d{4}([\s.-])\d{4}\1\d{4}\1\d{4}")


def check_luhn(text: str, args: Mapping[str, Any]) -> bool:
    digits = _CARD_SEPARATORS.sub("", text)
    # Something other than digits and separators: not a card number.
    if not digits.isdigit():
        return False
    # 12 digits only for the Maestro ranges that issue them, and only printed in groups.
    # (compact 12 digits only for a rule that asked for card context: ``compact_12``)
    short_maestro = (len(digits) == 12 and digits.startswith(_MAESTRO_12)
                     and (digits != text or bool(args.get("compact_12"))))
    # Card numbers (PANs) are 13 to 19 digits long.
    if not (13 <= len(digits) <= 19 or short_maestro):
        return False
    # 0000..., 1111...: padding or test filler, and some pass the checksum.
    if all_same(digits):
        return False
    # The last digit must be the Luhn check digit of the others.
    if not _luhn_ok(digits):
        return False
    # Printed as 4-4-4-4, a Luhn-valid number is a card even from an unlisted issuer
    # range (co-branded and private-label cards, test generators): fail closed.
    if short_maestro or _GROUPED_16.fullmatch(text.strip()):
        return True
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


def check_iban(text: str, args: Mapping[str, Any]) -> bool:
    iban = _CARD_SEPARATORS.sub("", text).upper()
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
