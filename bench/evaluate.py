"""Score scrubber output against the labelled corpus, and measure over-masking on loghub.

Recall: a secret counts as detected when its labelled substring is absent from the output
and, for secrets of 12 characters or more, no 8-character fragment of it survives either
("no fragment survives"). A fragment that also occurs in the input outside every labelled
secret (e.g. a domain seen elsewhere in the line) is not held against the scrubber.

Over-masking: a lookalike counts as over-masked when its substring is missing from the
output. Clean records (no secrets) that come back changed at all are counted too.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import regex

from bench.corpus import LabelledRecord

__all__ = [
    "EntityStats",
    "LoghubReport",
    "LookalikeStats",
    "Report",
    "comparison_table",
    "leak_examples",
    "load_loghub",
    "loghub_overmask",
    "loghub_table",
    "markdown_table",
    "score",
]

FRAGMENT_LEN = 8
FRAGMENT_MIN_SECRET = 12
#: logscrub's tokens ([MASKED-X], [MASKED-X-1234], [X:<12 hex>]) and Presidio's <X>.
MASK_RE = regex.compile(
    r"\[MASKED-([A-Z][A-Z0-9_]*)(?:-[A-Za-z0-9]{1,8})?\]"
    r"|\[([A-Z][A-Z0-9_]*):[0-9a-f]{12}\]"
    r"|<([A-Z][A-Z0-9_]*)>"
)


@dataclass
class EntityStats:
    """Detection counts for one entity type (or one format)."""

    total: int = 0
    detected: int = 0
    exact_leaks: int = 0
    fragment_leaks: int = 0

    @property
    def recall(self) -> float:
        """Detected / total (1.0 when there is nothing to detect)."""
        return self.detected / self.total if self.total else 1.0


@dataclass
class LookalikeStats:
    """How often one kind of lookalike was damaged."""

    total: int = 0
    masked: int = 0

    @property
    def rate(self) -> float:
        """Over-masking rate: masked / total."""
        return self.masked / self.total if self.total else 0.0


@dataclass
class Report:
    """Recall and over-masking of one scrubber over one set of records."""

    entities: dict[str, EntityStats] = field(default_factory=dict)
    formats: dict[str, EntityStats] = field(default_factory=dict)
    lookalikes: dict[str, LookalikeStats] = field(default_factory=dict)
    records: int = 0
    records_leaking: int = 0
    clean_records: int = 0
    clean_changed: int = 0
    #: clean records changed, by the entity of the masks written into them ("(no mask)"
    #: for a change without one): over-masking in totals, without showing any line
    clean_changed_by: dict[str, int] = field(default_factory=dict)
    json_records: int = 0
    json_invalid: int = 0
    json_keys_changed: int = 0

    @property
    def recall(self) -> float:
        """Micro-averaged recall over every labelled secret."""
        total = sum(s.total for s in self.entities.values())
        return sum(s.detected for s in self.entities.values()) / total if total else 1.0

    @property
    def overmask(self) -> float:
        """Micro-averaged lookalike over-masking rate."""
        total = sum(s.total for s in self.lookalikes.values())
        return sum(s.masked for s in self.lookalikes.values()) / total if total else 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary including the derived rates."""
        d = asdict(self)
        for name in ("entities", "formats"):
            for key, st in getattr(self, name).items():
                d[name][key]["recall"] = round(st.recall, 4)
        for key, st in self.lookalikes.items():
            d["lookalikes"][key]["rate"] = round(st.rate, 4)
        d["recall"] = round(self.recall, 4)
        d["overmask"] = round(self.overmask, 4)
        return d


def _leak(secret: str, output: str, background: str) -> str | None:
    """Return "exact", "fragment" or None for one secret in one output line."""
    if secret in output:
        return "exact"
    if len(secret) >= FRAGMENT_MIN_SECRET:
        for i in range(len(secret) - FRAGMENT_LEN + 1):
            frag = secret[i : i + FRAGMENT_LEN]
            if frag in output and frag not in background:
                return "fragment"
    return None


