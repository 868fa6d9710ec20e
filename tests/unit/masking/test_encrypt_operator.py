"""The encrypt operator inside the scrubber: tokens, idempotence, smuggling, bounds."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest

from processor.errors import ConfigError
from processor.keys.keyring import KeyringFile, rotate, save_keyring
from processor.keys.kms import LocalKms
from processor.keys.provider import KeyringKeys
from processor.masking.encryption import TokenCipher
from processor.pipeline import Scrubber
from processor.settings import BUNDLED_RULES, EncryptionSettings, ScrubSettings

EMAIL = "ana.lopez@example.com"
CARD = "4111 1111 1111 1111"


@pytest.fixture(scope="module")
def enc_settings(tmp_path_factory: pytest.TempPathFactory) -> EncryptionSettings:
    """A local KEK and a keyring with one active key."""
    path = tmp_path_factory.mktemp("keys") / "keyring.json"
    kek = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
    settings = EncryptionSettings(keyring_file=path, local_kek=kek, subject_field="user_id",
                                  max_encrypted_per_record=3, modes={"CREDIT_CARD": "g"})
    ring = KeyringFile(kms="local")
    rotate(ring, LocalKms(settings))
    save_keyring(path, ring)
    return settings


def _scrubber(enc: EncryptionSettings, **fields: object) -> Scrubber:
    return Scrubber.from_settings(ScrubSettings.model_validate({
        "rules_dir": BUNDLED_RULES, "ner_enabled": False, "encryption": enc,
        "operators": {"EMAIL": {"operator": "encrypt"}, "CREDIT_CARD": {"operator": "encrypt"}},
        **fields,
    }))


@pytest.fixture(scope="module")
def scrubber(enc_settings: EncryptionSettings) -> Scrubber:
    """Bundled rules; EMAIL and CREDIT_CARD encrypted."""
    return _scrubber(enc_settings)


@pytest.fixture(scope="module")
def cipher(enc_settings: EncryptionSettings) -> TokenCipher:
    """A cipher over the same keyring, to check what the scrubber wrote."""
    assert enc_settings.keyring_file is not None
    return TokenCipher(KeyringKeys(enc_settings.keyring_file, LocalKms(enc_settings)), {})


def test_json__values_become_tokens(scrubber: Scrubber, cipher: TokenCipher) -> None:
    """Email and card values come out as ENC tokens that decrypt to the originals."""
    out = json.loads(scrubber.scrub(json.dumps(
        {"msg": f"mail {EMAIL}", "card": CARD, "n": 1}).encode()).output)
    token = out["msg"].split(" ", 1)[1]
    assert token.startswith("ENC[v1:EMAIL:") and ":s:" in token
    assert out["card"].startswith("ENC[v1:CREDIT_CARD:") and ":g:" in out["card"]
    assert cipher.decrypt(token) == EMAIL
    assert cipher.decrypt(out["card"]) == CARD
    assert EMAIL not in json.dumps(out) and "1111 1111" not in json.dumps(out)


def test_idempotent(scrubber: Scrubber) -> None:
    """Scrubbing scrubbed output changes nothing: genuine tokens are left alone."""
    once = scrubber.scrub(f"login by {EMAIL} card {CARD}".encode()).output
    assert scrubber.scrub(once).output == once
    doc = scrubber.scrub(json.dumps({"email": EMAIL}).encode()).output
    assert scrubber.scrub(doc).output == doc


def test_around_token__still_scanned(scrubber: Scrubber) -> None:
    """Text glued around a genuine token is scanned like any other text."""
    token = scrubber.scrub(EMAIL.encode()).output.decode()
    out = scrubber.scrub(f"{token} bob@example.org".encode()).output.decode()
    assert out.startswith(token) and "bob@example.org" not in out


def test_forged_token__smuggled_secret_masked(scrubber: Scrubber) -> None:
    """An ENC-shaped token that does not authenticate is scanned: the secret inside goes."""
    secret = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"
    line = f"token ENC[v1:EMAIL:k1-aaaaaa:s:{secret}] end"
    out = scrubber.scrub(line.encode()).output.decode()
    assert secret not in out
    doc = json.dumps({"email": f"ENC[v1:EMAIL:k1-aaaaaa:s:{secret}]"})
    assert secret not in scrubber.scrub(doc.encode()).output.decode()


def test_over_bound__masked_not_encrypted(scrubber: Scrubber) -> None:
    """A record with more encrypted values than the bound gets mask tokens instead."""
    emails = [f"user{i}@example.com" for i in range(5)]
    out = scrubber.scrub(" ".join(emails).encode()).output.decode()
    assert "ENC[" not in out and out.count("[MASKED-EMAIL]") == 5


def test_subject__changes_token(scrubber: Scrubber) -> None:
    """The same email of two subjects gives two tokens (per-subject keys), of one subject one."""
    def tok(user: str) -> str:
        doc = json.dumps({"user_id": user, "email": EMAIL}).encode()
        return str(json.loads(scrubber.scrub(doc).output)["email"])

    assert tok("u-1") == tok("u-1") != tok("u-2")


def test_no_keyring__refuses_to_start() -> None:
    """Choosing encrypt without a keyring refuses to start."""
    with pytest.raises(ConfigError, match="keyring"):
        Scrubber.from_settings(ScrubSettings.model_validate({
            "rules_dir": BUNDLED_RULES, "ner_enabled": False,
            "operators": {"EMAIL": {"operator": "encrypt"}}}))


def test_missing_key__masks(enc_settings: EncryptionSettings, tmp_path: Path) -> None:
    """With no active key (all disabled) values are masked, never passed through."""
    path = tmp_path / "keyring.json"
    ring = KeyringFile(kms="local")
    kid = rotate(ring, LocalKms(enc_settings))
    ring.get(kid).state = "decrypt-only"
    save_keyring(path, ring)
    s = _scrubber(enc_settings.model_copy(update={"keyring_file": path}))
    assert s.scrub(EMAIL.encode()).output == b"[MASKED-EMAIL]"


def test_no_oracle__explain_masks(enc_settings: EncryptionSettings) -> None:
    """The debug API's explain masks what run would encrypt: it is no encryption oracle."""
    from processor.debugapi.server import explainer
    from processor.settings import Settings

    settings = Settings.model_validate({"scrub": {
        "rules_dir": str(BUNDLED_RULES), "ner_enabled": False,
        "encryption": enc_settings.model_dump(mode="json")
        | {"local_kek": enc_settings.local_kek.get_secret_value()
           if enc_settings.local_kek else None},
        "operators": {"EMAIL": {"operator": "encrypt"}}}})
    explain, *_rest = explainer(settings)
    masked = explain(f"mail {EMAIL}".encode())["masked"]
    assert masked == "mail [MASKED-EMAIL]"
