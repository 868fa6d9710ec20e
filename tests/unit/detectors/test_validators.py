"""Unit tests for processor.detectors.validators: accepted values and each rejection reason."""

from __future__ import annotations

import base64
import json
import math
from typing import Any, get_args

import pytest

from processor.detectors.validators import VALIDATORS, shannon_entropy
from processor.rules.schema import ValidatorName

NO_ARGS: dict[str, Any] = {}


def _b64url(obj: object) -> str:
    raw = json.dumps(obj, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _check(name: str, text: str, args: dict[str, Any] | None = None) -> bool:
    return VALIDATORS[name](text, args if args is not None else NO_ARGS)


# --- registry and helper -------------------------------------------------------------


def test_registry_has_exactly_the_schema_validator_names() -> None:
    """The registry offers exactly the validator names the rule schema allows."""
    assert set(VALIDATORS) == {"none", "luhn", "iban", "ssn", "stdnum", "ip", "jwt", "entropy",
                               "phone", "person_name", "given_name_first", "name_by_lexicon",
                               "street_address"}
    assert set(VALIDATORS) == set(get_args(ValidatorName))


def test_none_accepts_anything() -> None:
    """The "none" validator accepts every match."""
    assert _check("none", "")
    assert _check("none", "anything at all")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", 0.0), ("aaaa", 0.0), ("ab", 1.0), ("abcd", 2.0), ("0123456789abcdef", 4.0)],
)
def test_shannon_entropy_known_values(text: str, expected: float) -> None:
    """Shannon entropy gives the textbook bits per character for simple strings."""
    assert math.isclose(shannon_entropy(text), expected)


# --- luhn ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "card",
    [
        "4111 1111 1111 1111",  # Visa
        "4111-1111-1111-1111",
        "4222222222222",  # Visa, 13 digits
        "5500 0000 0000 0004",  # Mastercard 51-55
        "2223003122003222",  # Mastercard 2-series
        "3782 822463 10005",  # Amex
        "6011111111111117",  # Discover
        "3530111333300000",  # JCB
        "30569309025904",  # Diners
        "6200000000000005",  # UnionPay
    ],
)
def test_luhn_accepts_test_cards(card: str) -> None:
    """Published issuer test card numbers pass the card validator."""
    assert _check("luhn", card)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("4111 1111 1111 111a", "non-digit character"),
        ("411111111111", "12 digits, too short"),
        ("41111111111111111111", "20 digits, too long"),
        ("0000 0000 0000 0000", "all the same digit"),
        ("4111 1111 1111 1112", "Luhn checksum fails"),
        ("1234567812345670", "Luhn-valid but no issuer starts with 1"),
        ("9111111111111111", "Luhn-valid but no issuer starts with 9"),
        ("341111111111111111", "Amex prefix with 18 digits"),
        ("5105105105105100000", "Mastercard prefix with 19 digits"),
        ("675923420755", "12-digit Maestro without its grouping"),
        ("4111 1111 1112", "12 digits outside the Maestro ranges"),
    ],
)
def test_luhn_rejects(text: str, reason: str) -> None:
    """Digit runs that are not plausible card numbers are rejected, one reason each."""
    assert not _check("luhn", text), reason


@pytest.mark.parametrize(
    ("card", "why"),
    [
        ("4111.1111.1111.1111", "dotted 4-4-4-4"),
        ("3598-4160-0124-2577", "Luhn-valid 4-4-4-4 outside the listed JCB range"),
        ("3738-8853-5230-3595", "a 16-digit 37 card printed 4-4-4-4"),
        ("3782.822463.10005", "dotted Amex 4-6-5"),
        ("6759 2342 0755", "12-digit Maestro in 4-4-4"),
    ],
)
def test_luhn_accepts_other_groupings(card: str, why: str) -> None:
    """Dots, and 4-4-4-4 groups of any Luhn-valid number, pass: a printed card fails closed."""
    assert _check("luhn", card), why


# --- iban ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "iban",
    [
        "DE89 3704 0044 0532 0130 00",
        "DE89370400440532013000",
        "GB82 WEST 1234 5698 7654 32",
        "FR14 2004 1010 0505 0001 3M02 606",
        "NL91ABNA0417164300",
        "gb82west12345698765432",  # case-insensitive
        "XK051212012345678906",  # Kosovo: not in the table, length in bounds
    ],
)
def test_iban_accepts_registry_samples(iban: str) -> None:
    """IBAN registry sample accounts pass, spaced or not."""
    assert _check("iban", iban)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("D189 3704 0044 0532 0130 00", "country code is not two letters"),
        ("DEXX 3704 0044 0532 0130 00", "check digits are not digits"),
        ("DE89 3704 0044 0532 0130 0", "German IBAN one character short"),
        ("DE89 3704 0044 0532 0130 000", "German IBAN one character long"),
        ("XK0512120123", "unknown country, shorter than 15"),
        ("DE89 3704 0044 0532 0130 01", "mod 97 check fails"),
        ("DE89-3704!0044", "punctuation inside"),
    ],
)
def test_iban_rejects(text: str, reason: str) -> None:
    """Malformed IBANs are rejected, one reason each."""
    assert not _check("iban", text), reason


