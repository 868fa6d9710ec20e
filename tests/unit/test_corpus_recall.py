"""Regression floor on the labelled corpus: what `logscrub scrub < mixed.log` must achieve."""

from __future__ import annotations

import json

import pytest

from bench.corpus import generate
from bench.evaluate import Report, score
from processor.pipeline import Scrubber

N = 1500


def _report(scrubber: Scrubber) -> Report:
    records = generate(N, seed=11)
    outputs: list[str] = []
    for i in range(0, N, 250):
        batch = [r.line.encode() for r in records[i : i + 250]]
        outputs += [res.output.decode() for res in scrubber.scrub_many(batch)]
    return score(records, outputs)


@pytest.fixture(scope="module")
def ner_report(ner_scrubber: Scrubber) -> Report:
    """The corpus scored with the full cascade, NER included."""
    return _report(ner_scrubber)


@pytest.mark.ner
def test_every_non_person_entity_fully_masked(ner_report: Report) -> None:
    """Every secret that the cheap layers own is masked, with no fragment left."""
    misses = {e: s.total - s.detected for e, s in ner_report.entities.items()
              if e != "PERSON" and s.detected < s.total}
    assert misses == {}


@pytest.mark.ner
def test_person_recall_floor(ner_report: Report) -> None:
    """NER plus context rules find at least 90% of injected person names."""
    assert ner_report.entities["PERSON"].recall >= 0.90


@pytest.mark.ner
def test_lookalikes_survive(ner_report: Report) -> None:
    """At most 1% of lookalikes are damaged, and no JSON record loses validity or keys."""
    assert ner_report.overmask <= 0.01, json.dumps(ner_report.to_dict()["lookalikes"])
    assert ner_report.json_invalid == 0 and ner_report.json_keys_changed == 0
