"""The name lexicons: given names (national statistics) and 2010 US census surnames."""

from __future__ import annotations

from processor.detectors.lexicon import family_names, fold_name, given_names


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


def test_given_names_are_lower_case() -> None:
    """Look-ups are made on lower-cased words."""
    assert "maria" in given_names()
    assert all(name == name.lower() for name in list(given_names())[:1000])
