"""Load and validate every YAML file of a rules directory, stopping on the first problem.

Errors name the file, the rule id and the field. Never returns a partial rule set.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex
import yaml
from pydantic import ValidationError

from processor.errors import RuleError, RuleSetError
from processor.rules.schema import FieldRule, RuleFile, RuleSpec

__all__ = ["CompiledPattern", "CompiledRule", "RuleSet", "load_rules"]


@dataclass(frozen=True, slots=True)
class CompiledPattern:
    """A rule pattern compiled with the ``regex`` package."""

    name: str
    pattern: regex.Pattern[str]
    score: float
    group: int | str
    keywords: tuple[str, ...]
    needs_context: bool
    overlapped: bool = False
    ascii_gate: str | None = None


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A validated rule with its compiled patterns and the file it came from."""

    spec: RuleSpec
    file: str
    patterns: tuple[CompiledPattern, ...]


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Every enabled rule and field rule, plus a version hash of the files' content."""

    rules: tuple[CompiledRule, ...]
    fields: tuple[FieldRule, ...]
    version: str
    files: tuple[str, ...]


def _rule_id_at(raw: Any, loc: tuple[Any, ...]) -> str:
    """The id of the rule a pydantic error location points into, or a position."""
    if len(loc) >= 2 and loc[0] in ("rules", "fields") and isinstance(loc[1], int):
        try:
            item = raw[loc[0]][loc[1]]
        except (KeyError, IndexError, TypeError):
            return f"{loc[0]}[{loc[1]}]"
        if isinstance(item, dict) and loc[0] == "rules" and isinstance(item.get("id"), str):
            return str(item["id"])
        if isinstance(item, dict) and loc[0] == "fields":
            return f"fields[{loc[1]}]:{item.get('entity', '?')}"
        return f"{loc[0]}[{loc[1]}]"
    return "-"


# libyaml's safe loader when PyYAML was built with it: the same documents, parsed about
# ten times faster than in Python (the rule files are most of the start-up's parsing)
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_file(path: Path) -> tuple[RuleFile, bytes]:
    data = path.read_bytes()
    try:
        raw = yaml.load(data, Loader=_SAFE_LOADER)  # noqa: S506  (a safe loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise RuleSetError(f"{path.name}: not valid YAML{where}") from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise RuleSetError(f"{path.name}: the top level must be a mapping with rules: and fields:")
    try:
        return RuleFile.model_validate(raw), data
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc[2:]) or ".".join(str(p) for p in loc)
        raise RuleError(path.name, _rule_id_at(raw, loc), field, err["msg"]) from None


def _compile(spec: RuleSpec, file: str) -> CompiledRule:
    compiled = []
    for i, pat in enumerate(spec.patterns):
        try:
            rx = regex.compile(pat.regex, regex.MULTILINE)
        except regex.error as exc:
            where = f"patterns.{i}.regex"
            raise RuleError(file, spec.id, where, f"does not compile: {exc}") from None
        group = pat.group
        if isinstance(group, int) and group > rx.groups:
            raise RuleError(file, spec.id, f"patterns.{i}.group", f"no group {group} in the regex")
        if isinstance(group, str) and group not in rx.groupindex:
            raise RuleError(file, spec.id, f"patterns.{i}.group", f"no group named {group!r}")
        # a pattern below min_score can only hit with context: no context word, no run
        needs_context = pat.score < spec.min_score
        compiled.append(
            CompiledPattern(pat.name, rx, pat.score, group, tuple(pat.keywords), needs_context,
                            pat.overlapped, pat.ascii_gate)
        )
    return CompiledRule(spec, file, tuple(compiled))


def load_rules(directory: Path) -> RuleSet:
    """Load every ``*.yaml`` file under ``directory``; raise on the first problem."""
    if not directory.is_dir():
        raise RuleSetError(f"rules directory not found: {directory}")
    # Hidden names are skipped: a Kubernetes ConfigMap mount holds every file twice, once
    # under a timestamped ``..2026_...`` folder (reached through ``..data``), once as a link.
    paths = sorted(
        p for p in directory.rglob("*.y*ml")
        if p.suffix in (".yaml", ".yml")
        and not any(part.startswith(".") for part in p.relative_to(directory).parts)
    )
    if not paths:
        raise RuleSetError(f"no rule files (*.yaml) in {directory}")
    digest = hashlib.sha256()
    rules: list[CompiledRule] = []
    fields: list[FieldRule] = []
    seen: dict[str, str] = {}
    for path in paths:
        rel = str(path.relative_to(directory))
        parsed, data = _parse_file(path)
        digest.update(rel.encode() + b"\0" + data + b"\0")
        for spec in parsed.rules:
            if spec.id in seen:
                first = seen[spec.id]
                raise RuleError(rel, spec.id, "id", f"duplicate id, first defined in {first}")
            seen[spec.id] = rel
            if spec.enabled:
                rules.append(_compile(spec, rel))
        fields.extend(parsed.fields)
    if not rules and not fields:
        raise RuleSetError(f"no enabled rules in {directory}")
    version = digest.hexdigest()[:12]
    return RuleSet(tuple(rules), tuple(fields), version, tuple(str(p) for p in paths))
