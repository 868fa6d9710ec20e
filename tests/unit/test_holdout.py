"""Tests for the held-out corpus generator (bench/holdout.py) and the eval summary."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from bench._holdout_values import TOKEN_KINDS
from bench.corpus import LabelledRecord
from bench.eval import summary
from bench.evaluate import score
from bench.holdout import generate

N = 1200


@pytest.fixture(scope="module")
def holdout() -> list[LabelledRecord]:
    """A held-out corpus shared by the tests in this module."""
    return generate(N)


def test_same_seed_same_records() -> None:
    """The generator is deterministic, so figures from two runs compare."""
    assert [r.line for r in generate(40)] == [r.line for r in generate(40)]
    assert [r.line for r in generate(40, seed=12)] != [r.line for r in generate(40)]


def test_labels_sit_in_their_lines(holdout: list[LabelledRecord]) -> None:
    """Every labelled secret and lookalike is a substring of its own line."""
    for rec in holdout:
        assert "\n" not in rec.line
        for _, secret in rec.secrets:
            assert secret in rec.line
        for look in rec.lookalikes:
            assert look in rec.line


def test_covers_every_entity_and_provider(holdout: list[LabelledRecord]) -> None:
    """People, places, phones, cards, IBANs, passwords and every provider kind occur."""
    seen = Counter(e for r in holdout for e, _ in r.secrets)
    for entity in ("PERSON", "STREET_ADDRESS", "PHONE_NUMBER", "EMAIL", "CREDIT_CARD",
                   "IBAN", "PASSWORD"):
        assert seen[entity] >= 10, entity
    for kind in TOKEN_KINDS:
        assert seen[f"TOKEN_{kind}"] >= 1, kind


def test_json_records_parse(holdout: list[LabelledRecord]) -> None:
    """JSON records are valid JSON objects, so the key check means something."""
    for rec in holdout:
        if rec.format == "json":
            assert isinstance(json.loads(rec.line), dict)


def test_summary_counts_leaks_and_lookalikes() -> None:
    """The eval summary turns a scored run into recall, leak rate and lookalikes kept."""
    recs = [LabelledRecord("pay Jean-Luc Picard now", "text", (("PERSON", "Jean-Luc Picard"),),
                           ("pay",)),
            LabelledRecord("call +44 20 7946 0958 ok", "text",
                           (("PHONE_NUMBER", "+44 20 7946 0958"),), ("ok",))]
    rep = score(recs, ["[MASKED-PERSON] now", "call +44 20 7946 0958 ok"])
    s = summary(rep)
    assert s["recall"] == 0.5
    assert s["leaks_8plus_chars"] == 0.5
    assert s["lookalikes_kept"] == 0.5
    assert s["worst_entity"] == ("PHONE_NUMBER", 0.0)
