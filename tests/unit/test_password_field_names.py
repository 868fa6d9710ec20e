"""Password keys that the shipped field names cover, beyond password, passwd and pass."""

from __future__ import annotations

import json

import pytest

from processor.pipeline import Scrubber


@pytest.mark.parametrize(
    "key", ["DB_PASS", "rootPass", "ansible_become_pass", "smtp-pass", "keyStorePass",
            "srcstorepass", "KEYPASS"],
)
def test_password_keys_mask_their_values(scrubber: Scrubber, key: str) -> None:
    out = json.loads(scrubber.scrub(json.dumps({key: "Hunt3r2!x", "n": 1}).encode()).output)
    assert out == {key: "[MASKED-PASSWORD]", "n": 1}
    text = scrubber.scrub(f'{key}="Hunt3r2!x" n=1'.encode()).output.decode()
    assert "Hunt3r2!x" not in text


@pytest.mark.parametrize("key", ["bypass", "compass", "passes", "onepass_enabled"])
def test_words_ending_in_pass_stay(scrubber: Scrubber, key: str) -> None:
    line = json.dumps({key: "yes"})
    assert scrubber.scrub(line.encode()).output.decode() == line
