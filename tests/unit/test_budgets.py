"""Issue 6, item 7: every layer runs under a deadline, and NER failures fail closed."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

import pytest

from processor.detectors.ner import NerDetector
from processor.pipeline import Scrubber
from processor.records import FALLBACK_TOKEN
from processor.rules.loader import load_rules
from processor.settings import ScrubSettings
from tests.conftest import MIN_RULES

TINY_MS = 0.000001


class FakeAnalyzer:
    """Stands in for the spaCy model: finds no one, or raises."""

    def __init__(self, fail_with: str | None = None) -> None:
        self.calls = 0
        self.fail_with = fail_with

    def __call__(self, texts: Sequence[str]) -> list[list[tuple[int, int]]]:
        self.calls += 1
        if self.fail_with is not None:
            raise ValueError(f"model choked on {self.fail_with!r}")
        return [[] for _ in texts]


def _scrubber(analyzer: FakeAnalyzer, **fields: Any) -> Scrubber:
    settings = ScrubSettings.model_validate({"rules_dir": MIN_RULES, **fields})
    ner = NerDetector("unused", 0.6, 100, recogniser=analyzer)
    return Scrubber(load_rules(MIN_RULES), settings, ner)


def test_field_name_layer_checks_the_budget(scrubber_factory: Any) -> None:
    """A record only the field-name layer reads still runs out of budget and is masked whole."""
    s = scrubber_factory(rules_dir=MIN_RULES, record_budget_ms=TINY_MS)
    result = s.scrub(b"password=hunter2 user=bob level=info " * 100)
    assert (result.fallback, result.output) == ("budget", FALLBACK_TOKEN.encode())


def test_json_walk_checks_the_budget(scrubber_factory: Any) -> None:
    """A wide JSON record with nothing for the pattern rules still runs out of budget."""
    s = scrubber_factory(rules_dir=MIN_RULES, record_budget_ms=TINY_MS)
    doc = {f"k{i}": {"n": i} for i in range(600)}
    result = s.scrub(json.dumps(doc).encode())
    assert result.fallback == "budget"


def test_large_record_fits_a_normal_budget(scrubber: Scrubber) -> None:
    """A 1 MB record of key=value pairs is scrubbed or masked whole, never passed raw."""
    line = ("user=bob password=hunter2 mail=bob@example.com " * 22_000)[:1_000_000]
    result = scrubber.scrub(line.encode())
    assert b"hunter2" not in result.output and b"bob@example.com" not in result.output


def test_ner_batch_deadline_masks_unread_records_whole() -> None:
    """Records NER could not read before the batch deadline fall back to fully masked."""
    analyzer = FakeAnalyzer()
    s = _scrubber(analyzer, ner_batch_budget_ms=TINY_MS)
    named, plain = s.scrub_many([b"refund for customer Maria Garcia today", b"job 42 done"])
    assert (named.fallback, named.output) == ("ner_budget", FALLBACK_TOKEN.encode())
    assert (plain.fallback, plain.output) == (None, b"job 42 done")
    assert analyzer.calls == 0


def test_ner_within_its_deadline_passes_records_through() -> None:
    """With time left, NER runs and a record without a person comes back as it was."""
    analyzer = FakeAnalyzer()
    scrubber = _scrubber(analyzer)
    analyzer.calls = 0  # the scrubber's start-up warm-up called it once
    (result,) = scrubber.scrub_many([b"refund for customer Maria Garcia today"])
    assert result.fallback is None and analyzer.calls == 1


def test_ner_failure_masks_the_batch_and_logs_no_content(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """When NER raises, every record it had to read is masked whole; the log holds no text."""
    s = _scrubber(FakeAnalyzer(fail_with="Maria Garcia"))
    with caplog.at_level(logging.DEBUG):
        results = s.scrub_many([b"refund for customer Maria Garcia today",
                                b'{"note": "ticket from Maria Garcia"}', b"{}"])
    assert [r.fallback for r in results] == ["detector_error", "detector_error", None]
    assert results[0].output == FALLBACK_TOKEN.encode()
    assert json.loads(results[1].output) == {"note": FALLBACK_TOKEN}
    assert "Maria" not in caplog.text and "ValueError at" in caplog.text
