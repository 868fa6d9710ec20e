"""The diff report: masks added and removed per rule, differing records, no raw text."""

from __future__ import annotations

from pathlib import Path

from processor.pipeline import Scrubber
from processor.replay.diff import DiffReport
from processor.rules.loader import load_rules
from processor.settings import ScrubSettings
from tests.configmap_dir import BASIC_RULES, ORDER_RULE


def _scrubber(tmp_path: Path, name: str, *bodies: str) -> Scrubber:
    d = tmp_path / name
    d.mkdir()
    for i, body in enumerate(bodies):
        (d / f"r{i}.yaml").write_text(body)
    return Scrubber(load_rules(d), ScrubSettings(rules_dir=d, ner_enabled=False))


def test_diff_counts_added_and_removed_masks(tmp_path: Path) -> None:
    """A rule present only on the new side is counted as added, per rule and entity."""
    new = _scrubber(tmp_path, "new", BASIC_RULES, ORDER_RULE)
    old = _scrubber(tmp_path, "old", BASIC_RULES)
    report = DiffReport(new, old, max_records=1, max_examples=2)
    values = [b"order ORD-123456 by a@example.com", b"no order here", b"ORD-654321 ORD-111111"]
    report.add(["raw/0/1", "raw/0/2", "raw/0/3"], values)
    data = report.to_json(new.ruleset_version, old.ruleset_version)
    rows = {r["rule"]: r for r in data["by_rule"]}
    assert rows["order-number"] | {"examples": None} == {
        "rule": "order-number", "entity": "ORDER_ID", "new": 3, "old": 0, "added": 3,
        "removed": 0, "examples": None}
    assert rows["email-address"]["added"] == rows["email-address"]["removed"] == 0
    assert (data["records"], data["records_differing"]) == (3, 2)
    assert data["differing_sources"] == ["raw/0/1"]  # capped at max_records
    assert data["masks_added"] == 3 and data["masks_removed"] == 0


def test_removed_rule_examples_never_show_raw_text(tmp_path: Path) -> None:
    """Examples come from the masking side and are masked by the other side's rules too."""
    new = _scrubber(tmp_path, "new", BASIC_RULES)
    old = _scrubber(tmp_path, "old", BASIC_RULES, ORDER_RULE)
    report = DiffReport(new, old, max_records=10, max_examples=5)
    report.add(["raw/0/7"], [b"order ORD-123456 by bob@example.com"])
    row = next(r for r in report.rows() if r.rule == "order-number")
    assert (row.added, row.removed) == (0, 1)
    assert row.examples == [{"change": "removed", "side": "old", "source": "raw/0/7",
                             "line": "order [MASKED-ORDER_ID] by [MASKED-EMAIL]"}]

