"""Password keys that the shipped field names cover, beyond password, passwd and pass."""

from __future__ import annotations

import json

import pytest

from processor.pipeline import Scrubber


@pytest.mark.parametrize(
    "key", ["DB_PASS", "rootPass", "ansible_become_pass", "smtp-pass", "keyStorePass",
            "srcstorepass", "KEYPASS", "ROOT_PW", "passwort", "mot_de_passe", "contraseña",
            "senha", "wachtwoord", "lösenord", "hasło", "пароль", "パスワード", "密码", "비밀번호"],
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


@pytest.mark.parametrize(
    "line",
    [
        '<add key="DbPassword" value="Hunt3r2!x" />',  # .NET app.config
        '<property name="password" value="Hunt3r2!x"/>',  # Spring XML
        '<entry key="password">Hunt3r2!x</entry>',
        '<password value="Hunt3r2!x"/>',
        'user.setPassword("Hunt3r2!x")',
        "client.with_password('Hunt3r2!x')",
    ],
)
def test_xml_attributes_and_setters_mask_their_values(scrubber: Scrubber, line: str) -> None:
    assert "Hunt3r2!x" not in scrubber.scrub(line.encode()).output.decode()


@pytest.mark.parametrize(
    "line",
    [
        '<add key="Timeout" value="30" />',
        '<property name="url" value="jdbc:h2:mem"/>',
        'setTimeout("30")',
    ],
)
def test_xml_attributes_and_setters_of_other_names_stay(scrubber: Scrubber, line: str) -> None:
    assert scrubber.scrub(line.encode()).output.decode() == line