def _key_paths(obj: Any, prefix: str = "") -> set[str]:
    paths: set[str] = set()
    if isinstance(obj, dict):
        for k, v in obj.items():
            paths.add(prefix + "/" + k)
            paths |= _key_paths(v, prefix + "/" + k)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            paths |= _key_paths(v, f"{prefix}[{i}]")
    return paths


def _check_json(rep: Report, line: str, out: str) -> None:
    rep.json_records += 1
    try:
        parsed = json.loads(out)
    except ValueError:
        rep.json_invalid += 1
        return
    if _key_paths(parsed) != _key_paths(json.loads(line)):
        rep.json_keys_changed += 1


def score(records: Sequence[LabelledRecord], outputs: Sequence[str]) -> Report:
    """Score ``outputs`` (one per record, same order) against the records' labels."""
    if len(records) != len(outputs):
        raise ValueError(f"{len(outputs)} outputs for {len(records)} records")
    rep = Report()
    for rec, out in zip(records, outputs, strict=True):
        rep.records += 1
        background = rec.line
        for _, secret in rec.secrets:
            background = background.replace(secret, "\x00")
        leaking = False
        fmt = rep.formats.setdefault(rec.format, EntityStats())
        for entity, secret in rec.secrets:
            st = rep.entities.setdefault(entity, EntityStats())
            st.total += 1
            fmt.total += 1
            leak = _leak(secret, out, background)
            if leak is None:
                st.detected += 1
                fmt.detected += 1
            else:
                leaking = True
                if leak == "exact":
                    st.exact_leaks += 1
                else:
                    st.fragment_leaks += 1
        rep.records_leaking += leaking
        if not rec.secrets:
            rep.clean_records += 1
            if out != rec.line:
                rep.clean_changed += 1
                for ent in (_mask_counts(out) - _mask_counts(rec.line)) or {"(no mask)": 1}:
                    rep.clean_changed_by[ent] = rep.clean_changed_by.get(ent, 0) + 1
        kinds = rec.lookalike_kinds or ("lookalike",) * len(rec.lookalikes)
        for kind, look in zip(kinds, rec.lookalikes, strict=True):
            lst = rep.lookalikes.setdefault(kind, LookalikeStats())
            lst.total += 1
            lst.masked += look not in out
        if rec.format == "json":
            _check_json(rep, rec.line, out)
    return rep


def leak_examples(records: Sequence[LabelledRecord], outputs: Sequence[str],
                  limit: int = 10) -> list[tuple[str, str, str]]:
    """Up to ``limit`` (entity, secret, output line) triples where a secret leaked."""
    found: list[tuple[str, str, str]] = []
    for rec, out in zip(records, outputs, strict=True):
        background = rec.line
        for _, secret in rec.secrets:
            background = background.replace(secret, "\x00")
        for entity, secret in rec.secrets:
            if len(found) < limit and _leak(secret, out, background):
                found.append((entity, secret, out))
    return found


# -- tables -------------------------------------------------------------------------------
def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def markdown_table(report: Report, title: str = "") -> str:
    """Markdown tables: recall per entity, over-masking per lookalike kind, summary."""
    out = [f"### {title}", ""] if title else []
    out += ["| Entity | Secrets | Recall | Exact leaks | Fragment leaks |",
            "|---|---:|---:|---:|---:|"]
    for name in sorted(report.entities):
        st = report.entities[name]
        out.append(f"| {name} | {st.total} | {_pct(st.recall)} | {st.exact_leaks} | "
                   f"{st.fragment_leaks} |")
    out += ["", "| Lookalike | Count | Over-masked |", "|---|---:|---:|"]
    for name in sorted(report.lookalikes):
        lst = report.lookalikes[name]
        out.append(f"| {name} | {lst.total} | {_pct(lst.rate)} |")
    out += ["", _summary(report)]
    return "\n".join(out)


def _summary(r: Report) -> str:
    clean = r.clean_changed / r.clean_records if r.clean_records else 0.0
    return (f"Overall recall {_pct(r.recall)}; lookalikes over-masked {_pct(r.overmask)}; "
            f"records leaking {r.records_leaking}/{r.records}; clean records changed "
            f"{r.clean_changed}/{r.clean_records} ({_pct(clean)}); JSON invalid "
            f"{r.json_invalid}/{r.json_records}, keys changed {r.json_keys_changed}."
            + ("" if not r.clean_changed_by else " Clean records changed by mask: " + ", ".join(
                f"{e} {n}" for e, n in sorted(r.clean_changed_by.items(), key=lambda kv: -kv[1]))
               + "."))


