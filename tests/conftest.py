"""Shared fixtures: scrubbers built on the bundled rules and on a minimal rule set."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from processor.pipeline import Scrubber
from processor.settings import BUNDLED_RULES, ScrubSettings

# `make test` draws the same examples on every run, so a CI verdict can be reproduced;
# `make fuzz` (HYPOTHESIS_PROFILE=fuzz) runs the property tests with new draws each time.
# No deadline: a slow example on a busy machine is not a failure.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("fuzz", derandomize=False, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

DATA = Path(__file__).parent / "data"
MIN_RULES = DATA / "rules_min"


@pytest.fixture(scope="session")
def scrubber_factory() -> Callable[..., Scrubber]:
    """Build a Scrubber from ScrubSettings fields (NER off unless asked for)."""

    def make(**fields: object) -> Scrubber:
        fields.setdefault("ner_enabled", False)
        return Scrubber.from_settings(ScrubSettings.model_validate(fields))

    return make


@pytest.fixture(scope="session")
def scrubber(scrubber_factory: Callable[..., Scrubber]) -> Scrubber:
    """The bundled rules without NER: the fast path most tests check."""
    return scrubber_factory(rules_dir=BUNDLED_RULES)


@pytest.fixture(scope="session")
def ner_scrubber(scrubber_factory: Callable[..., Scrubber]) -> Scrubber:
    """The bundled rules with NER, as `logscrub scrub` runs by default."""
    return scrubber_factory(rules_dir=BUNDLED_RULES, ner_enabled=True)


@pytest.fixture(scope="session")
def min_scrubber(scrubber_factory: Callable[..., Scrubber]) -> Scrubber:
    """A two-rule set that pins the engine's mechanics independent of the bundled packs."""
    return scrubber_factory(rules_dir=MIN_RULES, pseudonym_key="unit-test-key")
