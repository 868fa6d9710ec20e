"""The property tests check what the rules find, not the record time budget.

``test_budgets.py`` holds the budget to its promise. Here a budget of seconds keeps an
example that the scheduler set aside on a busy machine from falling back to
``[MASKED-RECORD]``, which would fail a test about JSON keys for a reason of timing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from processor.pipeline import Scrubber
from processor.settings import BUNDLED_RULES

_PATIENT_BUDGET_MS = 10_000.0


@pytest.fixture(scope="session")
def scrubber(scrubber_factory: Callable[..., Scrubber]) -> Scrubber:
    """The bundled rules without NER, with a budget no scheduling pause exceeds."""
    return scrubber_factory(rules_dir=BUNDLED_RULES, record_budget_ms=_PATIENT_BUDGET_MS)
