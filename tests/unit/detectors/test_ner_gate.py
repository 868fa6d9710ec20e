"""The record-level NER gate: it rules out only records with no name-shaped run."""

from __future__ import annotations

import json

from bench.corpus import generate
from processor.detectors.ner import may_hold_name, name_windows


def _strings(line: str) -> list[str]:
    try:
        doc = json.loads(line)
    except ValueError:
        return [line]
    out: list[str] = []
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            out += [k for k in node if k]
            stack += list(node.values())
        elif isinstance(node, list):
            stack += node
        elif isinstance(node, str) and node:
            out.append(node)
    return out


def test_gate_agrees_with_name_windows_on_the_bench_corpus() -> None:
    """A record is gated out exactly when none of its strings has a name window."""
    for record in generate(3000, 5):
        texts = _strings(record.line)
        if not may_hold_name(texts):
            assert all(not name_windows(t) for t in texts), record.line


def test_names_at_the_edges_of_strings_pass_the_gate() -> None:
    """A name that fills a whole string, or ends it, still reaches NER."""
    assert may_hold_name(["id-42", "Jennifer Brown"])
    assert may_hold_name(["note: call Jennifer Brown", "x"])
    assert not may_hold_name(["all lower case", "ERROR 42", "Single"])
