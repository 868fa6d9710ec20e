"""Identity validators: US social security numbers, national ids and phone numbers."""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping
from functools import lru_cache
from types import ModuleType
from typing import Any

import phonenumbers

from processor.detectors.validators._common import SEPARATORS, all_same

__all__ = ["check_phone", "check_ssn", "check_stdnum"]

_PHONE_SEPARATORS = re.compile(r"[\s+()./-]+")


# --- US SSN --------------------------------------------------------------------------

_FAKE_SSNS = frozenset({"078051120", "219099999", "123456789"})


def check_ssn(text: str, args: Mapping[str, Any]) -> bool:
    digits = SEPARATORS.sub("", text)
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
    return not all_same(digits)


# --- phone numbers -------------------------------------------------------------------

_DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
_DOTTED = re.compile(r"v?\d+(?:\.\d+)+")
_IPV4_LIKE = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_DOTTED_PHONE = re.compile(r"\d{3}\.\d{3}\.\d{4}|\d{2}(?:\.\d{2}){4}")
_EXTENSION = re.compile(r"(?:\s?ext\.?\s?\d{1,6}|x\d{3,6})$", re.IGNORECASE)


_GROUPED = re.compile(r"\+\d{1,3}[ (-](?![ (]*0)")


def _valid_international(value: str) -> bool:
    """A +CC number that libphonenumber's metadata knows as a valid number.

    Written the way people write phones (the country code set apart by a space, a dash
    or a bracket), a number only needs a possible length for its country: plans change
    faster than the metadata, and a new range must not leak. Bare digits, and short
    numbers that fit many plans, need a valid range: ids and counters start with a plus
    too.
    """
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return False
    if _GROUPED.match(value) and len(str(number.national_number)) >= 8:
        return bool(phonenumbers.is_possible_number(number))
    return bool(phonenumbers.is_valid_number(number))


def check_phone(text: str, args: Mapping[str, Any]) -> bool:
    value = _EXTENSION.sub("", text.strip())
    digits = _PHONE_SEPARATORS.sub("", value)
    # Only digits and the usual separators (a ":" means a time, letters mean an id).
    if not digits.isdigit():
        return False
    # E.164 allows at most 15 digits; fewer than 7 is an extension or a counter.
    if not 7 <= len(digits) <= 15:
        return False
    # 0000000, 9999999999: filler.
    if all_same(digits):
        return False
    # Dates such as 2024-01-15 or 01/15/2024.
    if _DATE.fullmatch(value):
        return False
    # IPv4 addresses and version numbers such as 1.2.3.4 (dotted phones are 3.3.4 or 2.2.2.2.2).
    if _IPV4_LIKE.fullmatch(value) or (
        _DOTTED.fullmatch(value) and not _DOTTED_PHONE.fullmatch(value)
    ):
        return False
    # Outside North America, a +CC number must be valid in libphonenumber's plan for
    # that country (length and leading digits); an international prefix 00 or 011 too.
    if value.startswith("+") and not value.startswith("+1"):
        return _valid_international(value)
    if value.startswith("00") and not value.startswith("001"):
        return _valid_international("+" + value[2:])
    if value.startswith("001"):
        value, digits = value[3:].lstrip(" -."), digits[2:]
    us_national = None
    # 1 415 555 0132 is NANP; (11) 96123-4567 is a Brazilian area code, not a country code.
    if value.startswith(("+1", "1")) and (value.startswith("+1") or len(digits) == 11):
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


# --- national ids (python-stdnum) ------------------------------------------------------

@lru_cache(maxsize=64)
def _stdnum_module(fmt: str) -> ModuleType:
    # the rule schema has checked that python-stdnum has this module with an is_valid
    return importlib.import_module(f"stdnum.{fmt}")


def check_stdnum(text: str, args: Mapping[str, Any]) -> bool:
    """A national id whose check digits python-stdnum confirms (``format: br.cpf``)."""
    return bool(_stdnum_module(str(args["format"])).is_valid(text))