# --- ssn -----------------------------------------------------------------------------


@pytest.mark.parametrize("ssn", ["536-22-1043", "536 22 1043", "536221043", "899-45-6780"])
def test_ssn_accepts_valid_ranges(ssn: str) -> None:
    """Numbers in issued SSN ranges pass, dashed, spaced or bare."""
    assert _check("ssn", ssn)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("536-22-104", "eight digits"),
        ("536-22-10433", "ten digits"),
        ("53a-22-1043", "letter inside"),
        ("000-22-1043", "area 000"),
        ("666-22-1043", "area 666"),
        ("900-22-1043", "area 900-999"),
        ("536-00-1043", "group 00"),
        ("536-22-0000", "serial 0000"),
        ("078-05-1120", "the Woolworth wallet card number"),
        ("219-09-9999", "the published advertisement number"),
        ("111-11-1111", "all the same digit"),
    ],
)
def test_ssn_rejects(text: str, reason: str) -> None:
    """Numbers outside issued SSN ranges or known fakes are rejected, one reason each."""
    assert not _check("ssn", text), reason


# --- ip ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["203.0.113.42", "10.0.12.7", "127.0.0.1", "2001:db8::8a2e:370:7334", "fe80::1", "::1",
     "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "fe80::1%eth0"],
)  # fmt: skip
def test_ip_accepts_addresses(address: str) -> None:
    """Public, private and loopback IPv4 and IPv6 addresses pass by default."""
    assert _check("ip", address)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("01.02.03.04", "IPv4 with leading zeros"),
        ("10.0.0.256", "octet out of range"),
        ("0.0.0.0", "unspecified IPv4"),  # noqa: S104 - a test value, nothing binds
        ("0.0.0.6", "this-network block, a version number in practice"),
        ("::", "unspecified IPv6"),
        ("12:30", "one colon"),
        ("12:30:45", "a time"),
        ("00:1a:2b:3c:4d:5e:6f:70", "EUI-64 / MAC-like short groups"),
        ("std::string", "not hex"),
    ],
)
def test_ip_rejects(text: str, reason: str) -> None:
    """Strings that are not host addresses are rejected, one reason each."""
    assert not _check("ip", text), reason


def test_ip_private_ranges_rejected_when_not_allowed() -> None:
    """With allow_private false, private, loopback and link-local addresses are rejected."""
    args = {"allow_private": False}
    assert not _check("ip", "10.0.0.1", args)
    assert not _check("ip", "127.0.0.1", args)
    assert not _check("ip", "fe80::1", args)
    assert _check("ip", "8.8.8.8", args)


# --- jwt -----------------------------------------------------------------------------

HEADER = _b64url({"alg": "HS256", "typ": "JWT"})
PAYLOAD = _b64url({"sub": "user-42", "iat": 1700000000})
SIGNATURE = "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"


def test_jwt_accepts_signed_token() -> None:
    """A signed token with an alg header and a JSON payload passes."""
    assert _check("jwt", f"{HEADER}.{PAYLOAD}.{SIGNATURE}")


def test_jwt_accepts_unsecured_token_without_signature() -> None:
    """An alg "none" token may have an empty signature."""
    assert _check("jwt", f"{_b64url({'alg': 'none'})}.{PAYLOAD}.")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (f"{HEADER}.{PAYLOAD}", "two parts"),
        (f"{HEADER}.{PAYLOAD}.{SIGNATURE}.extra", "four parts"),
        (f"{HEADER}.{PAYLOAD}.sig+nature/", "signature not base64url"),
        (f".{PAYLOAD}.{SIGNATURE}", "empty header"),
        (f"{HEADER}..{SIGNATURE}", "empty payload"),
        (f"{_b64url({'typ': 'JWT'})}.{PAYLOAD}.{SIGNATURE}", "header without alg"),
        (f"{_b64url(['alg'])}.{PAYLOAD}.{SIGNATURE}", "header not an object"),
        (f"eyJub3QganNvbg.{PAYLOAD}.{SIGNATURE}", "header not JSON"),
        (f"{HEADER}.{_b64url('just a string')}.{SIGNATURE}", "payload not an object"),
        (f"{HEADER}.eyJ@@@.{SIGNATURE}", "payload not base64url"),
        (f"{HEADER}.{PAYLOAD}.", "empty signature with a real alg"),
    ],
)
def test_jwt_rejects(text: str, reason: str) -> None:
    """Strings that are not well-formed JWTs are rejected, one reason each."""
    assert not _check("jwt", text), reason


