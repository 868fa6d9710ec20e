"""End to end through ``logscrub run``: every record once, scrubbed, with key, order, headers."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

pytestmark = pytest.mark.integration


@pytest.mark.ner
def test_n_records_in_give_n_clean_records_out(topics_factory, start_processor, kafka,
                                               make_secret_records):
    """N records with secrets yield exactly N clean records: no secret, key, order, headers kept."""
    n = 600
    topics = topics_factory(raw_partitions=3, clean_partitions=3)
    records = make_secret_records(n)
    kafka.produce(topics.raw, [(r.key, r.value, r.headers) for r in records])

    proc = start_processor(topics, workers=2, ner=True, exit_when_idle=6)
    assert proc.wait(timeout=150) == 0, proc.log()

    out = kafka.read(topics.clean, expect=n, settle=2)
    assert len(out) == n
    by_id = {kafka.json_value(m)["id"]: m for m in out}
    assert sorted(by_id) == list(range(n))

    for rec in records:
        msg = by_id[json.loads(rec.value)["id"]]
        blob = (msg.value() or b"") + b"".join(v or b"" for _k, v in msg.headers() or [])
        for secret in rec.secrets:
            assert secret not in blob
        assert msg.key() == rec.key
        assert msg.timestamp()[1] > 0
    sources = [kafka.header(m, "scrub.source") for m in out]
    assert all(s and s.startswith(f"{topics.raw}/") for s in sources)
    assert len(set(sources)) == n
    assert all(kafka.header(m, "scrub.ruleset") for m in out)
    assert all(kafka.header(m, "scrub.status") == "ok" for m in out)
    findings = kafka.header(out[0], "scrub.findings") or ""
    assert "EMAIL=" in findings and "CREDIT_CARD=1" in findings
    odd = [kafka.header(m, "trace-user") for m in out]
    assert [h for h in odd if h != "[MASKED-EMAIL]"] == []

    # Order within a key: per output partition, each key's seq strictly increases.
    last_seq: dict[bytes | None, int] = defaultdict(lambda: -1)
    for msg in sorted(out, key=lambda m: (m.partition(), m.offset())):
        seq = kafka.json_value(msg)["seq"]
        assert seq > last_seq[msg.key()]
        last_seq[msg.key()] = seq
    assert kafka.read(topics.quarantine, settle=1) == []
