"""Property tests: secrets drawn from each rule's own patterns leave no fragment behind.

For every pattern the stdlib can parse, hypothesis draws strings the pattern matches,
keeps those the rule (with its validator and context) finds on their own, and puts
them in hostile places: JSON keys and values, logfmt, quotes, URLs, next to mask tokens
percent-encoded in a URL, and in headers. No run of 8 or more characters of the secret
may survive.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from urllib.parse import quote

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from processor.pipeline import Scrubber
from processor.rules.loader import CompiledPattern, CompiledRule, load_rules
from processor.settings import BUNDLED_RULES

_FRAGMENT = 8
_NO_DEADLINE = float("inf")


def _parsable(pat: CompiledPattern) -> bool:
    try:
        re.compile(pat.pattern.pattern)
    except re.error:
        return False  # regex-package syntax hypothesis cannot read
    return True


CANDIDATES = [
    (rule, pat) for rule in load_rules(BUNDLED_RULES).rules for pat in rule.patterns
    if _parsable(pat)
]

CONTEXTS: dict[str, Callable[[str], str]] = {
    "json value": lambda m: json.dumps({"level": "info", "msg": m}),
    "json key": lambda m: json.dumps({"counters": {m: 3}, "level": "info"}),
    "logfmt": lambda m: f'level=info msg="{m}" attempt=2',
    "quoted text": lambda m: f"request failed: '{m}' (retrying)",
    "url": lambda m: f"GET /api/v1/cb?next={m}&page=2 HTTP/1.1",
    "url-encoded": lambda m: f"GET /api/v1/cb?next={quote(m, safe='')}&page=2 HTTP/1.1",
    "after a token": lambda m: f"[MASKED-EMAIL]{m}",
    "between tokens": lambda m: f"password=[MASKED-PASSWORD] {m} [MASKED-X]",
}


@st.composite
def secrets(draw: st.DrawFn) -> tuple[CompiledRule, str, str]:
    """(rule, the text one of its patterns matched, the secret part of it)."""
    rule, pat = draw(st.sampled_from(CANDIDATES))
    text = draw(st.from_regex(pat.pattern.pattern, fullmatch=True, alphabet=st.characters(
        min_codepoint=0x20, max_codepoint=0x7E)))
    m = pat.pattern.search(text)
    assume(m is not None)
    assert m is not None
    start, end = m.span(pat.group)
    assume(end - start >= _FRAGMENT)
    # a second copy (echo 0000|sudo 0000 -S) is another argument, not the secret: the
    # oracle below could not tell which copy must go
    assume(text.count(text[start:end]) == 1)
    return rule, text, text[start:end]


def _found_alone(scrubber: Scrubber, rule: CompiledRule, text: str, secret: str) -> bool:
    start = text.find(secret)
    hits = scrubber.patterns.find(text, text.lower(), _NO_DEADLINE, rules=[rule])
    return any(f.start <= start and start + len(secret) <= f.end for f in hits)


def _fragments(secret: str, text: str, template: str) -> set[str]:
    """Every 8-character run of the secret that the text around it does not hold anyway."""
    around = text.replace(secret, "\0") + "\0" + template
    runs = {secret[i : i + _FRAGMENT] for i in range(len(secret) - _FRAGMENT + 1)}
    return {r for r in runs if r not in around}


@settings(max_examples=250, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
@given(secrets(), st.sampled_from(sorted(CONTEXTS)))
def test_no_fragment_of_a_drawn_secret_survives(
    scrubber: Scrubber, drawn: tuple[CompiledRule, str, str], context: str
) -> None:
    """A secret its own rule finds alone is gone, to the last 8 characters, in any context."""
    rule, text, secret = drawn
    assume(_found_alone(scrubber, rule, text, secret))
    line = CONTEXTS[context](text)
    out = scrubber.scrub(line.encode()).output.decode()
    template = CONTEXTS[context]("")
    if context == "url-encoded":
        text, secret = quote(text, safe=""), quote(secret, safe="")
    left = [f for f in _fragments(secret, text, template) if f in out]
    assert not left, (rule.spec.id, context)


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
@given(secrets(), st.sampled_from(["x-note", "x-api-key", "authorization", "user-agent"]))
def test_no_fragment_survives_in_a_header(
    scrubber: Scrubber, drawn: tuple[CompiledRule, str, str], name: str
) -> None:
    """A header value holding a drawn secret loses every 8-character run of it."""
    rule, text, secret = drawn
    assume(_found_alone(scrubber, rule, text, secret))
    masked, _ = scrubber.scrub_field(name, text)
    assert not [f for f in _fragments(secret, text, "") if f in masked], rule.spec.id


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(
    st.one_of(st.sampled_from(["a@example.com", "b@example.com", "[MASKED-EMAIL]",
                               "4111 1111 1111 1111", "level", "msg", "id"]),
              st.text(max_size=12)),
    st.one_of(st.integers(), st.text(max_size=20), st.none()),
    max_size=8,
))
def test_json_keys_are_never_lost(scrubber: Scrubber, doc: dict[str, object]) -> None:
    """Masking keys keeps the output valid JSON with as many keys as the input."""
    line = json.dumps({"outer": doc, "n": 1})
    result = scrubber.scrub(line.encode())
    out = json.loads(result.output)
    assert len(out["outer"]) == len(doc) and out["n"] == 1
    for secret in ("a@example.com", "b@example.com", "4111 1111 1111 1111"):
        assert secret not in result.output.decode()
