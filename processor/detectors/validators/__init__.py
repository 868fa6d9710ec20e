"""Validators that confirm a pattern match is a real secret or personal datum.

Each validator takes the matched text and the rule's ``validator_args`` and returns
True when the match is real. Rules name their validator in YAML (``validator: luhn``);
the engine looks it up in :data:`VALIDATORS`. Every rejection reason is one commented
branch, so a near miss can be traced to the line that turned it down.

One private module per kind of datum: payment (cards, IBANs), identity (SSNs, phones),
network (IP addresses), secrets (JWTs, high-entropy values).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from processor.detectors.validators._common import Validator
from processor.detectors.validators._identity import check_phone, check_ssn, check_stdnum
from processor.detectors.validators._names import (
    CALENDAR,
    VOCABULARY,
    check_given_name_first,
    check_name_by_lexicon,
    check_person_name,
    check_street_address,
)
from processor.detectors.validators._network import check_ip
from processor.detectors.validators._payment import check_iban, check_luhn
from processor.detectors.validators._secrets import check_entropy, check_jwt, shannon_entropy

__all__ = ["CALENDAR", "VALIDATORS", "VOCABULARY", "Validator", "shannon_entropy"]


def _none(text: str, args: Mapping[str, Any]) -> bool:
    return True


VALIDATORS: Mapping[str, Validator] = MappingProxyType(
    {
        "none": _none,
        "luhn": check_luhn,
        "iban": check_iban,
        "ssn": check_ssn,
        "stdnum": check_stdnum,
        "ip": check_ip,
        "jwt": check_jwt,
        "entropy": check_entropy,
        "phone": check_phone,
        "person_name": check_person_name,
        "given_name_first": check_given_name_first,
        "name_by_lexicon": check_name_by_lexicon,
        "street_address": check_street_address,
    }
)
