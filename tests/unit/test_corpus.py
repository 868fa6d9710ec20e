"""Tests for the labelled benchmark corpus generator (bench/corpus.py)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from bench.corpus import ENTITIES, LabelledRecord, generate, read_jsonl, write_jsonl, write_lines

N = 1500


@pytest.fixture(scope="module")
def corpus() -> list[LabelledRecord]:
    """A mid-sized corpus shared by the tests in this module."""
    return generate(N, seed=7)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _iban_ok(iban: str) -> bool:
    compact = iban.replace(" ", "")
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def test_generation_is_deterministic() -> None:
    """The same n and seed give identical records, and a shorter corpus is a prefix."""
    assert generate(200, seed=3) == generate(200, seed=3)
    assert generate(50, seed=3) == generate(200, seed=3)[:50]


def test_different_seeds_differ() -> None:
    """Different seeds give different corpora."""
    assert [r.line for r in generate(50, seed=1)] != [r.line for r in generate(50, seed=2)]


def test_every_line_is_single_line(corpus: list[LabelledRecord]) -> None:
    """No record contains a raw newline or carriage return."""
    assert all("\n" not in r.line and "\r" not in r.line for r in corpus)


def test_secret_labels_are_substrings(corpus: list[LabelledRecord]) -> None:
    """Every labelled secret is an exact substring of its line and uses a known entity."""
    for rec in corpus:
        for entity, secret in rec.secrets:
            assert entity in ENTITIES
            assert secret and secret in rec.line


def test_lookalikes_are_present_and_distinct(corpus: list[LabelledRecord]) -> None:
    """Every lookalike is in its line, at least 6 characters long, and has a kind."""
    for rec in corpus:
        assert len(rec.lookalike_kinds) == len(rec.lookalikes)
        for look in rec.lookalikes:
            assert len(look) >= 6 and look in rec.line


def test_lookalikes_do_not_overlap_secrets(corpus: list[LabelledRecord]) -> None:
    """No lookalike is contained in, or contains, a secret of the same record."""
    for rec in corpus:
        for _, secret in rec.secrets:
            for look in rec.lookalikes:
                assert look not in secret and secret not in look


def test_short_secrets_occur_once(corpus: list[LabelledRecord]) -> None:
    """Secrets shorter than 8 characters occur exactly once, so absence is meaningful."""
    for rec in corpus:
        for _, secret in rec.secrets:
            if len(secret) < 8:
                assert rec.line.count(secret) == 1


def test_json_lines_parse_as_objects(corpus: list[LabelledRecord]) -> None:
    """Every JSON record is a compact JSON object; other formats are not JSON objects."""
    for rec in corpus:
        if rec.format == "json":
            obj = json.loads(rec.line)
            assert isinstance(obj, dict)
            assert rec.line == json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
        else:
            assert not rec.line.startswith("{")


def test_format_mix_and_clean_share(corpus: list[LabelledRecord]) -> None:
    """The mix is roughly 40/25/35 JSON/logfmt/text, and about half the lines are clean."""
    share = Counter(r.format for r in corpus)
    assert abs(share["json"] / N - 0.40) < 0.05
    assert abs(share["logfmt"] / N - 0.25) < 0.05
    assert abs(share["text"] / N - 0.35) < 0.05
    assert 0.4 < sum(not r.secrets for r in corpus) / N < 0.6


def test_every_entity_is_covered(corpus: list[LabelledRecord]) -> None:
    """Every entity type appears at least a few times in a corpus of this size."""
    counts = Counter(e for r in corpus for e, _ in r.secrets)
    assert {e for e in ENTITIES if counts[e] < 5} == set()


def test_cards_pass_luhn_and_lookalike_runs_fail(corpus: list[LabelledRecord]) -> None:
    """Labelled cards (12 to 19 digits) pass Luhn in their grouping; lookalike runs fail it."""
    for rec in corpus:
        for entity, secret in rec.secrets:
            if entity == "CREDIT_CARD":
                digits = re.sub(r"[ .-]", "", secret)
                assert digits.isdigit() and 12 <= len(digits) <= 19 and _luhn_ok(digits)
        for kind, look in zip(rec.lookalike_kinds, rec.lookalikes, strict=True):
            if kind == "non_luhn":
                assert len(look) == 16 and not _luhn_ok(look)


def test_ibans_pass_mod97(corpus: list[LabelledRecord]) -> None:
    """Every labelled IBAN, spaced or compact, passes the mod-97 check."""
    ibans = [s for r in corpus for e, s in r.secrets if e == "IBAN"]
    assert ibans and all(_iban_ok(i) for i in ibans)
    assert any(" " in i for i in ibans) and any(" " not in i for i in ibans)


def test_token_shapes(corpus: list[LabelledRecord]) -> None:
    """Vendor tokens have their documented prefix and length."""
    shapes = {
        "AWS_ACCESS_KEY": r"AKIA[A-Z2-7]{16}",
        "GITLAB_TOKEN": r"glpat-[\w-]{20}",
        "TWILIO_KEY": r"SK[0-9a-f]{32}",
        "SENDGRID_KEY": r"SG\.[\w-]{22}\.[\w-]{43}",
        "NPM_TOKEN": r"npm_[A-Za-z0-9]{36}",
        "GOOGLE_API_KEY": r"AIza[\w-]{35}",
        "GITHUB_TOKEN": r"ghp_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}",
        "JWT": r"eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+",
        "US_SSN": r"\d{3}-\d{2}-\d{4}",
    }
    for rec in corpus:
        for entity, secret in rec.secrets:
            if entity in shapes:
                assert re.fullmatch(shapes[entity], secret), entity


def test_jwt_header_names_an_alg(corpus: list[LabelledRecord]) -> None:
    """Every JWT header decodes to JSON with an alg field."""
    import base64

    for rec in corpus:
        for entity, secret in rec.secrets:
            if entity == "JWT":
                head = secret.split(".")[0]
                decoded = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
                assert decoded["alg"] in {"HS256", "RS256", "ES256"}


def test_round_trip_files(tmp_path: Path) -> None:
    """write_lines writes one line per record and write_jsonl/read_jsonl round-trip."""
    recs = generate(100, seed=11)
    write_lines(tmp_path / "c.log", recs)
    write_jsonl(tmp_path / "c.jsonl", recs)
    lines = (tmp_path / "c.log").read_text(encoding="utf-8").split("\n")
    assert lines[:-1] == [r.line for r in recs] and lines[-1] == ""
    assert read_jsonl(tmp_path / "c.jsonl") == recs


# -- the scoring that consumes the corpus (bench/evaluate.py) ---------------------------------
def test_score_identity_and_full_mask() -> None:
    """Unchanged output detects nothing and keeps lookalikes; a full mask detects everything."""
    from bench.evaluate import score

    recs = generate(200, seed=5)
    same = score(recs, [r.line for r in recs])
    assert same.recall == 0.0 and same.overmask == 0.0 and same.clean_changed == 0
    masked = score(recs, ["[MASKED-RECORD]"] * len(recs))
    assert masked.recall == 1.0 and masked.overmask == 1.0


def test_score_counts_surviving_fragments() -> None:
    """A surviving 8-char fragment leaks a long secret, unless it also occurs elsewhere."""
    from bench.evaluate import score

    secret = "ghp_" + "a1B2c3D4e5" * 3 + "xyzXYZ"
    rec = LabelledRecord(f"token {secret} sent", "text", (("GITHUB_TOKEN", secret),), ())
    assert score([rec], [f"token [MASKED-GITHUB_TOKEN]{secret[-8:]} sent"]).recall == 0.0
    assert score([rec], ["token [MASKED-GITHUB_TOKEN] sent"]).recall == 1.0
    email = "maria.garcia@example.com"
    rec2 = LabelledRecord(f"to {email} via smtp.example.com", "text", (("EMAIL", email),), ())
    assert score([rec2], ["to [MASKED-EMAIL] via smtp.example.com"]).recall == 1.0


def test_loghub_overmask_counts_new_masks_only() -> None:
    """Mask tokens are counted per entity, minus any already present in the input."""
    from bench.evaluate import loghub_overmask

    rep = loghub_overmask([
        ("from 10.0.0.1 <USER>", "from [MASKED-IP_ADDRESS] <USER>"),
        ("unchanged line", "unchanged line"),
        ("mail a@b.com", "mail <EMAIL_ADDRESS>"),
    ], sources=["x", "x", "y"])
    assert rep.lines == 3 and rep.changed == 2
    assert rep.masks == {"IP_ADDRESS": 1, "EMAIL_ADDRESS": 1}
    assert rep.changed_by_source == {"x": 0.5, "y": 1.0}
