"""``logscrub rules promote RULE_ID``: turn a shadow rule into an enforcing one.

It is a file edit meant to go through review, not a runtime switch: the ``mode: shadow``
line of that rule becomes ``mode: enforce``, and every other byte of the file stays as it
was (comments, order, quoting). The edited file is parsed again before it is written, and
the write replaces the file atomically. The running processor picks the change up on its
next reload.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from processor.atomic_file import replace_file
from processor.errors import RuleError, RuleSetError
from processor.rules.loader import load_rules
from processor.rules.schema import RuleFile

__all__ = ["promote_rule"]

_ITEM = re.compile(r"^(?P<indent>[ ]*)-[ ]+id:[ ]*['\"]?(?P<id>[a-z0-9-]+)['\"]?[ ]*(?:#.*)?$")
_MODE = re.compile(r"^(?P<head>[ ]*mode:[ ]*)['\"]?shadow['\"]?(?P<tail>[ ]*(?:#.*)?)$")


def promote_rule(rules_dir: Path, rule_id: str) -> Path:
    """Rewrite ``rule_id``'s file so the rule enforces; return the file edited.

    Raises RuleSetError when the rule is unknown or not in shadow mode, or when its
    entry is not written in the block style this edit understands.
    """
    ruleset = load_rules(rules_dir)
    found = [r for r in ruleset.rules if r.spec.id == rule_id]
    if not found:
        raise RuleSetError(f"no enabled rule {rule_id!r} in {rules_dir}")
    rule = found[0]
    if rule.spec.mode != "shadow":
        raise RuleSetError(f"{rule.file}: rule {rule_id!r} already enforces")
    path = rules_dir / rule.file
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    start, end = _block(lines, rule_id, rule.file)
    edited = None
    for i in range(start + 1, end):
        body = lines[i].rstrip("\r\n")
        m = _MODE.match(body)
        if m and len(body) - len(body.lstrip(" ")) == _indent(lines[start]) + 2:
            ending = lines[i][len(body):]
            lines[i] = f"{m['head']}enforce{m['tail']}{ending}"
            edited = "".join(lines)
            break
    if edited is None:
        raise RuleError(rule.file, rule_id, "mode", "no 'mode: shadow' line to rewrite")
    _check(edited, rule.file, rule_id, text)
    replace_file(path, edited.encode("utf-8"), mode=path.stat().st_mode & 0o777, fsync=True)
    return path


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block(lines: list[str], rule_id: str, file: str) -> tuple[int, int]:
    """The line range of the rule's list item: its ``- id:`` line up to the next item."""
    for i, line in enumerate(lines):
        m = _ITEM.match(line.rstrip("\r\n"))
        if m and m["id"] == rule_id:
            indent = len(m["indent"])
            for j in range(i + 1, len(lines)):
                stripped = lines[j].strip()
                if stripped and not stripped.startswith("#") and _indent(lines[j]) <= indent:
                    return i, j
            return i, len(lines)
    raise RuleError(file, rule_id, "id", "the entry must start with '- id: <id>' to be promoted")


def _check(edited: str, file: str, rule_id: str, original: str) -> None:
    """The edit changed exactly this rule's mode, and nothing else."""
    before = RuleFile.model_validate(yaml.safe_load(original))
    after = RuleFile.model_validate(yaml.safe_load(edited))
    expected = [
        r.model_copy(update={"mode": "enforce"}) if r.id == rule_id else r for r in before.rules
    ]
    if after.rules != expected or after.fields != before.fields:
        raise RuleError(file, rule_id, "mode", "the edit would change more than the mode")

