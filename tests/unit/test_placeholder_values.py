"""The bundled rules on placeholders: ${DB_PASSWORD} stays, anything that may hold a
secret is masked whole, and personal data is masked whatever it looks like."""

from __future__ import annotations

from pathlib import Path

import pytest

from processor.pipeline import Scrubber
from processor.rules.loader import load_rules
from processor.settings import ScrubSettings

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"


@pytest.fixture(scope="module")
def scrubber() -> Scrubber:
    """The bundled rules, NER off."""
    return Scrubber(load_rules(RULES_DIR), ScrubSettings(ner_enabled=False))


def _out(scrubber: Scrubber, line: str) -> str:
    return scrubber.scrub_many([line.encode()])[0].output.decode()


@pytest.mark.parametrize("line", [
    "password=${DB_PASSWORD} user=x",
    '{"password": "${DB_PASSWORD}", "token": "<redacted>"}',
    "PGPASSWORD=$PGPASS psql -h db",
    "Authorization: Bearer <token>",
    "password: ********",
    'msg="login ok password=***REMOVED*** user=bob"',  # a pair inside a message
    "db_password = (sensitive value)",  # Terraform's plan output
    "password=(redacted) user=bob",
    # a number's key over a value with too few digits to be one
    '{"phone": "N/A", "mobile": 1, "card_number": "unknown"}',
    "tel=none fax=n/a",
    "INSERT INTO contacts (id, phone, mobile) VALUES (7, 'tbd', 0);",
    "UPDATE users SET password = $1 WHERE id = $2",  # a bind parameter is no password
])
def test_placeholders_are_kept(scrubber: Scrubber, line: str) -> None:
    """A variable or a redaction mark is what the on-call engineer needs to see."""
    assert _out(scrubber, line) == line


@pytest.mark.parametrize(("line", "secret"), [
    ("password=${DB_PASSWORD:-Sup3rS3cret!}", "Sup3rS3cret"),
    ("password=${PREFIX}s3cret", "s3cret"),
    ("export PGPASSWORD=$(echo Hunter2)", "Hunter2"),
    ("password=<% Hunter2 %>", "Hunter2"),
    ("client_secret=${{ Hunter2 }}", "Hunter2"),
    ('{"password":"{{ \'Hunter2\' }}"}', "Hunter2"),
    ("password=$HUNTER2XK9", "HUNTER2XK9"),
    ("password=<CorrectHorse>", "CorrectHorse"),
    ("api_key=YOUR_K3Y_8F7A6B5C4D3E2F1A", "8F7A6B5C4D3E2F1A"),
    ('{"card_number":"${4111111111111111}"}', "411111111111"),
    ('{"email":"${john.doe@example.com}"}', "john.doe"),
    ('{"last_name":"Null"}', "Null"),
    ("postgres://admin:${PW:-Hunter2}@db:5432/app", "Hunter2"),
    ('{"cvv": "123", "phone": "112"}', "123"),  # three digits can be a CVV or a number
    ('{"cvv": "123", "phone": "112"}', "112"),
])
def test_what_may_hold_a_secret_is_masked(scrubber: Scrubber, line: str, secret: str) -> None:
    """Defaults, commands, templates with text, and personal data are masked whole."""
    assert secret not in _out(scrubber, line)


def test_a_url_after_a_redacted_password_stays(scrubber: Scrubber) -> None:
    """A client's own redaction inside a URL leaves the host and path readable."""
    line = "GET https://user:****@example.com/path?x=1"
    assert _out(scrubber, line).endswith("@example.com/path?x=1")
