"""Deterministic labelled corpus of realistic log records for recall and over-masking tests.

``generate(n, seed)`` returns ``n`` records, about 40% JSON, 25% logfmt and 35% plain text,
about half of them carrying no secret at all. Each record lists the exact substrings of
its line that must not survive scrubbing (``secrets``) and those that must survive
unchanged (``lookalikes``). Record ``i`` depends only on ``(seed, i)``, so a shorter
corpus is a prefix of a longer one.

CLI::

    python -m bench.corpus --n 5000 --out corpus.log [--labels corpus.labels.jsonl]
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench._builder import Builder, Format, Template
from bench._tpl_json import JSON_TEMPLATES
from bench._tpl_people import PEOPLE_TEMPLATES
from bench._tpl_text import LOGFMT_TEMPLATES, TEXT_TEMPLATES
from bench._tpl_world import WORLD_TEMPLATES

__all__ = [
    "ENTITIES",
    "LabelledRecord",
    "generate",
    "read_jsonl",
    "write_jsonl",
    "write_lines",
]

ENTITIES = (
    "EMAIL", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN", "IP_ADDRESS", "PERSON",
    "STREET_ADDRESS", "DATE_OF_BIRTH", "CVV", "AWS_ACCESS_KEY", "AWS_SECRET_KEY",
    "GITHUB_TOKEN", "GITLAB_TOKEN", "SLACK_TOKEN", "STRIPE_KEY", "GOOGLE_API_KEY",
    "TWILIO_KEY", "SENDGRID_KEY", "NPM_TOKEN", "PYPI_TOKEN", "JWT", "BEARER_TOKEN",
    "BASIC_AUTH", "URL_CREDENTIAL", "PASSWORD", "PRIVATE_KEY", "GENERIC_SECRET",
)

_FORMAT_WEIGHTS: dict[Format, float] = {"json": 0.40, "logfmt": 0.25, "text": 0.35}
_CLEAN_SHARE = 0.5
_MIN_UNIQUE_LEN = 8  # shorter secrets must occur exactly once, so a substring check means something
_MAX_TRIES = 50
_TEMPLATES: dict[Format, list[Template]] = {
    "json": JSON_TEMPLATES + [t for t in WORLD_TEMPLATES + PEOPLE_TEMPLATES if t.fmt == "json"],
    "logfmt": LOGFMT_TEMPLATES,
    "text": TEXT_TEMPLATES + [t for t in WORLD_TEMPLATES + PEOPLE_TEMPLATES if t.fmt == "text"],
}


@dataclass(frozen=True)
class LabelledRecord:
    """One log line with its ground truth.

    ``secrets`` are (entity, substring) pairs that must not survive; ``lookalikes`` are
    substrings that must survive unchanged, and ``lookalike_kinds`` names each of them
    (parallel tuple; may be empty for hand-built records).
    """

    line: str
    format: Format
    secrets: tuple[tuple[str, str], ...]
    lookalikes: tuple[str, ...]
    lookalike_kinds: tuple[str, ...] = ()


def _as_in_line(raw: str, line: str) -> str | None:
    """Return ``raw`` as it is spelled in ``line`` (raw, JSON-escaped once/twice, repr'd)."""
    once = json.dumps(raw, ensure_ascii=False)[1:-1]
    twice = json.dumps(once, ensure_ascii=False)[1:-1]
    for form in (raw, once, twice, repr(raw)[1:-1]):
        if form and form in line:
            return form
    return None


def _spans(line: str, needle: str) -> list[tuple[int, int]]:
    out, start = [], line.find(needle)
    while start != -1:
        out.append((start, start + len(needle)))
        start = line.find(needle, start + 1)
    return out


def _finalize(fmt: Format, payload: Any, b: Builder) -> LabelledRecord | None:
    """Serialise a template's payload and resolve labels; None means "draw again"."""
    if isinstance(payload, dict):
        line = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    else:
        line = str(payload)
    if "\n" in line or "\r" in line:
        raise AssertionError(f"template for {fmt} produced a multi-line record")
    secrets: list[tuple[str, str]] = []
    secret_spans: list[tuple[int, int]] = []
    for entity, raw in b.secrets:
        form = _as_in_line(raw, line)
        if form is None:
            raise AssertionError(f"{entity} label not found in its {fmt} line")
        spans = _spans(line, form)
        if len(form) < _MIN_UNIQUE_LEN and len(spans) != 1:
            return None
        if (entity, form) not in secrets:
            secrets.append((entity, form))
            secret_spans.extend(spans)
    looks: list[str] = []
    kinds: list[str] = []
    for kind, raw in b.lookalikes:
        form = _as_in_line(raw, line)
        if form is None:
            raise AssertionError(f"{kind} lookalike not found in its {fmt} line")
        if form in looks:
            continue
        for s0, e0 in _spans(line, form):
            if any(s0 < e1 and s1 < e0 for s1, e1 in secret_spans):
                return None  # a lookalike touching a secret cannot be judged fairly
        looks.append(form)
        kinds.append(kind)
    return LabelledRecord(line, fmt, tuple(secrets), tuple(looks), tuple(kinds))


def _one(seed: int, i: int) -> LabelledRecord:
    rng = random.Random(f"logscrub-corpus:{seed}:{i}")
    fmt: Format = rng.choices(list(_FORMAT_WEIGHTS), weights=list(_FORMAT_WEIGHTS.values()))[0]
    clean = rng.random() < _CLEAN_SHARE
    pool = [t for t in _TEMPLATES[fmt] if (t.clean_ok if clean else t.secret_ok)]
    for _ in range(_MAX_TRIES):
        tpl = rng.choices(pool, weights=[t.weight for t in pool])[0]
        b = Builder(rng, clean)
        record = _finalize(fmt, tpl.fn(b), b)
        if record is not None and (clean or record.secrets):
            return record
    raise RuntimeError(f"could not draw record {i} for seed {seed}")


def generate(n: int, seed: int = 7) -> list[LabelledRecord]:
    """Return ``n`` labelled records; the same ``(n, seed)`` always gives the same records."""
    return [_one(seed, i) for i in range(n)]


def write_lines(path: str | Path, records: Iterable[LabelledRecord]) -> None:
    """Write each record's line to ``path``, one per line (UTF-8)."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            fh.write(rec.line + "\n")


def write_jsonl(path: str | Path, records: Iterable[LabelledRecord]) -> None:
    """Write the records with their labels as JSON Lines."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for rec in records:
            fh.write(json.dumps({
                "line": rec.line, "format": rec.format,
                "secrets": [list(s) for s in rec.secrets],
                "lookalikes": list(rec.lookalikes), "lookalike_kinds": list(rec.lookalike_kinds),
            }, ensure_ascii=False) + "\n")


def read_jsonl(path: str | Path) -> list[LabelledRecord]:
    """Read records written by ``write_jsonl``."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            d = json.loads(raw)
            out.append(LabelledRecord(
                d["line"], d["format"], tuple((e, s) for e, s in d["secrets"]),
                tuple(d["lookalikes"]), tuple(d.get("lookalike_kinds", ())),
            ))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point: write a corpus file and its labels."""
    ap = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=5000, help="number of records (default 5000)")
    ap.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    ap.add_argument("--out", required=True, help="file for the raw lines, one per line")
    ap.add_argument("--labels", help="JSONL file for the labels (default: OUT.labels.jsonl)")
    args = ap.parse_args(argv)
    records = generate(args.n, args.seed)
    write_lines(args.out, records)
    write_jsonl(args.labels or f"{args.out}.labels.jsonl", records)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
