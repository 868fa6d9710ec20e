"""The name lexicons: given names (national statistics) and 2010 US census surnames."""

from __future__ import annotations

import pytest

from processor.detectors.lexicon import family_names, fold_name, given_names, is_given_name
from processor.detectors.validators._names import check_name_by_lexicon


def test_family_names_hold_many_traditions() -> None:
    """The census list holds surnames of the traditions the issue names, not only English."""
    surnames = family_names()
    assert len(surnames) > 150_000
    for name in ("nguyen", "okonkwo", "diallo", "yilmaz", "sharma", "kowalczyk", "osullivan"):
        assert name in surnames


def test_fold_name_writes_the_census_spelling() -> None:
    """Diacritics and apostrophes go, as in the census's ASCII capitals."""
    assert fold_name("O'Sullivan") == "osullivan"
    assert fold_name("Gonçalves") == "goncalves"
    assert fold_name("Schäfer") == "schafer"
    # letters with no decomposition are mapped, not dropped
    assert fold_name("Đặng") == "dang"
    assert fold_name("Łukasz") == "lukasz"
    assert fold_name("Søren") == "soren"


def test_given_names_are_lower_case() -> None:
    """Look-ups are made on lower-cased words."""
    assert "maria" in given_names()
    assert all(name == name.lower() for name in list(given_names())[:1000])


def test_given_names_match_without_accents_and_when_hyphenated() -> None:
    assert is_given_name("Siobhán")  # the dictionary writes Siobhan
    assert is_given_name("Lars-Erik")
    assert is_given_name("Jean-Baptiste")
    assert not is_given_name("Lars-")
    assert not is_given_name("Kubernetes")


@pytest.mark.parametrize(
    ("text", "name"),
    [("Phạm Quỳnh Anh", True), ("Siobhán Ní Bhriain", True), ("Lars-Erik Lindqvist", True),
     ("Green Running", False), ("Pending Anna", False)],
)
def test_family_name_first_and_folded_given_names(text: str, name: bool) -> None:
    """A census family name before known given names reads as a name written family
    name first; accents and hyphens do not hide a given name."""
    assert check_name_by_lexicon(text, {}) is name


@pytest.mark.parametrize(
    ("handle", "name"),
    [("anna_schmidt", True), ("jose.garcia", True), ("max.poll", False), ("os.path", False),
     ("will.power", False), ("build_agent", False), ("anna.schmidt.x", False)],
)
def test_a_handle_is_a_name_only_when_both_halves_are_known(handle: str, name: bool) -> None:
    assert check_name_by_lexicon(handle, {"joined": True}) is name


@pytest.mark.parametrize(
    ("text", "name"),
    [("Schmidt, Anna", True), ("Asante, Kwame", True), ("Garcia, José M.", True),
     ("Error, Retry", False), ("Status, Active", False), ("Page, Pending", False)],
)
def test_family_name_then_comma_then_given_name(text: str, name: bool) -> None:
    assert check_name_by_lexicon(text, {"surname_first": True}) is name
