"""End to end on the real broker: run with encrypt -> index -> debug-api reveal, audited."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from debugapi_harness import REPO_ROOT, free_port, run_index, start_api, write_settings
from kafka_broker import create_topic

from processor.keys.keyring import KeyringFile, rotate, save_keyring
from processor.keys.kms import LocalKms
from processor.settings import EncryptionSettings

pytestmark = pytest.mark.integration

EMAIL, CARD = "ann.lee@example.com", "4111 1111 1111 1111"
RECORDS = "/api/v1/records?workflow_id=charge-7&run_id=run-1"
_TOKEN = re.compile(r"ENC\[v1:[A-Z_]+:[a-z0-9-]+:[sg]:[A-Za-z0-9_-]+\]")


def _records() -> list[tuple[bytes, bytes, None]]:
    t0 = datetime.now(UTC) - timedelta(hours=1)
    pay = {"workflow_id": "charge-7", "run_id": "run-1", "service": "payments"}
    rows: list[dict[str, Any]] = [
        {**pay, "ts": t0.isoformat(), "event": "started", "user_id": "u-1",
         "msg": f"order for {EMAIL}"},
        {**pay, "ts": (t0 + timedelta(seconds=1)).isoformat(), "step": "charge",
         "event": "failed", "user_id": "u-1", "msg": f"card {CARD} declined for {EMAIL}"},
        {"workflow_id": "ship-7", "run_id": "run-2", "service": "shipping",
         "ts": (t0 + timedelta(seconds=2)).isoformat(), "event": "started", "msg": "packing"},
    ]
    return [(r["workflow_id"].encode(), json.dumps(r).encode(), None) for r in rows]


def _reveal(api: Any, who: str, tokens: list[str], ticket: str = "INC-42"
            ) -> tuple[int, dict[str, str], Any]:
    return api.request("/api/v1/reveal", who, method="POST",
                       headers={"X-Debug-Ticket": ticket, "Content-Type": "application/json"},
                       body=json.dumps({"tokens": tokens, "reason": "declined card"}).encode())


def test_encrypt_run_index_reveal(topics_factory, start_processor, kafka, bootstrap, tmp_path):  # type: ignore[no-untyped-def]
    """Values encrypted by `run` reveal through the API after an acknowledged audit event."""
    kek = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
    keyring = tmp_path / "keyring.json"
    enc = EncryptionSettings(keyring_file=keyring, local_kek=kek, subject_field="user_id",
                             modes={"CREDIT_CARD": "g"}, reload_interval_s=0)
    ring = KeyringFile(kms="local")
    kid = rotate(ring, LocalKms(enc))
    save_keyring(keyring, ring)

    topics = topics_factory(raw_partitions=1, clean_partitions=1)
    kafka.produce(topics.raw, _records())
    proc = start_processor(topics, exit_when_idle=4, env={
        "LOGSCRUB_SCRUB__OPERATORS__EMAIL__OPERATOR": "encrypt",
        "LOGSCRUB_SCRUB__OPERATORS__CREDIT_CARD__OPERATOR": "encrypt",
        "LOGSCRUB_SCRUB__ENCRYPTION__KEYRING_FILE": str(keyring),
        "LOGSCRUB_SCRUB__ENCRYPTION__LOCAL_KEK": kek,
        "LOGSCRUB_SCRUB__ENCRYPTION__SUBJECT_FIELD": "user_id",
        "LOGSCRUB_SCRUB__ENCRYPTION__MODES": '{"CREDIT_CARD": "g"}',
    })
    assert proc.wait(timeout=120) == 0, proc.log()
    assert kek not in proc.log()

    audit = f"it-audit-{uuid.uuid4().hex[:8]}"
    # the broker stamps each event when it appends it, before it acknowledges it
    create_topic(bootstrap, audit, 1, config={"message.timestamp.type": "LogAppendTime"})
    grants = tmp_path / "grants.yaml"
    grants.write_text(yaml.safe_dump({"grants": [{
        "id": "inc-42", "actor": "alice", "actions": ["Reveal"],
        "scope": {"service": "payments"}, "ticket": "INC-42",
        "expires_at": (datetime.now(UTC) + timedelta(hours=1)).isoformat()}]}))
    port = free_port()
    config = write_settings(tmp_path / "settings.yaml", bootstrap, topics.clean,
                            tmp_path / "index.db", audit_topic=audit, port=port,
                            grants_file=grants)
    data = yaml.safe_load(config.read_text())
    data["scrub"]["encryption"] = enc.model_dump(mode="json") | {"local_kek": kek}
    config.write_text(yaml.safe_dump(data))
    run_index(config, tmp_path / "index.log")
    api = start_api(config, port, tmp_path / "api.log")
    try:
        code, _h, body = api.request(RECORDS, "alice", headers={"X-Debug-Ticket": "INC-42"})
        assert code == 200, body
        blob = json.dumps(body)
        assert EMAIL not in blob and CARD not in blob
        tokens = sorted(set(_TOKEN.findall(blob)))
        email_tokens = [t for t in tokens if t.startswith("ENC[v1:EMAIL:")]
        card_tokens = [t for t in tokens if t.startswith("ENC[v1:CREDIT_CARD:")]
        assert len(email_tokens) == 1  # SIV: one subject's email, one token in both records
        assert len(card_tokens) == 1 and f":{kid}:g:" in card_tokens[0]

        code, headers, body = _reveal(api, "alice", [email_tokens[0], card_tokens[0]])
        answered_ms = time.time() * 1000
        assert code == 200, body
        assert [r["value"] for r in body["results"]] == [EMAIL, CARD]
        assert headers["cache-control"] == "no-store"
        reveal_id = headers["x-request-id"]

        code, headers, body = _reveal(api, "sam", [card_tokens[0]])
        assert code == 403 and CARD not in json.dumps(body)
        denied_id = headers["x-request-id"]

        destroyed = subprocess.run(
            [sys.executable, "-m", "processor.cli", "--config", str(config), "keys", "destroy",
             kid, "--yes"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60,
            env={k: v for k, v in os.environ.items() if not k.startswith("LOGSCRUB_")},
            check=False)
        assert destroyed.returncode == 0, destroyed.stderr
        code, headers, body = _reveal(api, "alice", [card_tokens[0]])
        assert code == 410 and body["results"][0]["error"] == "unknown_key"
        assert CARD not in json.dumps(body)
        shredded_id = headers["x-request-id"]
    finally:
        api.stop()
    assert CARD not in api.log() and EMAIL not in api.log()

    events = {}
    for msg in kafka.read(audit, expect=4, settle=2):
        ce_id = dict(msg.headers() or [])["ce_id"].decode()
        events[ce_id] = (msg.timestamp()[1], json.loads(msg.value()))
    stamp, allowed = events[reveal_id]
    assert stamp <= answered_ms  # appended (then acknowledged) before the values reached us
    assert (allowed["class_uid"], allowed["activity_name"]) == (6005, "Decrypt")
    assert allowed["unmapped"]["entities"] == ["CREDIT_CARD", "EMAIL"]
    assert allowed["unmapped"]["kids"] == [kid]
    assert events[denied_id][1]["authorizations"][0]["decision"] == "deny"
    assert events[shredded_id][1]["unmapped"]["reveals"][0]["outcome"] == "unknown_key"
    everything = json.dumps([p for _s, p in events.values()])
    assert EMAIL not in everything and CARD not in everything


def test_reveal_audit_down__503_no_plaintext(tmp_path: Path, bootstrap: str) -> None:
    """With the audit topic missing, reveal answers 503 and no value leaves the process."""
    from debugapi_harness import TOKENS  # noqa: F401 - the harness's local-dev identities

    from processor.index.mapping import IndexEntry
    from processor.index.sqlite_store import SqliteStore
    from processor.keys.provider import KeyringKeys
    from processor.masking.encryption import TokenCipher

    kek = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
    keyring = tmp_path / "keyring.json"
    enc = EncryptionSettings(keyring_file=keyring, local_kek=kek)
    ring = KeyringFile(kms="local")
    rotate(ring, LocalKms(enc))
    save_keyring(keyring, ring)
    token = TokenCipher(KeyringKeys(keyring, LocalKms(enc)), {}).encrypt("CREDIT_CARD", CARD)
    assert token is not None
    db = tmp_path / "index.db"
    store = SqliteStore(db)
    store.write_batch("c", [IndexEntry("charge-8", "r1", "charge", 1, "failed",
                                       int(time.time() * 1000), None, "payments", "payments",
                                       "Charge", "", "raw/0/0", "c", 0, 0,
                                       json.dumps({"msg": token}))], {0: 1})
    store.close()
    grants = tmp_path / "grants.yaml"
    grants.write_text(yaml.safe_dump({"grants": [{
        "id": "g", "actor": "alice", "actions": ["Reveal"], "ticket": "INC-42",
        "expires_at": (datetime.now(UTC) + timedelta(hours=1)).isoformat()}]}))
    port = free_port()
    config = write_settings(tmp_path / "settings.yaml", bootstrap, "unused-clean", db,
                            audit_topic=f"it-missing-{uuid.uuid4().hex[:8]}", port=port,
                            grants_file=grants, audit_timeout_ms=1500)
    data = yaml.safe_load(config.read_text())
    data["scrub"]["encryption"] = enc.model_dump(mode="json") | {"local_kek": kek}
    config.write_text(yaml.safe_dump(data))
    api = start_api(config, port, tmp_path / "api.log")
    try:
        code, _h, body = _reveal(api, "alice", [token])
        assert code == 503 and body == {"error": "audit_unavailable"}
    finally:
        api.stop()
    assert CARD not in api.log()
