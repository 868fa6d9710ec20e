"""The Reveal button in a real headless Chromium: shown only to those who may reveal."""

from __future__ import annotations

import base64
import json
import os
import shutil
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from debugapi_harness import TOKENS, free_port, start_api, write_settings
from kafka_broker import create_topic

from processor.index.mapping import IndexEntry
from processor.index.sqlite_store import SqliteStore
from processor.keys.keyring import KeyringFile, rotate, save_keyring
from processor.keys.kms import LocalKms
from processor.keys.provider import KeyringKeys
from processor.masking.encryption import TokenCipher
from processor.settings import EncryptionSettings

pytestmark = pytest.mark.integration

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
CARD = "4111 1111 1111 1111"


def _wait(driver, css: str, timeout: float = 30.0, present: bool = True):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = driver.find_elements("css selector", css)
        if bool(found) == present:
            return found
        time.sleep(0.2)
    raise AssertionError(f"{css}: present={not present} after {timeout} s; "
                         f"message: {driver.find_element('id', 'message').text!r}")


def _click(driver, css: str, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    """Click the first match, again if the page re-rendered it meanwhile."""
    from selenium.common.exceptions import StaleElementReferenceException

    deadline = time.monotonic() + timeout
    while True:
        try:
            _wait(driver, css, timeout)[0].click()
            return
        except StaleElementReferenceException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_reveal_button__only_when_permitted(bootstrap: str, tmp_path: Path) -> None:
    """alice (role, grant, ticket) gets a Reveal button that shows the card; dana, who may
    read the records but not reveal, gets none."""
    if not (shutil.which(CHROMIUM) and shutil.which(DRIVER)):
        pytest.fail("chromium and chromium-driver are missing: run `make browser`")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    kek = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
    enc = EncryptionSettings(keyring_file=tmp_path / "keyring.json", local_kek=kek)
    ring = KeyringFile(kms="local")
    rotate(ring, LocalKms(enc))
    save_keyring(tmp_path / "keyring.json", ring)
    token = TokenCipher(KeyringKeys(tmp_path / "keyring.json", LocalKms(enc)), {}).encrypt(
        "CREDIT_CARD", CARD)
    db = tmp_path / "index.db"
    store = SqliteStore(db)
    t0 = int((datetime.now(UTC) - timedelta(minutes=30)).timestamp() * 1000)
    rows = [IndexEntry("charge-9", "r1", "charge", 1, event, t0 + i * 100, None, "payments",
                       "payments", "Charge", "", f"raw/0/{i}", "c", 0, i,
                       json.dumps({"step": "charge", "event": event, "msg": f"card {token}"}))
            for i, event in enumerate(("started", "failed"))]
    store.write_batch("c", rows, {0: 2})
    store.close()
    grants = tmp_path / "grants.yaml"
    expires = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    grants.write_text(yaml.safe_dump({"grants": [
        {"id": "g", "actor": "alice", "actions": ["Reveal"], "ticket": "INC-42",
         "scope": {"service": "payments"}, "expires_at": expires},
        {"id": "d", "actor": "dana", "actions": ["ViewTimeline", "ViewRecords"],
         "ticket": "INC-42", "scope": {"service": "payments"}, "expires_at": expires},
    ]}))
    audit = f"it-audit-{uuid.uuid4().hex[:8]}"
    create_topic(bootstrap, audit, 1)
    port = free_port()
    config = write_settings(tmp_path / "settings.yaml", bootstrap, "unused-clean", db,
                            audit_topic=audit, port=port, grants_file=grants)
    data = yaml.safe_load(config.read_text())
    data["scrub"]["encryption"] = enc.model_dump(mode="json") | {"local_kek": kek}
    config.write_text(yaml.safe_dump(data))
    api = start_api(config, port, tmp_path / "api.log")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,900", "--no-first-run", "--disable-extensions"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        for who, may in (("dana", False), ("alice", True)):
            driver.get("about:blank")  # a fresh page load for each user
            driver.get(f"{api.base}/#token={TOKENS[who][0]}")
            driver.find_element("id", "ticket").send_keys("INC-42")
            driver.find_element("id", "justification").send_keys("declined card")
            driver.find_element("id", "refresh").click()  # reload with the ticket
            _click(driver, "#runs li")
            _click(driver, "#timeline .bar")
            _wait(driver, "#records span.enc")
            if not may:
                _wait(driver, '#records[data-reveal-checked="1"]')  # the probe answered
                assert driver.find_elements("css selector", "button.reveal") == []
                continue
            _click(driver, "button.reveal")
            revealed = _wait(driver, "span.enc.revealed")[0]
            assert revealed.text == CARD
            spans = driver.find_elements("css selector", "span.enc")
            assert [s.text for s in spans] == [CARD, CARD]  # the same SIV token, both shown
            assert driver.find_elements("css selector", "button.reveal") == []
            ARTIFACTS.mkdir(exist_ok=True)
            driver.save_screenshot(str(ARTIFACTS / "debug-api-reveal.png"))
    finally:
        driver.quit()
        api.stop()
    assert CARD not in api.log()
