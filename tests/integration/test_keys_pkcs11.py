"""The PKCS#11 KMS against a real SoftHSM2 token: the KEK never leaves the HSM."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from softhsm import PIN, SoftHsm

from processor.errors import KeyringError
from processor.keys.keyring import KeyringFile, dek_aad, rotate, save_keyring
from processor.keys.pkcs11_kms import Pkcs11Kms
from processor.keys.provider import KeyringKeys
from processor.keys.reveal import Revealer
from processor.settings import Pkcs11Settings

pytestmark = pytest.mark.integration
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def hsm(tmp_path_factory: pytest.TempPathFactory) -> SoftHsm:
    """One SoftHSM2 configuration for the session."""
    return SoftHsm(tmp_path_factory.mktemp("softhsm"))


@pytest.fixture
def kms_factory(hsm: SoftHsm) -> Callable[..., Pkcs11Kms]:
    """A Pkcs11Kms on a fresh token (or on ``token`` with ``pin``)."""

    def make(token: str | None = None, pin: str = PIN) -> Pkcs11Kms:
        return Pkcs11Kms(Pkcs11Settings(library=hsm.library, token_label=token or hsm.new_token(),
                                        pin=pin))

    return make


def test_create_kek__sensitive_and_not_extractable(kms_factory: Callable[..., Pkcs11Kms]
                                                   ) -> None:
    """The KEK is generated inside the token, sensitive and never extractable."""
    import pkcs11
    from pkcs11 import Attribute, KeyType, ObjectClass

    kms = kms_factory()
    assert "generated inside" in kms.create_kek()
    with pytest.raises(KeyringError, match="never replaced"):
        kms.create_kek()
    with kms._session() as session:
        key = session.get_key(object_class=ObjectClass.SECRET_KEY, key_type=KeyType.AES,
                              label="logscrub-kek")
        assert key[Attribute.SENSITIVE] is True
        assert key[Attribute.EXTRACTABLE] is False
        with pytest.raises(pkcs11.exceptions.PKCS11Error):
            key[Attribute.VALUE]


def test_wrap_unwrap__bound_to_kid(kms_factory: Callable[..., Pkcs11Kms]) -> None:
    """A DEK wrapped in the HSM unwraps only with the same kid and the same KEK."""
    kms = kms_factory()
    kms.create_kek()
    dek = os.urandom(64)
    wrapped = kms.wrap(dek, dek_aad("k1-aaaaaa"))
    assert dek not in wrapped
    assert kms.unwrap(wrapped, dek_aad("k1-aaaaaa")) == dek
    with pytest.raises(KeyringError):
        kms.unwrap(wrapped, dek_aad("k2-bbbbbb"))
    other = kms_factory()
    other.create_kek()
    with pytest.raises(KeyringError):
        other.unwrap(wrapped, dek_aad("k1-aaaaaa"))


def test_wrong_pin__refused(kms_factory: Callable[..., Pkcs11Kms], hsm: SoftHsm) -> None:
    """A wrong PIN opens nothing."""
    token = hsm.new_token()
    with pytest.raises(KeyringError, match="cannot open"):
        kms_factory(token, pin="0000-wrong").wrap(b"x" * 64, b"aad")


def test_keyring__round_trip_through_hsm(kms_factory: Callable[..., Pkcs11Kms],
                                         tmp_path: Path) -> None:
    """A keyring wrapped by the HSM KEK serves the cipher; the file alone is useless."""
    kms = kms_factory()
    kms.create_kek()
    path = tmp_path / "keyring.json"
    ring = KeyringFile(kms="pkcs11")
    rotate(ring, kms)
    save_keyring(path, ring)
    keys = KeyringKeys(path, kms)
    from processor.masking.encryption import TokenCipher

    token = TokenCipher(keys, {}).encrypt("EMAIL", "ana@example.com")
    assert token is not None
    assert Revealer(keys).reveal(token).value == "ana@example.com"
    stranger = kms_factory()
    stranger.create_kek()
    with pytest.raises(KeyringError):
        KeyringKeys(path, stranger)


def test_cli__keys_and_scrub_with_pkcs11(hsm: SoftHsm, tmp_path: Path) -> None:
    """`keys create-kek`, `keys rotate` and `scrub` with encrypt all run on the HSM."""
    token = hsm.new_token()
    config = tmp_path / "logscrub.yaml"
    keyring = tmp_path / "keyring.json"
    config.write_text(yaml.safe_dump({"scrub": {
        "ner_enabled": False,
        "operators": {"EMAIL": {"operator": "encrypt"}},
        "encryption": {"keyring_file": str(keyring), "kms": "pkcs11",
                       "pkcs11": {"library": str(hsm.library), "token_label": token}},
    }}))
    env = {**os.environ, "SOFTHSM2_CONF": str(hsm.conf),
           "LOGSCRUB_SCRUB__ENCRYPTION__PKCS11__PIN": PIN}

    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "processor.cli", "--config", str(config),
                               *args], input=stdin, capture_output=True, text=True, env=env,
                              cwd=REPO_ROOT, timeout=120, check=False)

    assert cli("keys", "create-kek").returncode == 0
    assert cli("keys", "rotate").returncode == 0
    listed = cli("keys", "list")
    assert listed.returncode == 0 and "active" in listed.stdout
    out = cli("scrub", stdin=json.dumps({"email": "ana@example.com"}) + "\n")
    assert out.returncode == 0, out.stderr
    value = json.loads(out.stdout)["email"]
    assert value.startswith("ENC[v1:EMAIL:") and "ana@" not in out.stdout + out.stderr
    kms = Pkcs11Kms(Pkcs11Settings(library=hsm.library, token_label=token, pin=PIN))
    assert Revealer(KeyringKeys(keyring, kms)).reveal(value).value == "ana@example.com"
    assert PIN not in json.dumps(cli("config", "check").stdout)
