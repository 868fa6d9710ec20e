"""The percent-decoded view: escapes, UTF-8 sequences and form-encoded spaces."""

from __future__ import annotations

import pytest

from processor.percent import percent_view
from processor.pipeline import Scrubber


@pytest.mark.parametrize(
    ("text", "decoded"),
    [
        ("user%3Dbob%40example.com", "user=bob@example.com"),
        ("q=Sch%C3%B6nhauser%20Allee%20142", "q=Schönhauser Allee 142"),
        ("address=12+Baker+Street&city=London", "address=12 Baker Street&city=London"),
        ("x=%C3%28", "x=%C3("),  # a broken UTF-8 sequence stays as written
    ],
)
def test_decoded_text(text: str, decoded: str) -> None:
    view = percent_view(text)
    assert view is not None and view.text == decoded
    assert view.span(0, len(view.text)) == (0, len(text))


@pytest.mark.parametrize("text", ["C++ is fine", "a+b", "no escapes here", "version 1.2+beta"])
def test_nothing_to_decode(text: str) -> None:
    assert percent_view(text) is None


def test_spans_map_back_over_whole_escapes() -> None:
    view = percent_view("q=Sch%C3%B6n+Allee")
    assert view is not None
    start = view.text.index("ö")
    assert view.span(start, start + 1) == (5, 11)


@pytest.mark.parametrize(
    ("line", "secrets", "kept"),
    [
        ("GET /geocode?address=1600+Amphitheatre+Parkway,+Mountain+View,+CA&key=x",
         ("Amphitheatre", "Mountain"), "&key=x"),
        ("POST /checkout street=12+Baker+Street&city=London&postcode=NW1+6XE",
         ("Baker", "London", "NW1"), "POST /checkout street="),
        ("GET /geo?q=Sch%C3%B6nhauser%20Allee%20142%2C%2010437%20Berlin",
         ("Allee", "Berlin"), "GET /geo?q="),
        ("GET /search?name=Anna+Schmidt&page=2", ("Anna", "Schmidt"), "&page=2"),
        ("GET /q?owner=anna_schmidt&page=2", ("anna_schmidt",), "&page=2"),
    ],
)
def test_form_encoded_values_are_scanned(scrubber: Scrubber, line: str,
                                         secrets: tuple[str, ...], kept: str) -> None:
    out = scrubber.scrub(line.encode()).output.decode()
    assert not [s for s in secrets if s in out], out
    assert kept in out
