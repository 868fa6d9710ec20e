"""Operator overrides must name an entity that the loaded rules can emit."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from processor.errors import ConfigError
from processor.masking.overrides import check_operator_overrides, emittable_entities
from processor.pipeline import Scrubber
from processor.rules.loader import load_rules
from processor.settings import BUNDLED_RULES, ScrubSettings
from tests.conftest import MIN_RULES


def _settings(**fields: object) -> ScrubSettings:
    return ScrubSettings.model_validate({"ner_enabled": False, **fields})


def test_entities_cover_rules_fields_extra_fields_and_ner() -> None:
    """Pattern rules, field rules, extra sensitive fields and NER all count as emittable."""
    ruleset = load_rules(MIN_RULES)
    plain = emittable_entities(ruleset, _settings(rules_dir=MIN_RULES))
    assert {"EMAIL", "PASSWORD", "PERSON"} <= plain and "SENSITIVE_FIELD" not in plain
    extra = emittable_entities(ruleset, _settings(rules_dir=MIN_RULES,
                                                  extra_sensitive_fields=["customer_ref"]))
    assert "SENSITIVE_FIELD" in extra


@pytest.mark.parametrize("entity", ["email", "EMAL", "NOT_A_THING"])
def test_unknown_entity_is_refused_naming_it(entity: str) -> None:
    """An override no rule can use is a ConfigError naming the entity, not silently ignored."""
    settings = _settings(operators={entity: {"operator": "drop"}})
    with pytest.raises(ConfigError, match=f"scrub.operators.{entity}: unknown entity"):
        check_operator_overrides(settings, load_rules(BUNDLED_RULES))


def test_near_miss_entity_gets_a_hint() -> None:
    """A lower-case or misspelt entity name suggests the real one."""
    settings = _settings(operators={"email": {"operator": "drop"}})
    with pytest.raises(ConfigError, match="did you mean 'EMAIL'"):
        check_operator_overrides(settings, load_rules(BUNDLED_RULES))


def test_known_entities_pass() -> None:
    """Overrides for entities of the bundled rules and for NER's PERSON are accepted."""
    settings = _settings(operators={"EMAIL": {"operator": "partial"},
                                    "CREDIT_CARD": {"operator": "drop"},
                                    "PERSON": {"operator": "placeholder"}})
    check_operator_overrides(settings, load_rules(BUNDLED_RULES))


def test_scrubber_refuses_an_unknown_override(
    scrubber_factory: Callable[..., Scrubber],
) -> None:
    """Building a Scrubber (every command that scrubs) checks the overrides first."""
    with pytest.raises(ConfigError, match="'CREDIT_CARDS'"):
        scrubber_factory(rules_dir=BUNDLED_RULES, operators={"CREDIT_CARDS": {"operator": "drop"}})


def test_override_changes_the_mask(scrubber_factory: Callable[..., Scrubber]) -> None:
    """A valid override beats the rule's operator: EMAIL partial instead of pseudonym."""
    scrubber = scrubber_factory(rules_dir=BUNDLED_RULES, pseudonym_key="k-1",
                                operators={"EMAIL": {"operator": "partial"}})
    assert scrubber.scrub(b"login bob@example.com ok").output == b"login [MASKED-EMAIL-ecom] ok"