# --- entropy -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "secret",
    [
        "Zx9vQ2rT7pL4mN8kJ3hG6fD1sA5wE0yU",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "Nk8cL6j5IXAAjlsHUqJoUD+Ydua+5ZMs1SWOpQa=",
        '"uWv1zh87mTa5Vsqxezy3Lex7BWr2drgd"',  # quotes are stripped
    ],
)
def test_entropy_accepts_random_secrets(secret: str) -> None:
    """Random-looking mixed-class secrets pass with default settings."""
    assert _check("entropy", secret)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Zx9vQ2rT7pL4", "shorter than min_length 16"),
        ("da39a3ee5e6b4b0d3255bfef95601890afd80709", "pure hex (git SHA)"),
        ("550e8400-e29b-41d4-a716-446655440000", "UUID"),
        ("qwhdkeiruvnslapzmxcb", "lower case letters only"),
        ("/var/lib/secrets/aws/credentials", "absolute file path"),
        ("usr/local/share/secrets/aws", "relative path of word segments"),
        ("https://Example.com/Xy9Q", "URL"),
        ("org.apache.hadoop.mapreduce.v2.app.MRAppMaster", "dotted Java class name"),
        ("created_at_desc_then_Id_asc", "snake_case identifier"),
        ("user-profile-v2-region-eu", "kebab-case slug"),
        ("ProcessBluetoothTransportShowsUpActionWL", "CamelCase identifier"),
        ("aaaaaaaaBBBBBBBB11111111", "mixed classes but low entropy"),
    ],
)
def test_entropy_rejects(text: str, reason: str) -> None:
    """Identifiers, digests, paths and predictable strings are rejected, one reason each."""
    assert not _check("entropy", text), reason


def test_entropy_args_change_the_thresholds() -> None:
    """min_length, min_entropy, allow_hex and min_classes are taken from the rule's args."""
    sha = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
    assert _check("entropy", sha, {"allow_hex": True})
    assert not _check("entropy", "Zx9vQ2rT7pL4", {"min_length": 16})
    assert _check("entropy", "Zx9vQ2rT7pL4", {"min_length": 12})
    assert not _check("entropy", "Zx9vQ2rT7pL4mN8kJ3hG", {"min_entropy": 5.0})
    assert _check("entropy", "qwhdkeiruvnslapzmxcb", {"min_classes": 1})


def test_entropy_with_hex_allowed_takes_a_dashless_uuid_shape_but_no_uuid() -> None:
    """32 hex digits are a key where hex keys are expected; a dashed UUID never is."""
    key = "03dd475c5a6cd981f939451e0f1a365b"
    assert not _check("entropy", key)
    assert _check("entropy", key, {"allow_hex": True})
    assert not _check("entropy", "550e8400-e29b-41d4-a716-446655440000", {"allow_hex": True})


# --- phone ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "args"),
    [
        ("(415) 555-0132", {"default_region": "US"}),
        ("415-555-0132", {"default_region": "US"}),
        ("415.555.0132", {"default_region": "US"}),
        ("+1 415 555 0132", {}),
        ("1-800-555-0199", {}),
        ("+44 20 7946 0958", {}),
        ("+49 30 901820", {}),
        ("+33 1.09.75.83.51", {}),
        ("01.23.45.67.89", {}),
        ("+49 30 71770133", {}),
        ("+61 2 9374 4000", {}),
        ("+49(0)4700 20507", {}),
        ("+1 510-483-1774 ext. 8522", {}),
        ("001-738-602-2904x6883", {}),
        ("0044 20 7946 0958", {}),
    ],
)
def test_phone_accepts_numbers(phone: str, args: dict[str, Any]) -> None:
    """US and international numbers in the usual notations pass."""
    assert _check("phone", phone, args)


