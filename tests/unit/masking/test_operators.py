"""Mask operators: placeholder, partial, pseudonym, drop."""

from __future__ import annotations

import pytest

from processor.errors import ConfigError
from processor.masking.operators import Masker
from processor.masking.policy import OperatorPolicy
from processor.records import MASK_TOKEN
from processor.settings import OperatorOverride


def test_placeholder() -> None:
    """The default operator writes [MASKED-<ENTITY>]."""
    assert Masker(None).token("EMAIL", "placeholder", 4, "a@b.co") == "[MASKED-EMAIL]"


def test_partial_keeps_last_digits() -> None:
    """Partial keeps the last four digits of a card and nothing else."""
    token = Masker(None).token("CREDIT_CARD", "partial", 4, "4111 1111 1111 1234")
    assert token == "[MASKED-CREDIT_CARD-1234]"
    assert MASK_TOKEN.fullmatch(token)


def test_partial_card_tail_of_letters_hides_all() -> None:
    """Text under a card key that is no number ("cc: Ana Ruiz") keeps no tail of itself."""
    assert Masker(None).token("CREDIT_CARD", "partial", 4, "Kwame Lefevre") == \
        "[MASKED-CREDIT_CARD]"
    assert Masker(None).token("EMAIL", "partial", 4, "bob@example.com") == "[MASKED-EMAIL-ecom]"


def test_partial_on_short_value_hides_all() -> None:
    """A value too short to keep a tail safely is masked whole."""
    assert Masker(None).token("CVV", "partial", 4, "123") == "[MASKED-CVV]"


def test_pseudonym_is_stable_and_keyed() -> None:
    """The same value gives the same token under one key and another under another key."""
    a, b = Masker(b"k1"), Masker(b"k2")
    t1 = a.token("EMAIL", "pseudonym", 4, "Bob@Example.com")
    assert t1 == a.token("EMAIL", "pseudonym", 4, "bob%40example.com")
    assert t1 != b.token("EMAIL", "pseudonym", 4, "Bob@Example.com")
    assert t1 is not None and MASK_TOKEN.fullmatch(t1)
    assert "bob" not in t1.lower()


def test_pseudonym_without_key_fails_closed() -> None:
    """Without a key a rule asking for a pseudonym still gets a placeholder."""
    assert Masker(None).token("EMAIL", "pseudonym", 4, "a@b.co") == "[MASKED-EMAIL]"


def test_override_needs_key() -> None:
    """Configuring pseudonyms for an entity without a key refuses to start."""
    with pytest.raises(ConfigError, match="pseudonym_key"):
        OperatorPolicy({"EMAIL": OperatorOverride(operator="pseudonym")}, has_key=False)


def test_override_beats_rule() -> None:
    """A settings override replaces the rule's operator."""
    policy = OperatorPolicy({"EMAIL": OperatorOverride(operator="drop")}, has_key=True)
    assert policy.choose("EMAIL", "placeholder", 4) == ("drop", 4)
    assert policy.choose("PHONE_NUMBER", "partial", 3) == ("partial", 3)