def comparison_table(reports: Mapping[str, Report]) -> str:
    """One markdown table with recall per entity (rows) for several scrubbers (columns)."""
    names = list(reports)
    entities = sorted({e for r in reports.values() for e in r.entities})
    out = ["| Entity | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for e in entities:
        cells = [_pct(r.entities[e].recall) + f" ({r.entities[e].total})"
                 if e in r.entities else "–" for r in reports.values()]
        out.append(f"| {e} | " + " | ".join(cells) + " |")
    out.append("| **overall recall** | " + " | ".join(_pct(r.recall) for r in reports.values())
               + " |")
    out.append("| **lookalikes over-masked** | "
               + " | ".join(_pct(r.overmask) for r in reports.values()) + " |")
    out.append("| **clean records changed** | " + " | ".join(
        _pct(r.clean_changed / r.clean_records if r.clean_records else 0.0)
        for r in reports.values()) + " |")
    return "\n".join(out)


# -- loghub -------------------------------------------------------------------------------
@dataclass
class LoghubReport:
    """How much a scrubber changes real, mostly secret-free logs."""

    lines: int = 0
    changed: int = 0
    masks: dict[str, int] = field(default_factory=dict)
    changed_by_source: dict[str, float] = field(default_factory=dict)

    @property
    def fraction_changed(self) -> float:
        """Changed lines / lines."""
        return self.changed / self.lines if self.lines else 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        d = asdict(self)
        d["fraction_changed"] = round(self.fraction_changed, 4)
        return d


def _mask_counts(text: str) -> Counter[str]:
    return Counter(next(g for g in m.groups() if g) for m in MASK_RE.finditer(text))


def load_loghub(root: str | Path | None = None) -> list[tuple[str, str]]:
    """(source, line) pairs from ``<repo>/../shared/data/loghub/*.log``; read in place."""
    base = Path(root) if root else Path(__file__).resolve().parents[2] / "shared/data/loghub"
    pairs: list[tuple[str, str]] = []
    for path in sorted(base.glob("*.log")):
        text = path.read_bytes().decode("utf-8", errors="replace")
        for line in text.split("\n"):
            line = line.rstrip("\r")
            if line:
                pairs.append((path.stem, line))
    return pairs


def loghub_overmask(
    outputs_by_input: Mapping[str, str] | Iterable[tuple[str, str]],
    sources: Sequence[str] | None = None,
) -> LoghubReport:
    """Fraction of lines changed and masks per entity type, over (input, output) pairs.

    Mask tokens already present in the input are not counted. ``sources``, parallel to
    the pairs, adds a changed-fraction per source file.
    """
    pairs = list(outputs_by_input.items() if isinstance(outputs_by_input, Mapping)
                 else outputs_by_input)
    rep = LoghubReport()
    masks: Counter[str] = Counter()
    per_src: dict[str, list[int]] = {}
    for i, (inp, out) in enumerate(pairs):
        rep.lines += 1
        changed = inp != out
        rep.changed += changed
        if changed:
            masks.update(_mask_counts(out) - _mask_counts(inp))
        if sources is not None:
            tally = per_src.setdefault(sources[i], [0, 0])
            tally[0] += 1
            tally[1] += changed
    rep.masks = dict(masks.most_common())
    rep.changed_by_source = {s: round(c / n, 4) for s, (n, c) in sorted(per_src.items())}
    return rep


def loghub_table(rep: LoghubReport) -> str:
    """Markdown summary of a loghub over-masking run."""
    out = [f"Loghub: {rep.changed}/{rep.lines} lines changed ({_pct(rep.fraction_changed)}).", "",
           "| Entity | Masks |", "|---|---:|"]
    out += [f"| {e} | {n} |" for e, n in rep.masks.items()]
    if rep.changed_by_source:
        out += ["", "| Source | Lines changed |", "|---|---:|"]
        out += [f"| {s} | {_pct(f)} |" for s, f in rep.changed_by_source.items()]
    return "\n".join(out)
