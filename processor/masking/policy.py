"""Which operator masks each entity: decided once, when the rules are loaded.

A settings override (``scrub.operators``) beats the rule's own operator. The effective
operator is written into the field rules and pattern rules the detectors use, so every
finding carries its final operator and nothing chooses again at mask time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from processor.errors import ConfigError
from processor.rules.loader import CompiledRule
from processor.rules.schema import FieldRule
from processor.settings import OperatorOverride

__all__ = ["OperatorPolicy"]


class OperatorPolicy:
    """Applies the settings' per-entity overrides to rules."""

    def __init__(self, overrides: Mapping[str, OperatorOverride], has_key: bool) -> None:
        self._overrides = dict(overrides)
        for entity, override in self._overrides.items():
            if override.operator == "pseudonym" and not has_key:
                raise ConfigError(
                    f"scrub.operators.{entity}: pseudonym needs scrub.pseudonym_key "
                    "(LOGSCRUB_SCRUB__PSEUDONYM_KEY)"
                )

    def choose(self, entity: str, operator: str, keep_last: int) -> tuple[str, int]:
        """The operator in force for an entity: a settings override beats the rule."""
        override = self._overrides.get(entity)
        if override is not None:
            return override.operator, override.keep_last
        return operator, keep_last

    def field_rules(self, rules: Iterable[FieldRule]) -> list[FieldRule]:
        """Field rules carrying their effective operator."""
        out = []
        for rule in rules:
            op, keep = self.choose(rule.entity, rule.operator, rule.keep_last)
            out.append(rule.model_copy(update={"operator": op, "keep_last": keep}))
        return out

    def pattern_rules(self, rules: Iterable[CompiledRule]) -> list[CompiledRule]:
        """Pattern rules carrying their effective operator."""
        out = []
        for rule in rules:
            spec = rule.spec
            op, keep = self.choose(spec.entity, spec.operator, spec.keep_last)
            out.append(replace(rule, spec=spec.model_copy(update={"operator": op,
                                                                  "keep_last": keep})))
        return out
