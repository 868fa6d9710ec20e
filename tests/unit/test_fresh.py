"""Tests for the fresh corpus generator (bench/fresh.py)."""

from __future__ import annotations

from collections import Counter

import phonenumbers
import pytest

from bench._values import luhn_valid
from bench.corpus import LabelledRecord
from bench.fresh import generate

N = 1500


@pytest.fixture(scope="module")
def fresh() -> list[LabelledRecord]:
    """A fresh corpus shared by the tests in this module."""
    return generate(N)


def test_same_seed_same_records() -> None:
    """The generator is deterministic, so figures from two runs compare."""
    assert [r.line for r in generate(40)] == [r.line for r in generate(40)]
    assert [r.line for r in generate(40, seed=24)] != [r.line for r in generate(40)]


def test_labels_sit_in_their_lines(fresh: list[LabelledRecord]) -> None:
    """Every labelled secret and lookalike is a substring of its own line."""
    for rec in fresh:
        assert "\n" not in rec.line
        assert all(secret in rec.line for _, secret in rec.secrets)
        assert all(look in rec.line for look in rec.lookalikes)


def test_covers_every_entity(fresh: list[LabelledRecord]) -> None:
    """People, places, phones, cards, IBANs, emails and passwords all occur."""
    seen = Counter(e for r in fresh for e, _ in r.secrets)
    for entity in ("PERSON", "STREET_ADDRESS", "PHONE_NUMBER", "EMAIL", "CREDIT_CARD",
                   "IBAN", "PASSWORD"):
        assert seen[entity] >= 10, entity
    assert sum(n for e, n in seen.items() if e.startswith("TOKEN_")) >= 50


def test_cards_and_phones_are_valid(fresh: list[LabelledRecord]) -> None:
    """Cards pass Luhn and international phones are valid for libphonenumber."""
    for rec in fresh:
        for entity, value in rec.secrets:
            if entity == "CREDIT_CARD":
                assert luhn_valid("".join(c for c in value if c.isdigit())), value
            if entity == "PHONE_NUMBER" and value.startswith("+"):
                assert phonenumbers.is_valid_number(phonenumbers.parse(value)), value
