"""Hot reload in the supervisor: validation first, the old rules on failure, the watcher."""

from __future__ import annotations

import queue
import threading
import time
from pathlib import Path

from processor import metrics
from processor.pipeline import Scrubber
from processor.rules.loader import load_rules
from processor.settings import ScrubSettings
from processor.stream.reload import Candidate, Reloader, RulesWatcher, validate_candidate
from processor.stream.worker_process import _swapper
from tests.configmap_dir import BASIC_RULES as BASIC
from tests.configmap_dir import ORDER_RULE, swap_configmap, write_configmap

MIN_RULES = Path(__file__).resolve().parents[2] / "data" / "rules_min"
BROKEN_EXAMPLE = ORDER_RULE.replace('must_not_mask: ["order ORD-12 shipped"]',
                                    'must_not_mask: ["order ORD-654321 shipped"]')


def _reloads(outcome: str) -> float:
    value = metrics.SUPERVISOR_REGISTRY.get_sample_value(
        "logscrub_ruleset_reload_total", {"outcome": outcome})
    return value or 0.0


def _settings(rules_dir: Path) -> ScrubSettings:
    return ScrubSettings(rules_dir=rules_dir, ner_enabled=False)


def test_configmap_layout_loads_each_file_once(tmp_path: Path) -> None:
    """A ConfigMap mount (files reachable twice, through ..data) loads without duplicate ids."""
    write_configmap(tmp_path / "rules", {"basic.yaml": BASIC})
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "basic.yaml").write_text(BASIC)
    ruleset = load_rules(tmp_path / "rules")
    assert ruleset.version == load_rules(tmp_path / "plain").version


def test_valid_reload_yields_the_new_rule_set(tmp_path: Path) -> None:
    """A valid change is counted as success and becomes the current rule set."""
    rules = tmp_path / "rules"
    write_configmap(rules, {"basic.yaml": BASIC})
    reloader = Reloader(lambda: _settings(rules), validate_candidate(_settings(rules)))
    old = reloader.current.ruleset.version
    before = _reloads("success")
    swap_configmap(rules, {"basic.yaml": BASIC, "orders.yaml": ORDER_RULE}, 2)
    candidate = reloader.attempt("test")
    assert candidate is not None and candidate.ruleset.version != old
    assert any(r.spec.id == "order-number" for r in candidate.ruleset.rules)
    assert _reloads("success") == before + 1


def test_invalid_reload_keeps_the_old_rules_and_names_the_rule(tmp_path: Path, caplog) -> None:
    """A rule whose near-miss example gets masked is refused, logged by id; the old set stays."""
    rules = tmp_path / "rules"
    write_configmap(rules, {"basic.yaml": BASIC})
    reloader = Reloader(lambda: _settings(rules), validate_candidate(_settings(rules)))
    old = reloader.current
    before = _reloads("invalid")
    swap_configmap(rules, {"basic.yaml": BASIC, "orders.yaml": BROKEN_EXAMPLE}, 2)
    assert reloader.attempt("test") is None
    assert reloader.current is old
    assert _reloads("invalid") == before + 1
    assert "orders.yaml:order-number" in caplog.text
    assert "ORD-654321" not in caplog.text


def test_unchanged_reload_is_not_sent(tmp_path: Path) -> None:
    """Reloading identical files yields nothing to send and counts as unchanged."""
    rules = tmp_path / "rules"
    write_configmap(rules, {"basic.yaml": BASIC})
    reloader = Reloader(lambda: _settings(rules), validate_candidate(_settings(rules)))
    before = _reloads("unchanged")
    assert reloader.attempt("test") is None
    assert _reloads("unchanged") == before + 1


def test_watcher_sees_a_configmap_data_swap(tmp_path: Path) -> None:
    """Swapping the ..data symlink of a ConfigMap mount wakes the watcher."""
    rules = tmp_path / "rules"
    write_configmap(rules, {"basic.yaml": BASIC})
    changed = threading.Event()
    watcher = RulesWatcher(rules, changed.set)
    watcher.start()
    try:
        time.sleep(0.5)  # let inotify arm its watches before the change
        swap_configmap(rules, {"basic.yaml": BASIC, "orders.yaml": ORDER_RULE}, 2)
        assert changed.wait(timeout=20), "the watcher never reported the ..data swap"
    finally:
        watcher.stop()


def test_worker_swapper_takes_the_newest_queued_rule_set(tmp_path: Path) -> None:
    """A worker builds a scrubber from the newest queued candidate, and then none until more."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "basic.yaml").write_text(BASIC)
    first = Scrubber(load_rules(rules), _settings(rules))
    (rules / "orders.yaml").write_text(ORDER_RULE)
    newest = Candidate(_settings(rules), load_rules(rules))
    q: queue.Queue[Candidate] = queue.Queue()
    q.put(Candidate(_settings(MIN_RULES), load_rules(MIN_RULES)))
    q.put(newest)
    swap = _swapper(q, first)
    fresh = swap()
    assert fresh is not None and fresh.ruleset_version == newest.ruleset.version
    assert b"ORD-123456" not in fresh.scrub(b"order ORD-123456 shipped").output
    assert swap() is None


def test_operator_settings_change_is_a_reload(tmp_path: Path) -> None:
    """Same rules, new operator settings: a success, and the worker masks the new way."""
    rules = tmp_path / "rules"
    write_configmap(rules, {"basic.yaml": BASIC})
    current: dict[str, dict[str, object]] = {"ops": {}}

    def load() -> ScrubSettings:
        return ScrubSettings(rules_dir=rules, ner_enabled=False, operators=current["ops"])
    reloader = Reloader(load, validate_candidate(load()))
    current["ops"] = {"EMAIL": {"operator": "partial", "keep_last": 4}}
    candidate = reloader.attempt("SIGHUP")
    assert candidate is not None
    assert candidate.ruleset.version == reloader.current.ruleset.version
    first = Scrubber(load_rules(rules), _settings(rules))
    fresh = first.with_rules(candidate.ruleset, candidate.scrub)
    assert fresh.scrub(b"mail bob@example.com").output == b"mail [MASKED-EMAIL-ecom]"
