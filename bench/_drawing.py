"""What the template corpora share: drawing one record from weighted templates, and the
command line that writes a corpus and its labels."""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from bench.corpus import LabelledRecord, _finalize, write_jsonl, write_lines

__all__ = ["LabelBuilder", "RecordBuilder", "corpus_cli", "draw"]


class LabelBuilder(Protocol):
    """A per-record builder: the labels ``_finalize`` resolves in the line."""

    secrets: list[tuple[str, str]]
    lookalikes: list[tuple[str, str]]


class RecordBuilder:
    """Collects labels while a template builds one record (clean mode: fallbacks).

    Each corpus subclasses it with its own values (``self.v``) and lookalikes.
    """

    def __init__(self, rng: random.Random, clean: bool) -> None:
        self.r, self.clean = rng, clean
        self.secrets: list[tuple[str, str]] = []
        self.lookalikes: list[tuple[str, str]] = []

    def s(self, entity: str, value: str, fallback: str) -> str:
        """``value``, labelled as ``entity``; in a clean record, ``fallback`` instead."""
        if self.clean:
            return fallback
        self.secrets.append((entity, value))
        return value

    def pick(self, seq: Sequence[str]) -> str:
        return self.r.choice(seq)

    def rs(self, alphabet: str, n: int) -> str:
        return "".join(self.r.choice(alphabet) for _ in range(n))


def draw(
    templates: Sequence[tuple[str, Callable[[Any], Any], float]],
    rng: random.Random,
    clean_share: float,
    builder: Callable[[random.Random, bool], LabelBuilder],
) -> LabelledRecord:
    """One record: clean with ``clean_share`` odds, else one that holds a secret."""
    clean = rng.random() < clean_share
    for _ in range(50):
        fmt, fn, _w = rng.choices(templates, weights=[t[2] for t in templates])[0]
        b = builder(rng, clean)
        rec = _finalize(fmt, fn(b), b)  # type: ignore[arg-type]
        if rec is not None and (clean or rec.secrets):
            return rec
    raise RuntimeError("could not draw a record in 50 tries")


def corpus_cli(
    prog: str, generate: Callable[[int, int], list[LabelledRecord]], n: int, seed: int,
    argv: Sequence[str] | None,
) -> int:
    """Write ``generate(n, seed)`` as raw lines and a JSONL label file."""
    ap = argparse.ArgumentParser(prog=prog)
    ap.add_argument("--n", type=int, default=n, help=f"number of records (default {n})")
    ap.add_argument("--seed", type=int, default=seed, help=f"random seed (default {seed})")
    ap.add_argument("--out", required=True, help="file for the raw lines, one per line")
    ap.add_argument("--labels", help="JSONL file for the labels (default: OUT.labels.jsonl)")
    args = ap.parse_args(argv)
    records = generate(args.n, args.seed)
    write_lines(args.out, records)
    write_jsonl(args.labels or f"{args.out}.labels.jsonl", records)
    return 0
