"""Shared fixtures: scrubbers built on the bundled rules and on a minimal rule set."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from processor.pipeline import Scrubber
from processor.settings import BUNDLED_RULES, ScrubSettings

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
