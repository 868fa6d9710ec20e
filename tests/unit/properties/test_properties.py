"""Property-based checks on random records with injected secrets and lookalikes."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from processor.pipeline import Scrubber

SECRETS = [
    "jane.doe@example.com", "ops%40corp.example.org", "4111 1111 1111 1111",
    "5500-0000-0000-0004", "378282246310005", "078-05-1121", "DE89 3704 0044 0532 0130 00",
    "GB82WEST12345698765432", "203.0.113.77", "2001:db8:85a3::8a2e:370:7334",
    "AKIAIOSFODNN7EXAMPLE", "ghp_4Wq8c2ZxLmN0pQ7rS1tU3vW5yA9bC6dE8fGh",
    "glpat-Zx9Kq2Lm4Np6Rt8Vw0Yb", "xoxb-2048-4096-aB3dE5fG7hJ9kL1mN3pQ5rS7",
    "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
    "npm_Ab3De5Gh7Jk9Mn1Pq3St5Vw7Yz9Bc1Df3Gh5",
    "(415) 555-0132", "+44 20 7946 0958",
]
LOOKALIKES = [
    "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "9fceb02d0ae598e95dc970b74767f19372d61af8",
    "v1.24.3", "2024-03-05T10:22:31.123Z", "1234ms", "api-7d9f8b6c5-xk2lp",
    "ORD-2024-000123", "INV-88231", "/api/v1/orders/123", "blk_-6991853982611346454",
    "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "0x7ffd5e8a",
]
WORDS = st.sampled_from(["request", "done", "retry", "worker", "queue", "ok", "GET", "status",
                         "for", "user", "took", "from", "to", "id", "event", "task"])
KEYS = st.sampled_from(["msg", "event", "detail", "note", "path", "ref", "src", "info"])


@st.composite
def records(draw: st.DrawFn) -> tuple[str, list[str], list[str]]:
    """A JSON, logfmt or text line carrying some secrets and some lookalikes."""
    secrets = draw(st.lists(st.sampled_from(SECRETS), max_size=3, unique=True))
    looks = draw(st.lists(st.sampled_from(LOOKALIKES), max_size=3, unique=True))
    values = secrets + looks + draw(st.lists(WORDS, max_size=4))
    values = draw(st.permutations(values))
    fmt = draw(st.sampled_from(["json", "logfmt", "text"]))
    if fmt == "json":
        keys = [f"{draw(KEYS)}_{i}" for i in range(len(values))]
        line = json.dumps({"level": "info", **dict(zip(keys, values, strict=True))})
    elif fmt == "logfmt":
        line = "level=info " + " ".join(f'k{i}="{v}"' for i, v in enumerate(values))
    else:
        line = " ".join(["INFO", *[f"{draw(WORDS)} {v}" for v in values]])
    return line, secrets, looks


FAST = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(records())
def test_no_secret_survives(scrubber: Scrubber, rec: tuple[str, list[str], list[str]]) -> None:
    """Every injected secret is gone from the output."""
    line, secrets, _ = rec
    out = scrubber.scrub(line.encode()).output.decode()
    for secret in secrets:
        assert secret not in out


@FAST
@given(records())
def test_lookalikes_survive(scrubber: Scrubber, rec: tuple[str, list[str], list[str]]) -> None:
    """Every injected lookalike comes through unchanged."""
    line, _, looks = rec
    out = scrubber.scrub(line.encode()).output.decode()
    for look in looks:
        assert look in out


@FAST
@given(records())
def test_json_stays_json_with_same_keys(
    scrubber: Scrubber, rec: tuple[str, list[str], list[str]]
) -> None:
    """A JSON record stays valid JSON with the same keys, and clean values stay equal."""
    line = rec[0]
    if not line.startswith("{"):
        return
    src = json.loads(line)
    out = json.loads(scrubber.scrub(line.encode()).output)
    assert list(out) == list(src)
    for key, value in src.items():
        if not any(s in str(value) for s in SECRETS):
            assert out[key] == value


@FAST
@given(records())
def test_scrubbing_is_idempotent(scrubber: Scrubber, rec: tuple[str, list[str], list[str]]) -> None:
    """Scrubbing scrubbed output changes nothing."""
    once = scrubber.scrub(rec[0].encode()).output
    assert scrubber.scrub(once).output == once


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(scrubber: Scrubber, data: bytes) -> None:
    """Any bytes give exactly one result; undecodable ones are masked whole."""
    (result,) = scrubber.scrub_many([data])
    assert isinstance(result.output, bytes)
    if result.fallback is None:
        data.decode("utf-8")
