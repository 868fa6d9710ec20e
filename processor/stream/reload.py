"""Hot reload of the rules and operator settings, decided in the supervisor.

A reload is asked for by SIGHUP or by a change in the rules directory. The directory is
watched with ``watchfiles`` (inotify on Linux); a Kubernetes ConfigMap mount changes by
swapping its ``..data`` symlink, which shows up as a change in the directory itself.

A candidate rule set is validated exactly as ``rules lint`` and ``rules test`` would
(schema, compilation, backtracking lint, every rule's examples, operator overrides)
before any worker sees it. An invalid candidate is logged by file and rule id, counted
as ``invalid``, and the workers keep the rules they run. A valid one is handed to every
worker, which swaps at its next transaction boundary.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from processor import metrics
from processor.errors import LogscrubError, RuleSetError
from processor.rules.loader import RuleSet, load_rules
from processor.settings import ScrubSettings

__all__ = ["Candidate", "Reloader", "RulesWatcher", "validate_candidate"]

log = logging.getLogger(__name__)

#: Quiet time after a change before the reload starts: a ConfigMap swap or an editor
#: writes several files, and one reload should see all of them.
_DEBOUNCE_MS = 500


@dataclass(frozen=True, slots=True)
class Candidate:
    """A validated rule set and the scrub settings to run it with: what a worker receives."""

    scrub: ScrubSettings
    ruleset: RuleSet


def validate_candidate(scrub: ScrubSettings) -> Candidate:
    """Load and check the rules in ``scrub.rules_dir``; raise LogscrubError when invalid.

    The messages name files, rule ids and fields, never example or record text.
    """
    from processor.pipeline import Scrubber
    from processor.rules.lint import lint_ruleset
    from processor.selftest import run_examples

    ruleset = load_rules(scrub.rules_dir)
    problems = lint_ruleset(ruleset)
    if problems:
        named = ", ".join(sorted({f"{p.file}:{p.rule_id}" for p in problems}))
        raise RuleSetError(f"lint failed for {named}")
    scrubber = Scrubber(ruleset, scrub.model_copy(update={"ner_enabled": False}), ner=None)
    _count, failures = run_examples(scrubber)
    if failures:
        named = ", ".join(sorted({f"{f.file}:{f.rule_id}" for f in failures}))
        raise RuleSetError(f"examples failed for {named}")
    return Candidate(scrub, ruleset)


class Reloader:
    """Decides whether a reload yields a new candidate; counts every outcome."""

    def __init__(self, load_scrub: Callable[[], ScrubSettings], current: Candidate) -> None:
        self._load_scrub = load_scrub
        self.current = current

    def attempt(self, reason: str) -> Candidate | None:
        """The new candidate when it is valid and differs from the current one, else None."""
        try:
            candidate = validate_candidate(self._load_scrub())
        except LogscrubError as exc:
            metrics.RULESET_RELOADS.labels(outcome="invalid").inc()
            log.error("rule set reload (%s) rejected, keeping ruleset %s: %s",
                      reason, self.current.ruleset.version, exc)
            return None
        if (candidate.ruleset.version == self.current.ruleset.version
                and candidate.scrub == self.current.scrub):
            metrics.RULESET_RELOADS.labels(outcome="unchanged").inc()
            log.info("rule set reload (%s): ruleset %s unchanged", reason,
                     candidate.ruleset.version)
            return None
        metrics.RULESET_RELOADS.labels(outcome="success").inc()
        log.info("rule set reload (%s): ruleset %s -> %s", reason,
                 self.current.ruleset.version, candidate.ruleset.version)
        self.current = candidate
        return candidate


class RulesWatcher:
    """Calls ``on_change`` from a daemon thread whenever the rules directory changes."""

    def __init__(self, directory: Path, on_change: Callable[[], None]) -> None:
        self._directory = directory
        self._on_change = on_change
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rules-watcher", daemon=True)

    def start(self) -> None:
        """Start watching."""
        self._thread.start()

    def stop(self) -> None:
        """Stop watching (returns within the watcher's poll interval)."""
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        from watchfiles import watch

        try:
            # no filter: ``..data`` and ``..2026_...`` are exactly the names that change
            for _changes in watch(self._directory, watch_filter=None, debounce=_DEBOUNCE_MS,
                                  stop_event=self._stop, rust_timeout=1000, yield_on_timeout=False,
                                  raise_interrupt=False):
                self._on_change()
        except Exception as exc:  # the watcher is a convenience: SIGHUP still works
            log.warning("rules directory watcher stopped (%s); reload with SIGHUP",
                        type(exc).__name__)
