"""The pipeline's contracts, pinned with the minimal rule set in tests/data/rules_min."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from processor.pipeline import Scrubber
from processor.records import FALLBACK_TOKEN
from tests.conftest import MIN_RULES


def _out(s: Scrubber, line: str) -> str:
    return s.scrub(line.encode()).output.decode()


def test_json_keeps_keys_and_unmasked_values(min_scrubber: Scrubber) -> None:
    """JSON comes back valid, with the same keys, and unmasked values equal to the input's."""
    src = {"ts": "2024-01-01T00:00:00Z", "user": "bob@example.com", "n": 3.5, "ok": True,
           "nested": {"list": ["a", {"password": "pw"}], "none": None}}
    out = json.loads(_out(min_scrubber, json.dumps(src)))
    assert out["ts"] == src["ts"] and out["n"] == 3.5 and out["ok"] is True
    assert out["user"] == "[MASKED-EMAIL]"
    assert out["nested"]["list"] == ["a", {"password": "[MASKED-PASSWORD]"}]
    assert out["nested"]["none"] is None


def test_unchanged_record_is_returned_byte_for_byte(min_scrubber: Scrubber) -> None:
    """A JSON record with nothing to mask keeps its original formatting."""
    line = '{ "a" : 1,   "b": "plain" }'
    assert _out(min_scrubber, line) == line


def test_text_is_identical_outside_masked_spans(min_scrubber: Scrubber) -> None:
    """Plain text changes only inside the masked span."""
    line = "  user bob@example.com\tlogged in  "
    assert _out(min_scrubber, line) == "  user [MASKED-EMAIL]\tlogged in  "


def test_sensitive_field_masks_nested_values(min_scrubber: Scrubber) -> None:
    """Every scalar under a sensitive key is masked, including numbers."""
    out = json.loads(_out(min_scrubber, '{"password": {"old": "a", "new": 12345, "x": null}}'))
    assert out == {"password": {"old": "[MASKED-PASSWORD]", "new": "[MASKED-PASSWORD]", "x": None}}


def test_partial_operator_on_a_field(min_scrubber: Scrubber) -> None:
    """card_number keeps its last four digits."""
    out = json.loads(_out(min_scrubber, '{"card_number": "4111111111111111"}'))
    assert out == {"card_number": "[MASKED-CREDIT_CARD-1111]"}


def test_drop_operator_removes_the_field(min_scrubber: Scrubber) -> None:
    """A field whose rule drops it is gone from the output."""
    out = json.loads(_out(min_scrubber, '{"x_api_key": "k", "keep": 1}'))
    assert out == {"keep": 1}


def test_counts_are_types_and_counts(min_scrubber: Scrubber) -> None:
    """The result counts findings per (rule, entity), never values."""
    result = min_scrubber.scrub(b'{"password": "pw", "a": "x@y.io and z@y.io"}')
    assert result.entity_counts() == {"PASSWORD": 1, "EMAIL": 2}
    assert "pw" not in repr(result.counts) and "x@y.io" not in repr(result.counts)


def test_oversized_record_is_masked_whole(scrubber_factory: Callable[..., Scrubber]) -> None:
    """A record over max_record_bytes becomes the fallback token, with a reason."""
    s = scrubber_factory(rules_dir=MIN_RULES, max_record_bytes=64)
    result = s.scrub(b"x" * 65)
    assert (result.output, result.fallback) == (FALLBACK_TOKEN.encode(), "oversized")


def test_undecodable_record_is_masked_whole(min_scrubber: Scrubber) -> None:
    """Invalid UTF-8 never comes back raw."""
    result = min_scrubber.scrub(b"password=\xff\xfe secret")
    assert (result.output, result.fallback) == (FALLBACK_TOKEN.encode(), "undecodable")


def test_expired_budget_masks_every_json_value(scrubber_factory: Callable[..., Scrubber]) -> None:
    """When the time budget runs out, every scalar is masked and the keys stay."""
    s = scrubber_factory(rules_dir=MIN_RULES, record_budget_ms=0.000001)
    result = s.scrub(b'{"a": "bob@example.com", "b": {"c": 7}, "d": true}')
    assert result.fallback == "budget"
    assert json.loads(result.output) == {"a": FALLBACK_TOKEN, "b": {"c": FALLBACK_TOKEN}, "d": True}


def test_scrubbing_twice_changes_nothing(min_scrubber: Scrubber) -> None:
    """Scrubbed output is a fixed point."""
    for line in ('{"password": "pw", "u": "a@b.io", "card_number": "4111111111111111"}',
                 "mail a@b.io password=x"):
        once = _out(min_scrubber, line)
        assert _out(min_scrubber, once) == once


def test_scrub_text_for_headers(min_scrubber: Scrubber) -> None:
    """Header values are scrubbed like text records."""
    text, counts = min_scrubber.scrub_text("reply-to a@b.io")
    assert text == "reply-to [MASKED-EMAIL]" and sum(counts.values()) == 1


def test_batch_keeps_count_and_order(min_scrubber: Scrubber) -> None:
    """scrub_many returns one result per record, in order."""
    values = [f"n={i} a{i}@b.io".encode() for i in range(50)] + [b"\xff"]
    results = min_scrubber.scrub_many(values)
    assert len(results) == 51
    assert [r.output.decode().split()[0] for r in results[:50]] == [f"n={i}" for i in range(50)]


def test_detector_error_logs_no_record_content(
    min_scrubber: Scrubber, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A detector that raises with the record in its message is logged by type and line only."""

    def explode(text: str, lowered: str, deadline: float, *_rest: object) -> list[object]:
        raise ValueError(f"cannot parse {text!r}")

    monkeypatch.setattr(min_scrubber._fields, "find_in_text", explode)
    with caplog.at_level("DEBUG"):
        result = min_scrubber.scrub(b'{"note": "secret-value-4111"}')
    assert result.fallback == "detector_error"
    assert b"secret-value-4111" not in result.output
    assert "ValueError at" in caplog.text
    assert "secret-value-4111" not in caplog.text


def test_person_name_under_billing_is_masked(scrubber: Scrubber) -> None:
    """A name inside a billing object is masked; a task's name is left alone."""
    out = json.loads(_out(scrubber, '{"task": {"name": "Nightly Export"}, '
                                    '"billing": {"name": "Ana Nguyen", "plan": "pro"}}'))
    assert out == {"task": {"name": "Nightly Export"},
                   "billing": {"name": "[MASKED-PERSON]", "plan": "pro"}}
