"""Issue 6: paths by which raw content reached the clean output, each closed at its root."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from processor.pipeline import Scrubber
from processor.records import FALLBACK_TOKEN
from processor.settings import BUNDLED_RULES
from processor.stream.headers import scrub_headers


def _out(s: Scrubber, line: str) -> str:
    return s.scrub(line.encode()).output.decode()


# -- 1: mask-token smuggling ------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("password=[MASKED-X]hunter2", "hunter2"),
        ('login ok password="[MASKED-PASSWORD] hunter2"', "hunter2"),
        ("password=[MASKED-X-hunter22]", "hunter22"),
        ('{"password": "[MASKED-X-hunter22]"}', "hunter22"),
        ('{"password": "[MASKED-PASSWORD-hunter22]"}', "hunter22"),
        ('{"note": "[MASKED-EMAIL]bob@example.com"}', "bob@example.com"),
        ("seen [MASKED-EMAIL-bob@example.com] again", "bob@example.com"),
    ],
)
def test_text_around_or_inside_a_fake_token_is_scanned(
    scrubber: Scrubber, line: str, secret: str
) -> None:
    """Only a whole value that is exactly a token this rule set writes is skipped."""
    assert secret not in _out(scrubber, line)


@pytest.mark.parametrize(
    "line",
    [
        '{"password": "[MASKED-PASSWORD]", "card_number": "[MASKED-CREDIT_CARD-1111]"}',
        "password=[MASKED-PASSWORD] user=[MASKED-EMAIL] ok",
        '{"msg": "[MASKED-RECORD]"}',
    ],
)
def test_real_tokens_are_left_alone(scrubber: Scrubber, line: str) -> None:
    """A token the rule set could have written is not masked again."""
    assert _out(scrubber, line) == line


# -- 3: header names are context ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("password", "hunter2", "[MASKED-PASSWORD]"),
        ("X-Api-Key", "abcdefghijklmnopqrstuvwx", "[MASKED-API_KEY]"),
        ("authorization", "Bearer abcdefghijklmnopqrstuvwxyz", "[MASKED-AUTHORIZATION]"),
        ("Set-Cookie", "session=abc; Path=/", "[MASKED-COOKIE]"),
        ("x-request-id", "req-42 from bob@example.com", "req-42 from [MASKED-EMAIL]"),
        ("x-request-id", "req-42", "req-42"),
    ],
)
def test_scrub_field_uses_the_name_like_a_json_key(
    scrubber: Scrubber, name: str, value: str, expected: str
) -> None:
    """A sensitive field name masks the value whole; any other name scans it as text."""
    masked, counts = scrubber.scrub_field(name, value)
    assert masked == expected
    assert sum(counts.values()) == (0 if masked == value else 1)


def test_headers_are_scrubbed_with_their_names(scrubber: Scrubber) -> None:
    """A password or API key header does not reach the clean record, with the real Scrubber."""
    headers, counts = scrub_headers(
        [("password", b"hunter2"), ("x-api-key", b"abcdefghijklmnop"), ("trace", b"t-1")],
        scrubber.scrub_field,
    )
    assert headers == [("password", b"[MASKED-PASSWORD]"), ("x-api-key", b"[MASKED-API_KEY]"),
                       ("trace", b"t-1")]
    assert sum(counts.values()) == 2


def test_scrub_field_keeps_a_real_token(scrubber: Scrubber) -> None:
    """Scrubbing a scrubbed header changes nothing."""
    assert scrubber.scrub_field("password", "[MASKED-PASSWORD]")[0] == "[MASKED-PASSWORD]"


# -- 4: JSON object keys ------------------------------------------------------------------


def test_secret_used_as_a_json_key_is_masked(scrubber: Scrubber) -> None:
    """{"counters": {"alice@example.com": 3}} no longer leaks the address."""
    out = json.loads(_out(scrubber, '{"counters": {"alice@example.com": 3}}'))
    assert out == {"counters": {"[MASKED-EMAIL]": 3}}


def test_masked_keys_stay_unique(scrubber: Scrubber) -> None:
    """Two secret keys, and a key already equal to the token, all survive with their values."""
    line = '{"[MASKED-EMAIL]": 0, "a@example.com": 1, "b@example.com": 2, "n": 3}'
    out = json.loads(_out(scrubber, line))
    assert out == {"[MASKED-EMAIL]": 0, "[MASKED-EMAIL]#2": 1, "[MASKED-EMAIL]#3": 2, "n": 3}


def test_key_mask_keeps_the_rest_of_the_key(scrubber: Scrubber) -> None:
    """Only the secret part of a key is masked, and the value under it is still scanned."""
    out = json.loads(_out(scrubber, '{"seen:alice@example.com": "bob@example.com"}'))
    assert out == {"seen:[MASKED-EMAIL]": "[MASKED-EMAIL]"}


def test_fallback_masks_keys_not_scanned_clean(scrubber_factory: Callable[..., Scrubber]) -> None:
    """A record masked whole keeps only the keys that were scanned and found clean."""
    s = scrubber_factory(rules_dir=BUNDLED_RULES, record_budget_ms=0.000001)
    result = s.scrub(b'{"alice@example.com": "x", "level": "info"}')
    assert result.fallback == "budget"
    assert json.loads(result.output) == {"[MASKED-RECORD]": FALLBACK_TOKEN, "level": FALLBACK_TOKEN}


# -- 5: credential context, any alphabet ----------------------------------------------------


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("retrying with bearer qwErtyUiopAsdfGhjklZxcvbnm", "qwErtyUiopAsdfGhjklZxcvbnm"),
        ("Authorization: Bearer abcdefghijklmnop", "abcdefghijklmnop"),
        ('{"headers": "authorization=Token abcdefghijkl"}', "abcdefghijkl"),
        ("GET /x?token=abcdefghijklm", "abcdefghijklm"),
        ("api_key=abcdefghijklmnop used", "abcdefghijklmnop"),
    ],
)
def test_credential_context_masks_letters_only_values(
    scrubber: Scrubber, line: str, secret: str
) -> None:
    """Bearer, Basic, token= and api_key= mask the value whatever its alphabet."""
    assert secret not in _out(scrubber, line)


def test_letters_only_bearer_in_a_header_value(scrubber: Scrubber) -> None:
    """A header not named like a credential still has its Bearer token masked."""
    masked, _ = scrubber.scrub_field("x-forwarded-auth", "Bearer qwErtyUiopAsdfGhjklZxcvbnm")
    assert "qwErtyUiopAsdfGhjklZxcvbnm" not in masked


# -- percent-encoded text ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("GET /cb?next=user%3Dbob%40example.com HTTP/1.1", "bob%40example.com"),
        ("GET /cb?next=Authorization%3A%20Bearer%20abcdefghijklmnop", "abcdefghijklmnop"),
        ("GET /cb?next=card%204111%201111%201111%201111", "4111%201111%201111"),
        ("GET /cb?dsn=postgres%3A%2F%2Fapp%3AS3cr3t%21pw%40db.internal", "S3cr3t%21pw"),
    ],
)
def test_percent_encoded_secrets_are_masked(scrubber: Scrubber, line: str, secret: str) -> None:
    """A secret percent-encoded in a URL is found in the decoded view and masked in place."""
    out = _out(scrubber, line)
    assert secret not in out and "[MASKED-" in out


def test_percent_escapes_without_secrets_stay(scrubber: Scrubber) -> None:
    """Encoded text with nothing to mask comes back byte for byte."""
    line = "GET /search?q=caf%C3%A9%20au%20lait&page=2%2F3 HTTP/1.1"
    assert _out(scrubber, line) == line
