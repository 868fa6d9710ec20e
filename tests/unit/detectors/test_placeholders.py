"""Placeholders where a credential would be are left as they are; anything that could be
the secret itself is masked, including a value glued to a placeholder."""

from __future__ import annotations

import pytest

from processor.detectors.placeholders import is_placeholder, placeholder_end, takes_placeholders


@pytest.mark.parametrize("value", [
    "${DB_PASSWORD}", "${db.password}", "$PGPASS", "$DB_TOKEN", "%s", "%(password)s",
    "{{ .Values.db.password }}", "{{ vault_db_password }}", "${{ secrets.DB_PASSWORD }}",
    "<redacted>", "<your-token>", "[FILTERED]", "********", "null", "REDACTED", "%DB_PASS%",
    "os.getenv('DB_PASSWORD')", "process.env.DB_PASSWORD", "YOUR_API_KEY", "(none)", "?",
])
def test_placeholders(value: str) -> None:
    """Variables, templates, redaction marks and nulls hold no secret."""
    assert is_placeholder(value)


@pytest.mark.parametrize("value", [
    # could be the secret itself, or holds it
    "$ecretP4ss", "hunter2", "****abcd", "${PREFIX}s3cret", "nullable-pass", "xXx_pass",
    "yourpass123", "!Passw0rd", "-secret", "true-love-42", "<S3cr3t>", "${Hunter2!}",
    "${Hunter2}", "${DB_PASSWORD:-Sup3rS3cret!}", "$(echo Hunter2)", "<%= s3cret %>",
    "{{s3cret}}", "{{ 'Hunter2' }}", "${{ Hunter2 }}", "#{Hunter2}", "env.Hunter2",
    "env(Hunter2)", "%HUNTER2%", "$HUNTER2XK9", "$UPERSECRET1", "<CorrectHorse>",
    "<qwertyuiopasdfghjklzxcvbnm>", "YOUR_K3Y_8F7A6B5C4D3E2F1A",
])
def test_values_that_may_be_secrets(value: str) -> None:
    """Defaults, commands, code, lower-case or digit-bearing bodies are no placeholder."""
    assert not is_placeholder(value)


def test_only_credentials_and_numbers_take_placeholders() -> None:
    """A name, address or email is masked whatever it looks like ("Null" is a family name)."""
    assert takes_placeholders("PASSWORD") and takes_placeholders("GITHUB_TOKEN")
    assert takes_placeholders("AWS_SECRET_ACCESS_KEY")
    assert takes_placeholders("PHONE_NUMBER") and takes_placeholders("CREDIT_CARD")
    for entity in ("PERSON", "EMAIL", "STREET_ADDRESS"):
        assert not takes_placeholders(entity)


def test_placeholder_end_drops_whole_placeholders_and_extends_glued_values() -> None:
    """A value pattern that stopped at a brace is stretched over what follows it."""
    text = "password=${DB_PASSWORD} user=x"
    assert placeholder_end(text, 9, 22) is None  # the pattern stopped before '}'
    glued = "password=${PREFIX}s3cret user=x"
    assert placeholder_end(glued, 9, 17) == len("password=${PREFIX}s3cret")
    plain = "password=hunter2 user=x"
    assert placeholder_end(plain, 9, 16) == 16
    url = "https://user:****@example.com/path"
    assert placeholder_end(url, 13, 17) is None  # the URL goes on after the '@'
