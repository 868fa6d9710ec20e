"""The YAML rule format, as pydantic models. Every field is checked when loaded.

A rule file holds ``rules:`` (pattern rules) and/or ``fields:`` (sensitive field
names). See rules/README.md for the authoring guide.
"""

from __future__ import annotations

import importlib
from typing import Any, Literal

import regex
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "KEY_STRIP",
    "MARK_CLOSE",
    "MARK_OPEN",
    "Examples",
    "FieldRule",
    "OperatorName",
    "PatternSpec",
    "RuleFile",
    "RuleSpec",
    "ValidatorName",
    "normalise_key",
    "unmark",
]

OperatorName = Literal["placeholder", "partial", "pseudonym", "drop", "encrypt"]
ValidatorName = Literal[
    "none", "luhn", "iban", "ssn", "stdnum", "ip", "jwt", "entropy", "phone", "person_name",
    "given_name_first",
    "name_by_lexicon",
    "street_address",
]
Severity = Literal["low", "medium", "high", "critical"]

_KEBAB = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
#: A python-stdnum module as the ``stdnum`` validator's ``format``: ``in_.aadhaar``, ``br.cpf``.
_STDNUM_FORMAT = regex.compile(r"[a-z]{2}_?\.[a-z]{2,20}")
#: In a ``must_mask`` example, ``«`` and ``»`` enclose the exact text that must disappear.
MARK_OPEN, MARK_CLOSE = "\u00ab", "\u00bb"


def unmark(example: str) -> tuple[str, list[tuple[int, int]]]:
    """The example without its ``«…»`` marks, and the marked spans in that text.

    Raises ValueError when the marks are unbalanced, nested or empty.
    """
    text: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    start: int | None = None
    for ch in example:
        if ch == MARK_OPEN:
            if start is not None:
                raise ValueError("nested \u00ab")
            start = pos
        elif ch == MARK_CLOSE:
            if start is None:
                raise ValueError("\u00bb without \u00ab")
            if start == pos:
                raise ValueError("empty \u00ab\u00bb span")
            spans.append((start, pos))
            start = None
        else:
            text.append(ch)
            pos += 1
    if start is not None:
        raise ValueError("\u00ab without \u00bb")
    return "".join(text), spans
_ENTITY = r"^[A-Z][A-Z0-9_]*$"
# what field names lose before they are compared
KEY_STRIP = str.maketrans("", "", "-_. \t")


def normalise_key(key: str) -> str:
    """A field name as field rules and ``not_in_fields`` compare it: ``X-Api-Key`` →
    ``xapikey``."""
    return key.lower().translate(KEY_STRIP)


class PatternSpec(BaseModel):
    """One regular expression of a rule, with the confidence a bare match earns."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, description="what this pattern finds, with its strength")
    regex: str = Field(min_length=1, description="a `regex` package pattern")
    score: float = Field(ge=0.0, le=1.0)
    group: int | str = Field(default=0, description="the capture group holding the secret")
    keywords: list[str] = Field(
        default_factory=list,
        description="this pattern's own prefilter, on top of the rule's (any case)",
    )
    ascii_gate: str | None = Field(
        default=None,
        description="for a pattern Hyperscan cannot run (Unicode classes, lookbehinds): an "
        "ASCII expression that matches wherever the pattern can match in ASCII text, so the "
        "one Hyperscan pass can skip it on most records; a test holds it to that promise",
    )
    overlapped: bool = Field(
        default=False,
        description="also try a match at every start inside an earlier match, so that a "
        "validator turning down 'Contact Maria Garcia' still sees 'Maria Garcia'",
    )

    @field_validator("keywords")
    @classmethod
    def _lowercase(cls, value: list[str]) -> list[str]:
        if any(not w for w in value):
            raise ValueError("empty word in list")
        return [w.lower() for w in value]


class Examples(BaseModel):
    """Texts the rule must find something in, and near misses it must leave alone."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    must_mask: list[str] = Field(
        min_length=1, description="texts to mask; \u00ab\u2026\u00bb marks what must disappear"
    )
    must_not_mask: list[str] = Field(min_length=1)

    @field_validator("must_mask")
    @classmethod
    def _marked(cls, value: list[str]) -> list[str]:
        for i, example in enumerate(value):
            try:
                _text, spans = unmark(example)
            except ValueError as exc:
                raise ValueError(f"example {i}: {exc}") from None
            if not spans:
                raise ValueError(f"example {i}: mark the text that must disappear with "
                                 "\u00ab\u2026\u00bb")
        return value

    @field_validator("must_not_mask")
    @classmethod
    def _unmarked(cls, value: list[str]) -> list[str]:
        for i, example in enumerate(value):
            if MARK_OPEN in example or MARK_CLOSE in example:
                raise ValueError(f"example {i}: a near miss has nothing to mark")
        return value


