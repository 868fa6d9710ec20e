"""Rules anchored to the start or end of a value hold in every string of a record.

A record's strings are scanned as one joined text, so ``^`` and ``$`` must mean the
start and end of each string (and of each line in it), not of the whole record. A
command or sentence that ends a value also ends where a quote, an ``&`` or a mask
token follows it.
"""

from __future__ import annotations

import json

import pytest

from processor.pipeline import Scrubber

_KEY = "\n".join(["-----BEGIN PRIVATE KEY-----", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
                  "BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj", "-----END PRIVATE KEY-----"])


def _out(s: Scrubber, line: str) -> str:
    return s.scrub(line.encode()).output.decode()


@pytest.mark.parametrize(
    ("value", "secret"),
    [
        ("Asante, Kwame (ops)", "Kwame"),  # a whole cell, anchored at the value's start
        ("redis> AUTH Zq8mP2vLx9", "Zq8mP2vLx9"),  # anchored at the value's end
        ("rootpw --plaintext Tr0ub4dor&3", "Tr0ub4dor&3"),
    ],
)
def test_anchored_rule_holds_in_a_later_json_value(
    scrubber: Scrubber, value: str, secret: str
) -> None:
    """The same value is masked as the first string of a record and as the third."""
    for doc in ({"msg": value}, {"level": "info", "svc": "api", "msg": value}):
        out = json.loads(_out(scrubber, json.dumps(doc)))
        assert secret not in out["msg"], doc


def test_private_key_over_real_lines_is_masked_to_its_end(scrubber: Scrubber) -> None:
    """Line ends inside a key block do not end the match: no base64 line survives."""
    out = json.loads(_out(scrubber, json.dumps({"level": "error", "key": _KEY})))
    assert "MIIEvQIBADAN" not in out["key"] and "BKcwggSjAgEA" not in out["key"]


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ('level=info msg="Your new password is s3cr3t-P@ss" attempt=2', "s3cr3t-P@ss"),
        ("request failed: 'password -> Zq8mP2vLx9' (retrying)", "Zq8mP2vLx9"),
        ("password=[MASKED-PASSWORD] redis> AUTH P@ssw0rd2026 [MASKED-X]", "P@ssw0rd2026"),
        ("request failed: '127.0.0.1:6379> AUTH default P@ssw0rd2026' (retry)",
         "P@ssw0rd2026"),
        ('level=info msg="a001 LOGIN \\"bob\\" \\"kX9#mQ2vLp\\"" attempt=2', "kX9#mQ2vLp"),
        ("GET /cb?next=redis> AUTH P@ssw0rd2026&page=2 HTTP/1.1", "P@ssw0rd2026"),
        ("[MASKED-EMAIL]AUTH Winter2026x", "Winter2026x"),
        ("[MASKED-EMAIL]PASS Winter2026x", "Winter2026x"),
        ("note: 'rootpw --plaintext P@ssw0rd2026' [MASKED-X]", "P@ssw0rd2026"),
        ("net user bob Zq8mP2vLx9 [MASKED-X]", "Zq8mP2vLx9"),
    ],
)
def test_a_command_or_sentence_inside_a_value_loses_its_password(
    scrubber: Scrubber, line: str, secret: str
) -> None:
    """A quote, an & or a mask token after the password ends it like the end of a line."""
    assert secret not in _out(scrubber, line)


@pytest.mark.parametrize(
    "line",
    [
        "AUTH failed for user bob",
        "[imap] AUTH OK",
        "redis> AUTH [MASKED-PASSWORD]",
        "password is 'set' by policy",
    ],
)
def test_the_end_of_a_value_takes_no_new_words(scrubber: Scrubber, line: str) -> None:
    """Status words and mask tokens after the command are not taken for a password."""
    assert _out(scrubber, line) == line


def test_twilio_token_after_its_sid_needs_no_vendor_word(scrubber: Scrubber) -> None:
    """An AC... account SID followed by 32 hex is a credential pair on its own."""
    line = "creds AC5d0e3f2a91b7c4e8f6a2d9b1c3e5f7a9:4b7e1d9a2c6f3e8b5a0d7c4f1e9b2a6d"
    assert "4b7e1d9a2c6f" not in _out(scrubber, line)
