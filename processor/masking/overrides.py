"""Operator overrides (``scrub.operators``) checked against what the loaded rules can emit.

An override for an entity no rule can find would be silently ignored, and a value its
author meant to pseudonymise or drop would come out with the default mask instead. So
every override must name an entity that the rule set (pattern rules, field rules),
``scrub.extra_sensitive_fields`` or NER can emit; anything else refuses to start.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from processor.detectors.keys import EXTRA_FIELDS_ENTITY
from processor.detectors.ner import NER_ENTITY
from processor.errors import ConfigError
from processor.rules.loader import RuleSet
from processor.settings import ScrubSettings

__all__ = ["check_operator_overrides", "emittable_entities"]


def emittable_entities(ruleset: RuleSet, settings: ScrubSettings) -> frozenset[str]:
    """Every entity type a finding can carry with this rule set and these settings."""
    entities = {rule.spec.entity for rule in ruleset.rules}
    entities.update(field.entity for field in ruleset.fields)
    if settings.extra_sensitive_fields:
        entities.add(EXTRA_FIELDS_ENTITY)
    # NER's entity stays valid when a command runs with --no-ner: the same settings
    # file must not turn invalid because one command skips a layer.
    entities.add(NER_ENTITY)
    return frozenset(entities)


def check_operator_overrides(settings: ScrubSettings, ruleset: RuleSet) -> None:
    """Raise ConfigError naming the first override whose entity no rule can emit."""
    known = emittable_entities(ruleset, settings)
    for entity in sorted(settings.operators):
        if entity not in known:
            raise ConfigError(
                f"scrub.operators.{entity}: unknown entity {entity!r}; "
                f"{_hint(entity, known)}the rules in {settings.rules_dir} emit: "
                f"{', '.join(sorted(known))}"
            )


def _hint(entity: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(entity.upper(), list(known), n=1, cutoff=0.75)
    return f"did you mean {close[0]!r}? " if close else ""
