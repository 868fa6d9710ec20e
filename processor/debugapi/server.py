"""``logscrub debug-api``: wire the store, policies, auth and audit, and serve with uvicorn."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import uvicorn

from processor.debugapi.app import create_app
from processor.debugapi.audit_sink import KafkaAuditSink
from processor.debugapi.auth import Authenticator
from processor.debugapi.grants import GrantsSource
from processor.debugapi.metrics import DebugApiMetrics, serve_metrics
from processor.debugapi.policies import PolicyEngine
from processor.debugapi.reveal_budget import RevealBudget
from processor.debugapi.services import Services
from processor.debugapi.status import status_probe
from processor.index.store import open_store
from processor.keys.provider import open_data_keys
from processor.keys.reveal import Revealer
from processor.settings import Settings

__all__ = ["explainer", "reveal_services", "serve"]

log = logging.getLogger(__name__)


def explainer(settings: Settings) -> tuple[Any, str, Callable[[str], str]]:
    """The explain function, the rule set version, and a masker for free-text request fields.

    The masker scrubs what a caller types into the audit trail (the justification, the
    path): someone may paste a secret there, and it must not reach the audit topic.
    """
    from processor.pipeline import Scrubber

    # no keys: explain masks what `run` would encrypt, so that no caller can have
    # guesses encrypted and compare them with the deterministic tokens of the clean topic
    scrubber = Scrubber.from_settings(settings.scrub, encrypt=False)
    lock = threading.Lock()  # the scrubber's caches are not meant for concurrent threads

    def explain(value: bytes) -> dict[str, Any]:
        with lock:
            result, spans = scrubber.explain(value)
        findings = [
            {"field": name or None, "start": f.start, "end": f.end, "entity": f.entity,
             "rule_id": f.rule_id, "source": f.source, "score": round(f.score, 3)}
            for name, found in spans for f in found
        ]
        shown: Counter[tuple[str, str]] = Counter(
            (f.rule_id, f.entity) for _name, found in spans for f in found)
        whole = [{"rule_id": rule, "entity": entity, "values": n}
                 for (rule, entity), n in sorted((result.counts - shown).items())]
        return {"format": result.format, "findings": findings, "field_masks": whole,
                "fallback": result.fallback,
                "masked": result.output.decode("utf-8", "replace")}

    def mask_text(text: str) -> str:
        if not text:
            return text
        with lock:
            result = scrubber.scrub(text.encode("utf-8"))
        return result.output.decode("utf-8", "replace")

    return explain, scrubber.ruleset_version, mask_text


def reveal_services(settings: Settings) -> tuple[Revealer | None, RevealBudget | None]:
    """The revealer over the keyring and the per-actor budget (None: no keyring)."""
    if settings.scrub.encryption.keyring_file is None:
        return None, None
    api = settings.debug_api
    keys = open_data_keys(settings.scrub.encryption)  # KeyringError/ConfigError: refuse
    return Revealer(keys), RevealBudget(api.reveal_budget, api.reveal_window_s)


def serve(settings: Settings) -> int:
    """Run the API until SIGTERM/SIGINT; return the exit code."""
    api = settings.debug_api
    authenticator = Authenticator(api.auth)  # ConfigError: refuse to start
    engine = PolicyEngine(api.policies_dir, GrantsSource(api.grants_file))
    store = open_store(settings.index)
    explain, ruleset, mask_text = explainer(settings)
    sink = KafkaAuditSink(settings)
    from processor.replay.manager import ReplayManager

    services = Services(settings, store, engine, explain, status_probe(settings, store, ruleset),
                        *reveal_services(settings), ReplayManager(settings))
    metrics = DebugApiMetrics()
    app = create_app(services, authenticator, sink, mask_text, metrics)
    if api.metrics_port is not None:
        serve_metrics(metrics, api.host, api.metrics_port)
    if authenticator.local_dev:
        log.warning("debug API in LOCAL-DEV mode: static tokens are accepted")
    config = uvicorn.Config(
        app, host=api.host, port=api.port, access_log=False, log_config=None,
        server_header=False, proxy_headers=False, timeout_graceful_shutdown=5,
        limit_concurrency=200,
    )
    server = uvicorn.Server(config)
    log.info("debug API on http://%s:%d/ (audit topic %s)", api.host, api.port, api.audit_topic)
    try:
        server.run()
    finally:
        sink.close()
        store.close()
    return 0
