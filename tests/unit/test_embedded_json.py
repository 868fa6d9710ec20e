"""JSON held in a JSON string is decoded, scrubbed and encoded again in its own style."""

from __future__ import annotations

import json

from processor.pipeline import Scrubber


def _out(s: Scrubber, line: str) -> str:
    return s.scrub(line.encode()).output.decode()


def test_values_inside_are_masked_and_the_style_kept(scrubber: Scrubber) -> None:
    inner = '{"customer": "Ingrid Solberg", "email": "ingrid@example.org", "tier": "gold"}'
    out = json.loads(_out(scrubber, json.dumps({"event": "note", "body": inner})))
    body = out["body"]
    assert "ingrid@example.org" not in body and "Ingrid Solberg" not in body
    decoded = json.loads(body)
    assert list(decoded) == ["customer", "email", "tier"] and decoded["tier"] == "gold"
    assert '", "' in body and '": "' in body  # the separators it came with


def test_keys_inside_count_as_field_names(scrubber: Scrubber) -> None:
    """password inside the string is a field name, masked whole, two levels down."""
    level2 = json.dumps({"password": "correct horse battery", "x": 1}, separators=(",", ":"))
    line = json.dumps({"a": json.dumps({"b": level2}, separators=(",", ":"))})
    out = json.loads(_out(scrubber, line))
    inner = json.loads(json.loads(out["a"])["b"])
    assert inner == {"password": "[MASKED-PASSWORD]", "x": 1}


def test_an_unchanged_string_stays_byte_for_byte(scrubber: Scrubber) -> None:
    line = '{"event":"note","body":"{ \\"tier\\" :  \\"gold\\" }"}'
    assert _out(scrubber, line) == line


def test_non_ascii_escaping_is_kept(scrubber: Scrubber) -> None:
    inner = json.dumps({"note": "für Zoë", "email": "zoe@example.org"})  # \\u escapes
    out = json.loads(_out(scrubber, json.dumps({"body": inner})))
    assert "\\u00fc" in out["body"] and "zoe@example.org" not in out["body"]


def test_deep_nesting_in_a_string_is_scanned_as_text(scrubber: Scrubber) -> None:
    """A string too deep to decode is scanned as text: no crash, the email still goes."""
    deep = "[" * 100_000 + '"bob@example.org"' + "]" * 100_000
    out = json.loads(_out(scrubber, json.dumps({"body": deep})))
    assert "bob@example.org" not in out["body"]
