"""``make bench``: lines/s, recall and over-masking of logscrub vs. the Presidio loop.

One run measures, on the same generated corpus:

- (a) ``logscrub scrub`` with NER, (b) the same with NER off
  (``LOGSCRUB_SCRUB__NER_ENABLED=false``), both as subprocesses timed by wall clock,
  and also net of start-up (a 20-line run is timed and subtracted);
- (c) the Presidio AnalyzerEngine + AnonymizerEngine loop, in process, on a prefix.

Each is repeated (median taken) while the time budget allows. Recall and over-masking come
from ``bench.evaluate``; (a) also scrubs the loghub samples for over-masking on real logs.
Results go to stdout (markdown) and ``bench/results/scrub-latest.json``.

``--scrub-cmd`` (or ``LOGSCRUB_BENCH_SCRUB_CMD``) replaces the logscrub command, e.g. to
compare two builds; the corpus path is appended, or substituted for ``{file}``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.corpus import generate, write_lines
from bench.evaluate import (
    comparison_table,
    leak_examples,
    load_loghub,
    loghub_overmask,
    loghub_table,
    markdown_table,
    score,
)

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "scrub-latest.json"
NER_OFF = {"LOGSCRUB_SCRUB__NER_ENABLED": "false"}
STARTUP_LINES = 20


def default_scrub_cmd() -> list[str]:
    """The installed ``logscrub scrub`` next to this interpreter, else ``-m processor.cli``."""
    script = Path(sys.executable).parent / "logscrub"
    if script.exists():
        return [str(script), "scrub"]
    return [sys.executable, "-m", "processor.cli", "scrub"]


def _argv(base: list[str], path: Path, workers: int) -> list[str]:
    argv = list(base) + (["--workers", str(workers)] if workers > 0 else [])
    if any("{file}" in a for a in argv):
        return [a.replace("{file}", str(path)) for a in argv]
    return [*argv, str(path)]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_scrub(base: list[str], path: Path, workers: int, env_extra: dict[str, str]) -> tuple[
        float, list[str], float]:
    """Run the scrub command on ``path``; return (wall s, output lines, CPU s of the run).

    CPU seconds (user + system of the command and its workers) are what a core costs;
    on a shared, loaded machine they are steadier than wall time.
    """
    env = {**os.environ, **env_extra}
    cpu0 = _children_cpu()
    t0 = time.perf_counter()
    with open(path, "rb") as stdin:
        proc = subprocess.run(_argv(base, path, workers), stdin=stdin, capture_output=True,
                              env=env, check=False, cwd=ROOT)
    elapsed = time.perf_counter() - t0
    cpu = _children_cpu() - cpu0
    if proc.returncode != 0:
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-5:]
        raise RuntimeError(f"scrub command exited {proc.returncode}: {' | '.join(tail)}")
    out = proc.stdout.decode("utf-8", "replace").split("\n")
    if out and out[-1] == "":
        out.pop()
    return elapsed, out, cpu


def _machine() -> dict[str, Any]:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=ROOT, check=False).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "processor", "rules"],
                           capture_output=True, text=True, cwd=ROOT, check=False).stdout != ""
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "commit": commit, "engine_tree_dirty": dirty,
            "load_avg_1m": os.getloadavg()[0]}


class Bench:
    """Holds the options, the corpus files and the time budget of one bench run."""

    def __init__(self, args: argparse.Namespace, tmp: Path) -> None:
        self.a = args
        self.t_start = time.perf_counter()
        self.records = generate(args.n, args.seed)
        self.lines = [r.line for r in self.records]
        self.full = tmp / "corpus.log"
        self.small = tmp / "startup.log"
        write_lines(self.full, self.records)
        write_lines(self.small, self.records[:STARTUP_LINES])
        self.cmd = shlex.split(args.scrub_cmd) if args.scrub_cmd else default_scrub_cmd()

    def budget_left(self) -> float:
        """Seconds left of the time budget."""
        return self.a.time_budget - (time.perf_counter() - self.t_start)

    def scrub_mode(self, name: str, env: dict[str, str],
                   cmd: list[str] | None = None) -> dict[str, Any]:
        """Time one logscrub mode: full-corpus runs and start-up runs, medians."""
        cmd = cmd or self.cmd
        fulls: list[float] = []
        smalls: list[float] = []
        cpus: list[float] = []
        small_cpus: list[float] = []
        outputs: list[str] = []
        for i in range(self.a.repeats):
            if i and self.budget_left() < 3 * (fulls[0] + smalls[0]) + 60:
                break  # leave room for the rest of the bench
            t, outputs, cpu = run_scrub(cmd, self.full, self.a.workers, env)
            fulls.append(t)
            cpus.append(cpu)
            small = run_scrub(cmd, self.small, self.a.workers, env)
            smalls.append(small[0])
            small_cpus.append(small[2])
            print(f"  {name} run {i + 1}: {len(self.lines) / t:,.0f} lines/s wall, "
                  f"{len(self.lines) / cpu:,.0f} lines per CPU second", flush=True)
        if len(outputs) != len(self.lines):
            raise RuntimeError(f"{name}: {len(outputs)} output lines for {len(self.lines)}")
        wall, start = statistics.median(fulls), statistics.median(smalls)
        # Net of start-up only means something when the corpus run clearly dominates.
        net = (len(self.lines) - STARTUP_LINES) / (wall - start) if wall > 1.2 * start else None
        return {"runs_s": fulls, "startup_runs_s": smalls, "wall_s": wall, "startup_s": start,
                "lines_per_s": len(self.lines) / wall, "lines_per_s_net": net,
                "cpu_s": statistics.median(cpus), "startup_cpu_s": statistics.median(small_cpus),
                "lines_per_cpu_s": len(self.lines) / statistics.median(cpus),
                "outputs": outputs}

    def presidio(self) -> dict[str, Any]:
        """Time the Presidio loop on the corpus prefix (median over repeats)."""
        from bench.presidio_reference import PresidioScrubber, presidio_scrub

        subset = self.lines[: self.a.presidio_n]
        t0, c0 = time.perf_counter(), time.process_time()
        scrubber = PresidioScrubber()
        setup = time.perf_counter() - t0
        setup_cpu = time.process_time() - c0
        presidio_scrub(self.lines[:5], scrubber)  # warm-up, so the first timed run is fair
        times: list[float] = []
        cpu_times: list[float] = []
        outputs: list[str] = []
        for i in range(self.a.repeats):
            if i and self.budget_left() < times[0] + 30:
                break
            t1, c1 = time.perf_counter(), time.process_time()
            outputs = presidio_scrub(subset, scrubber)
            times.append(time.perf_counter() - t1)
            cpu_times.append(time.process_time() - c1)
            print(f"  presidio run {i + 1}: {len(subset) / times[-1]:,.1f} lines/s", flush=True)
        wall = statistics.median(times)
        return {"runs_s": times, "setup_s": setup, "lines": len(subset), "wall_s": wall,
                "lines_per_s": len(subset) / wall, "anonymizer": scrubber.anonymizer_name,
                "cpu_s": statistics.median(cpu_times), "setup_cpu_s": setup_cpu,
                # start-up counted, as it is for logscrub's runs
                "lines_per_cpu_s": len(subset) / (statistics.median(cpu_times) + setup_cpu),
                "outputs": outputs}

    def loghub(self, tmp: Path) -> dict[str, Any] | None:
        """Scrub the loghub samples with mode (a) and measure how much changed."""
        pairs = load_loghub(self.a.loghub_dir)
        if not pairs:
            return None
        path = tmp / "loghub.log"
        path.write_text("".join(line + "\n" for _, line in pairs), encoding="utf-8")
        t, out, _cpu = run_scrub(self.cmd, path, self.a.workers, {})
        if len(out) != len(pairs):
            raise RuntimeError(f"loghub: {len(out)} output lines for {len(pairs)}")
        rep = loghub_overmask([(line, o) for (_, line), o in zip(pairs, out, strict=True)],
                              [src for src, _ in pairs])
        return {"report": rep, "wall_s": t, "lines_per_s": len(pairs) / t}


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m bench.bench_scrub",
                                 description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=3000, help="corpus lines (default 3000)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--presidio-n", type=int, default=300,
                    help="corpus prefix for the Presidio loop (default 300; 0 skips it)")
    ap.add_argument("--repeats", type=int, default=3, help="runs per measurement (median)")
    ap.add_argument("--workers", type=int, default=1,
                    help="--workers passed to logscrub (default 1, like the single-core "
                         "Presidio loop; 0 passes none)")
    ap.add_argument("--scrub-cmd", default=os.environ.get("LOGSCRUB_BENCH_SCRUB_CMD"),
                    help="command prefix replacing 'logscrub scrub' (env "
                         "LOGSCRUB_BENCH_SCRUB_CMD); the corpus path is appended or "
                         "substituted for {file}")
    ap.add_argument("--baseline-cmd", default=os.environ.get("LOGSCRUB_BENCH_BASELINE_CMD"),
                    help="a second scrub command (e.g. an older commit's) timed in the same "
                         "run, modes (a) and (b), with ratios and an output comparison")
    ap.add_argument("--no-loghub", action="store_true", help="skip the loghub over-masking run")
    ap.add_argument("--loghub-dir", help="loghub *.log folder (default ../shared/data/loghub)")
    ap.add_argument("--time-budget", type=float, default=300.0,
                    help="seconds; repeats are dropped to stay within it (default 300)")
    ap.add_argument("--out", type=Path, default=RESULTS, help="results JSON path")
    ap.add_argument("--show-leaks", type=int, default=0, metavar="N",
                    help="print up to N leaked (fake) secrets of mode (a) with their output")
    return ap


def _ratio(x: float | None, y: float) -> float | None:
    return round(x / y, 1) if x and y else None


def main(argv: list[str] | None = None) -> int:
    """Run the whole bench and write the results."""
    args = _parser().parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="logscrub-bench-") as tmpdir:
        tmp = Path(tmpdir)
        b = Bench(args, tmp)
        print(f"corpus: {args.n} lines (seed {args.seed}); command: {shlex.join(b.cmd)}")
        a = b.scrub_mode("(a) NER on", {})
        nb = b.scrub_mode("(b) NER off", NER_OFF)
        base = None
        if args.baseline_cmd:
            bcmd = shlex.split(args.baseline_cmd)
            base = {"a": b.scrub_mode("(a0) baseline, NER on", {}, bcmd),
                    "b": b.scrub_mode("(b0) baseline, NER off", NER_OFF, bcmd)}
        c = b.presidio() if args.presidio_n > 0 else None
        lh = None if args.no_loghub else b.loghub(tmp)

    reports = {"a": score(b.records, a["outputs"]), "b": score(b.records, nb["outputs"])}
    res: dict[str, Any] = {
        "machine": _machine(), "corpus": {"n": args.n, "seed": args.seed},
        "command": b.cmd, "workers": args.workers, "elapsed_s": time.perf_counter() - b.t_start,
    }
    print("\n## Throughput\n\n| Scrubber | Lines | Lines/s (wall) | Lines/s (net of start-up) "
          "| Start-up s |\n|---|---:|---:|---:|---:|")
    for key, name, m in (("a", "logscrub, NER on", a), ("b", "logscrub, NER off", nb)):
        net = f"{m['lines_per_s_net']:,.0f}" if m["lines_per_s_net"] else "n/a"
        print(f"| ({key}) {name} | {args.n} | {m['lines_per_s']:,.0f} | {net} | "
              f"{m['startup_s']:.2f} |")
        res[key] = {k: v for k, v in m.items() if k != "outputs"}
        res[key]["report"] = reports[key].to_dict()
    if base is not None:
        print("\n## Against the baseline command, same run\n\n| Mode | Baseline lines/s | "
              "This lines/s | Ratio | Outputs differing |\n|---|---:|---:|---:|---:|")
        res["baseline"] = {"command": args.baseline_cmd}
        for key, name, m in (("a", "NER on", a), ("b", "NER off", nb)):
            old = base[key]
            differ = sum(x != y for x, y in zip(old["outputs"], m["outputs"], strict=True))
            ratio = _ratio(m["lines_per_s"], old["lines_per_s"])
            print(f"| {name} | {old['lines_per_s']:,.0f} | {m['lines_per_s']:,.0f} | "
                  f"{ratio}x | {differ} |")
            res["baseline"][key] = {k: v for k, v in old.items() if k != "outputs"} | {
                "ratio": ratio, "outputs_differing": differ}
    print("\n## Per core: lines per CPU second, start-up included (medians)\n\n"
          "| Scrubber | Lines per CPU s | vs Presidio | vs baseline |\n|---|---:|---:|---:|")
    rows = [("logscrub, NER on", a, "a"), ("logscrub, NER off", nb, "b")]
    for name, m, key in rows:
        vs_c = _ratio(m["lines_per_cpu_s"], c["lines_per_cpu_s"]) if c is not None else None
        vs_0 = (_ratio(m["lines_per_cpu_s"], base[key]["lines_per_cpu_s"])
                if base is not None else None)
        shown = ["–" if v is None else f"{v}x" for v in (vs_c, vs_0)]
        print(f"| {name} | {m['lines_per_cpu_s']:,.0f} | {shown[0]} | {shown[1]} |")
        res[key]["vs_presidio_cpu"], res[key]["vs_baseline_cpu"] = vs_c, vs_0
    if base is not None:
        for key, name in (("a", "baseline, NER on"), ("b", "baseline, NER off")):
            m = base[key]
            vs_c = _ratio(m["lines_per_cpu_s"], c["lines_per_cpu_s"]) if c is not None else None
            print(f"| {name} | {m['lines_per_cpu_s']:,.0f} | {vs_c}x | 1.0x |")
    if c is not None:
        print(f"| Presidio loop | {c['lines_per_cpu_s']:,.1f} | 1.0x | |")
    if c is not None:
        sub = b.records[: c["lines"]]
        rc = score(sub, c["outputs"])
        print(f"| (c) Presidio loop ({c['anonymizer']}) | {c['lines']} | "
              f"{c['lines_per_s']:,.1f} | – | {c['setup_s']:.2f} |")
        res["c"] = {k: v for k, v in c.items() if k != "outputs"} | {"report": rc.to_dict()}
        res["ratios"] = {
            "a/c": _ratio(a["lines_per_s"], c["lines_per_s"]),
            "b/c": _ratio(nb["lines_per_s"], c["lines_per_s"]),
            "a/c_net": _ratio(a["lines_per_s_net"], c["lines_per_s"]),
            "b/c_net": _ratio(nb["lines_per_s_net"], c["lines_per_s"]),
        }
        r = res["ratios"]
        print("\nRatios (wall): " + ", ".join(f"{k} = {v}x" for k, v in r.items()))
        n = c["lines"]
        print(f"\n## Recall on the Presidio subset (first {n} lines)\n")
        print(comparison_table({
            "(a) NER on": score(sub, a["outputs"][:n]),
            "(b) NER off": score(sub, nb["outputs"][:n]), "(c) Presidio": rc}))
    print(f"\n## Recall on the full corpus ({args.n} lines)\n")
    print(comparison_table({"(a) NER on": reports["a"], "(b) NER off": reports["b"]}))
    print("\n" + markdown_table(reports["a"], "(a) logscrub, NER on: detail"))
    for entity, secret, out in leak_examples(b.records, a["outputs"], args.show_leaks):
        print(f"LEAK {entity}: {secret!r} in {out[:300]}")
    if lh is not None:
        print(f"\n## Over-masking on loghub (mode a, {lh['lines_per_s']:,.0f} lines/s)\n")
        print(loghub_table(lh["report"]))
        res["loghub"] = {"wall_s": lh["wall_s"], "lines_per_s": lh["lines_per_s"],
                         **lh["report"].to_dict()}
    print(f"\nmachine: {res['machine']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    print(f"results written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