@pytest.mark.parametrize(
    ("text", "args", "reason"),
    [
        ("12:30:45", {}, "a time (colon is not a phone separator)"),
        ("415-555-01x2", {}, "letter inside"),
        ("555-012", {}, "six digits"),
        ("+49 30 9018 2012 3456 7", {}, "sixteen digits"),
        ("555-555-5555", {}, "all the same digit"),
        ("2024-01-15", {}, "an ISO date"),
        ("01/15/2024", {}, "a US date"),
        ("10.20.30.40", {}, "an IPv4 address"),
        ("1.2.3.4.5", {}, "a version number"),
        ("+1 415 555 013", {}, "+1 with nine national digits"),
        ("+1 015 555 0132", {}, "US area code starting with 0"),
        ("+1 415 155 0132", {}, "US exchange starting with 1"),
        ("115-555-0132", {"default_region": "US"}, "US area code starting with 1"),
        ("+49 12 345", {}, "too short for the German plan"),
        ("+44 0 1234 5678 9", {}, "not a valid UK number"),
        ("+999 123 456 789", {}, "no such country code"),
    ],
)
def test_phone_rejects(text: str, args: dict[str, Any], reason: str) -> None:
    """Digit runs that are dates, times, versions or impossible numbers are rejected."""
    assert not _check("phone", text, args), reason


# --- person names and street addresses -------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["Henri Fleury", "Anastasie Mendès Le Chauvet", "Siobhán Ní Bhriain", "Dr Rahul van der Berg",
     "Nguyễn Thị Hương", "Ngozi Okonkwo-Adeyemi", "A. Rahman", "Mr. A. B. Rahman"],
)
def test_person_name_accepts_names(name: str) -> None:
    """Names of many traditions, with particles, titles and diacritics, pass."""
    assert _check("person_name", name)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Service Bus", "a product made of common words"),
        ("Out Of Stock", "a status"),
        ("New York", "a place made of a common word"),
        ("ACME CORP", "all capitals"),
        ("SleepType Normal", "an identifier in camel case"),
        ("Section A. Overview", "a heading's letter, not an initial that begins a name"),
    ],
)
def test_person_name_rejects(text: str, reason: str) -> None:
    """Capitalised runs made of log and software vocabulary are not names."""
    assert not _check("person_name", text), reason


def test_person_name_min_words_and_name_prefixes() -> None:
    """min_words asks for a full name; McKay and DeVito keep their inner capital."""
    assert not _check("person_name", "Midplane", {"min_words": 2})
    assert _check("person_name", "Moira McKay", {"min_words": 2})
    assert _check("person_name", "Danny DeVito")
    assert _check("person_name", "Giulia Dell'Acqua")  # Italian elided particles
    assert _check("person_name", "Lucia Sant’Angelo")
    assert not _check("person_name", "Dell'ItemHandler")


def test_street_address_rejects_log_vocabulary() -> None:
    """Counters and units in a comma list are not an address; a real address passes."""
    assert not _check("street_address", "15 Seconds, 2000 Items")
    assert _check("street_address", "56, chemin de Bousquet, 83397 Delaunay")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Maria Garcia", True),  # given name from the lexicon, family name
        ("Dr. Agneta Paasche", True),  # a title before the given name
        ("Kofi Boateng", True),
        ("Sun Dec", False),  # a weekday and a month: vocabulary
        ("Red Hat", False),  # "hat" is an ordinary word
        ("Garcia", False),  # one word is not a full name
        ("Zzyzx Garcia", False),  # the first word is no known given name
        ("Maria JobHandler", False),  # camel case: an identifier
    ],
)
def test_given_name_first(text: str, expected: bool) -> None:
    """The lexicon validator wants a known given name first and no ordinary word."""
    assert _check("given_name_first", text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Maria Garcia", True),  # a known given name decides, as for given_name_first
        ("Kaito Diallo", True),  # given name unknown, family name in the census list
        ("Chidi Okonkwo-Adeyemi", True),  # the last part of a double-barrelled name
        ("Tomás O'Sullivan", True),  # folded as the census writes it: OSULLIVAN
        ("Zzyzx Qwrtplk", False),  # neither list knows either word
        ("Apache Stone", False),  # "apache" is log vocabulary, though Stone is a surname
        ("Session Stone", False),
        ("Garcia", False),  # one word is not a full name
        ("Xy Garcia", False),  # a first word of two letters is an abbreviation
    ],
)
def test_name_by_lexicon(text: str, expected: bool) -> None:
    """A full name passes with a known given name first or a census family name last."""
    assert _check("name_by_lexicon", text) is expected


# --- stdnum ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "good", "bad"),
    [
        ("br.cpf", "352.918.064-51", "352.918.064-52"),
        ("in_.aadhaar", "5821 4769 0310", "5821 4769 0311"),
        ("it.codicefiscale", "RSSMRA85T10A562S", "RSSMRA85T10A562T"),
        ("es.nif", "Y7391524M", "Y7391524N"),
    ],
)
def test_stdnum_checks_the_check_digits(fmt: str, good: str, bad: str) -> None:
    """python-stdnum confirms a national id's check digits for the format the rule names."""
    assert _check("stdnum", good, {"format": fmt})
    assert not _check("stdnum", bad, {"format": fmt})
