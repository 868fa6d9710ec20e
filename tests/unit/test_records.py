"""Record format detection and JSON decoding."""

from __future__ import annotations

from collections import Counter

from processor.records import MASK_TOKEN, decode_json, detect_format, findings_header


def test_json_object_detected() -> None:
    """A line holding a JSON object is JSON."""
    assert detect_format('  {"a": 1}  ') == "json"


def test_logfmt_detected() -> None:
    """A line of key=value pairs is logfmt."""
    assert detect_format('ts=2024-01-01T00:00:00Z level=info msg="hello world"') == "logfmt"


def test_text_detected() -> None:
    """An nginx access line is plain text."""
    line = '10.1.2.3 - - [10/Oct/2024:13:55:36 +0000] "GET /a HTTP/1.1" 200 612'
    assert detect_format(line) == "text"


def test_json_array_is_not_an_object() -> None:
    """Only objects decode; an array is handled as text."""
    assert decode_json("[1, 2]") is None


def test_big_integers_survive_decoding() -> None:
    """Integers beyond 64 bits decode through the stdlib fallback."""
    doc = decode_json('{"n": 123456789012345678901234567890}')
    assert doc == {"n": 123456789012345678901234567890}


def test_deep_nesting_is_not_json() -> None:
    """JSON nested 100,000 deep is refused without an exception."""
    assert decode_json("[" * 100_000 + "]" * 100_000) is None
    assert decode_json('{"a":' * 100_000 + "1" + "}" * 100_000) is None


def test_findings_header_orders_by_count() -> None:
    """The header lists types and counts, most frequent first."""
    assert findings_header(Counter({"EMAIL": 2, "CREDIT_CARD": 1})) == "EMAIL=2,CREDIT_CARD=1"


def test_mask_token_shapes() -> None:
    """Placeholder, partial and pseudonym tokens are all recognised as tokens."""
    for token in ("[MASKED-EMAIL]", "[MASKED-CREDIT_CARD-1111]", "[EMAIL:9f2c41d7a0b3]"):
        assert MASK_TOKEN.fullmatch(token)
    assert not MASK_TOKEN.fullmatch("[INFO]")