class RuleSpec(BaseModel):
    """A pattern rule: prefilter keywords, regexes, a validator, context and an operator."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=_KEBAB)
    description: str = Field(min_length=10, description="the risk this rule covers")
    entity: str = Field(pattern=_ENTITY)
    severity: Severity
    patterns: list[PatternSpec] = Field(min_length=1)
    keywords: list[str] = Field(
        default_factory=list,
        description="literal prefilter: the rule runs only when one appears (any case)",
    )
    validator: ValidatorName = "none"
    validator_args: dict[str, Any] = Field(default_factory=dict)
    context: list[str] = Field(default_factory=list, description="words that raise the score")
    context_boost: float = Field(default=0.35, ge=0.0, le=1.0)
    context_window: int = Field(default=48, ge=1, le=1000)
    not_in_fields: tuple[str, ...] = Field(
        default=(),
        description="field names (normalised, as suffixes) whose values the rule never matches",
    )
    min_score: float = Field(default=0.5, ge=0.0, le=1.0)
    operator: OperatorName = "placeholder"
    keep_last: int = Field(default=4, ge=0, le=8)
    enabled: bool = True
    #: ``shadow``: evaluated and counted on live traffic, never masking (see
    #: ``logscrub rules promote``).
    mode: Literal["enforce", "shadow"] = "enforce"
    examples: Examples

    @field_validator("keywords", "context")
    @classmethod
    def _lowercase_nonempty(cls, value: list[str]) -> list[str]:
        if any(not w for w in value):
            raise ValueError("empty word in list")
        return [w.lower() for w in value]

    @field_validator("not_in_fields")
    @classmethod
    def _normalised_names(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not n or n != normalise_key(n) for n in value):
            raise ValueError("not_in_fields names are written normalised: lower case, "
                             "no '-', '_', '.' or spaces")
        return value

    @model_validator(mode="after")
    def _stdnum_format(self) -> RuleSpec:
        if self.validator == "stdnum":
            fmt = str(self.validator_args.get("format", ""))
            try:
                found = bool(_STDNUM_FORMAT.fullmatch(fmt)) and callable(
                    getattr(importlib.import_module(f"stdnum.{fmt}"), "is_valid", None))
            except ImportError:
                found = False
            if not found:
                raise ValueError(f"validator_args.format {fmt!r} names no python-stdnum module")
        return self

    @model_validator(mode="after")
    def _reachable(self) -> RuleSpec:
        best = max(p.score for p in self.patterns)
        reach = best + (self.context_boost if self.context else 0.0)
        if reach < self.min_score:
            raise ValueError(
                f"no pattern can reach min_score {self.min_score} (best {best:.2f}"
                f"{' with context' if self.context else ''})"
            )
        return self


class FieldRule(BaseModel):
    """Values under these field names are masked whole.

    Names are compared after normalisation: lower case, with ``-``, ``_``, ``.``
    and spaces removed, so ``apiKey``, ``API-KEY`` and ``api_key`` are one name.
    ``match: suffix`` also catches prefixed names such as ``db_password``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    entity: str = Field(pattern=_ENTITY)
    names: list[str] = Field(min_length=1)
    match: Literal["exact", "suffix"] = "exact"
    in_text: Literal["any", "quoted", "never"] = Field(
        default="any",
        description="in free text, which key=value pairs count: any value, only quoted "
        "values (for names that are common words in logs, like address), or none",
    )
    under: list[str] = Field(
        default_factory=list,
        description="only inside an object held under one of these keys, e.g. name under "
        "billing; such names never apply to key=value pairs in free text",
    )
    beside: dict[str, str] = Field(
        default_factory=dict,
        description="only in an object that also holds these keys with these string values, "
        "e.g. data beside kind: Secret (a Kubernetes Secret); matched whole, any case",
    )
    beside_any: list[str] = Field(
        default_factory=list,
        description="only in an object that also holds one of these keys, whatever its "
        "value, e.g. city beside street (the parts of an address held flat in a record)",
    )
    operator: OperatorName = "placeholder"
    keep_last: int = Field(default=4, ge=0, le=8)
    identifiers_in_text: str | None = Field(
        default=None,
        description="a regex: an unquoted value in free text that matches it whole is an "
        "in-memory or protocol identifier, not a secret (ZooKeeper's sessionid 0x14ed93111f2, "
        "Android's token=Token{9f4ef63}); JSON values and quoted values are masked anyway",
    )

    @field_validator("identifiers_in_text")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                regex.compile(value)
            except regex.error as exc:
                raise ValueError(f"does not compile: {exc}") from None
        return value


class RuleFile(BaseModel):
    """The content of one YAML file under rules/."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rules: list[RuleSpec] = Field(default_factory=list)
    fields: list[FieldRule] = Field(default_factory=list)
