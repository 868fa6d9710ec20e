"""``make eval``: recall, fragment leaks and lookalikes kept on both corpora; Loghub over-masking.

Runs ``logscrub scrub --workers 1`` (as a subprocess, the way users run it) on

- the first labelled corpus (``bench.corpus``, written alongside the rules),
- the held-out corpus (``bench.holdout``, from the previous round),
- the fresh corpus (``bench.fresh``, which no rule was written against),
- the Loghub samples (real logs, almost free of secrets),

and prints, per corpus, recall per entity, fragment leaks (8 or more characters of a
secret surviving), lookalikes kept, JSON validity, and for Loghub the lines changed by
entity and the number of lines carrying a mask other than an IP address.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench import corpus, fresh, holdout, unseen
from bench.bench_scrub import default_scrub_cmd, run_scrub
from bench.corpus import LabelledRecord, write_lines
from bench.evaluate import MASK_RE, Report, leak_examples, load_loghub, markdown_table, score

__all__ = ["main", "summary"]


def summary(rep: Report) -> dict[str, Any]:
    """The done-when figures of one corpus run."""
    total = sum(s.total for s in rep.entities.values())
    frag = sum(s.fragment_leaks + s.exact_leaks for s in rep.entities.values()
               if s.total)
    worst = min(rep.entities.items(), key=lambda kv: kv[1].recall) if rep.entities else None
    return {
        "secrets": total,
        "recall": round(rep.recall, 4),
        "leaks_8plus_chars": round(frag / total, 4) if total else 0.0,
        "fragment_only_leaks": round(sum(s.fragment_leaks for s in rep.entities.values())
                                     / total, 4) if total else 0.0,
        "lookalikes_kept": round(1 - rep.overmask, 4),
        "worst_entity": (worst[0], round(worst[1].recall, 4)) if worst else None,
        "json_invalid": rep.json_invalid,
        "json_keys_changed": rep.json_keys_changed,
    }


def _scrub(records: list[LabelledRecord] | list[str], tmp: Path, name: str,
           env: dict[str, str]) -> tuple[list[str], float]:
    lines = [r if isinstance(r, str) else r.line for r in records]
    path = tmp / f"{name}.log"
    write_lines(path, [LabelledRecord(x, "text", (), ()) for x in lines])
    wall, out, _cpu = run_scrub(default_scrub_cmd(), path, 1, env)
    if len(out) != len(lines):
        raise RuntimeError(f"{name}: {len(out)} output lines for {len(lines)}")
    return out, wall


def _loghub(tmp: Path, env: dict[str, str], show: int) -> dict[str, Any]:
    pairs = load_loghub()
    out, wall = _scrub([line for _, line in pairs], tmp, "loghub", env)
    by_entity: Counter[str] = Counter()
    non_ip_lines = 0
    changed = 0
    examples: list[str] = []
    for (_src, inp), o in zip(pairs, out, strict=True):
        if inp == o:
            continue
        changed += 1
        ents = Counter(next(g for g in m.groups() if g) for m in MASK_RE.finditer(o))
        ents -= Counter(next(g for g in m.groups() if g) for m in MASK_RE.finditer(inp))
        for e in ents:
            by_entity[e] += 1
        if any(e != "IP_ADDRESS" for e in ents):
            non_ip_lines += 1
            if len(examples) < show:
                examples.append(o[:200])
    return {"lines": len(pairs), "changed": changed, "non_ip_lines": non_ip_lines,
            "lines_by_entity": dict(by_entity.most_common()), "wall_s": round(wall, 2),
            "lines_per_s": round(len(pairs) / wall, 1), "examples": examples}


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation and print markdown tables; exit 0 (figures, not a gate)."""
    ap = argparse.ArgumentParser(prog="python -m bench.eval")
    ap.add_argument("--n", type=int, default=3000, help="records per corpus (default 3000)")
    ap.add_argument("--no-ner", action="store_true", help="scrub with NER off")
    ap.add_argument("--no-loghub", action="store_true")
    ap.add_argument("--leaks", type=int, default=0, help="print up to N leaks per corpus")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args(argv)
    env = {"LOGSCRUB_SCRUB__NER_ENABLED": "false"} if args.no_ner else {}
    results: dict[str, Any] = {"started": time.strftime("%Y-%m-%d %H:%M:%S")}
    with tempfile.TemporaryDirectory(prefix="logscrub-eval-") as tmpdir:
        tmp = Path(tmpdir)
        for name, records in (("first corpus", corpus.generate(args.n)),
                              ("held-out corpus", holdout.generate(args.n)),
                              ("fresh corpus", fresh.generate(args.n)),
                              ("unseen corpus", unseen.generate(args.n))):
            out, wall = _scrub(records, tmp, name.split()[0], env)
            rep = score(records, out)
            print(markdown_table(rep, f"{name} ({args.n} records, {args.n / wall:,.0f} lines/s)"))
            results[name] = summary(rep) | {"lines_per_s": round(args.n / wall, 1),
                                            "report": rep.to_dict()}
            print("\n" + json.dumps(summary(rep)) + "\n")
            for ent, secret, line in leak_examples(records, out, args.leaks):
                print(f"  LEAK {ent}: {secret!r} in {line[:160]!r}")
        if not args.no_loghub:
            lh = _loghub(tmp, env, args.leaks)
            results["loghub"] = lh
            print(f"### Loghub: {lh['changed']}/{lh['lines']} lines changed, "
                  f"{lh['non_ip_lines']} with a mask other than IP_ADDRESS "
                  f"({lh['lines_per_s']:,.0f} lines/s)\n")
            print("| Entity | Lines |\n|---|---:|")
            for ent, n in lh["lines_by_entity"].items():
                print(f"| {ent} | {n} |")
            for ex in lh["examples"]:
                print(f"  OVERMASK {ex!r}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
