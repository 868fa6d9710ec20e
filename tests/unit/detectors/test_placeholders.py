"""Placeholders where a secret would be are left as they are; glued values are masked."""

from __future__ import annotations

import pytest

from processor.detectors.placeholders import is_placeholder, placeholder_end


@pytest.mark.parametrize("value", ["${DB_PASSWORD}", "$PGPASS", "%s", "%(password)s",
                                   "{{ .Values.db.password }}", "<redacted>", "[FILTERED]",
                                   "********", "null", "REDACTED", "%DB_PASS%",
                                   "$(cat /run/secrets/db)", "${{ secrets.DB_PASSWORD }}",
                                   "os.getenv('DB_PASSWORD')", "process.env.DB_PASSWORD",
                                   "<%= ENV['DB_PASS'] %>", "YOUR_API_KEY", "(none)", "?"])
def test_placeholders(value: str) -> None:
    """Variables, templates, redaction marks and nulls hold no secret."""
    assert is_placeholder(value)


@pytest.mark.parametrize("value", ["$ecretP4ss", "hunter2", "****abcd", "${PREFIX}s3cret",
                                   "nullable-pass", "xXx_pass", "yourpass123", "!Passw0rd",
                                   "-secret", "true-love-42"])
def test_secrets_that_start_like_placeholders(value: str) -> None:
    """A value with more after the placeholder, or a $ and lower case, is a secret."""
    assert not is_placeholder(value)


def test_placeholder_end_drops_whole_placeholders_and_extends_glued_values() -> None:
    """A value pattern that stopped at a brace is stretched over what follows it."""
    text = "password=${DB_PASSWORD} user=x"
    assert placeholder_end(text, 9, 22) is None  # the pattern stopped before '}'
    glued = "password=${PREFIX}s3cret user=x"
    assert placeholder_end(glued, 9, 17) == len("password=${PREFIX}s3cret")
    plain = "password=hunter2 user=x"
    assert placeholder_end(plain, 9, 16) == 16
