"""The timeline page in a real headless Chromium (Debian's chromium and chromium-driver)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from debugapi_harness import TOKENS, indexed, start_api

pytestmark = pytest.mark.integration
__all__ = ["indexed"]  # the shared fixture, imported so pytest finds it

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def _wait_for(driver, css, count, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = driver.find_elements("css selector", css)
        if len(found) >= count:
            return found
        time.sleep(0.2)
    raise AssertionError(f"{css}: fewer than {count} after {timeout} s; "
                         f"message: {driver.find_element('id', 'message').text!r}")


def test_timeline_page__bars_and_masked_drilldown(indexed, tmp_path):
    """The page shows a run's steps as bars; clicking one lists its masked records."""
    if not (shutil.which(CHROMIUM) and shutil.which(DRIVER)):
        pytest.fail("chromium and chromium-driver are missing: run `make browser`")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    _topics, config, _audit, secrets, port = indexed
    api = start_api(config, port, tmp_path / "api.log")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,900", "--no-first-run", "--disable-extensions"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        driver.get(f"{api.base}/#token={TOKENS['alice'][0]}&run=charge-100/run-1")
        bars = _wait_for(driver, "#timeline .bar", 3)
        assert [b.get_attribute("class") for b in bars] == [
            "bar status-completed", "bar status-failed", "bar status-completed"]
        assert "#token" not in driver.current_url  # the token left the address bar
        driver.find_element("id", "ticket").send_keys("INC-1")
        bars[1].click()
        records = _wait_for(driver, "#records li", 4)
        text = " ".join(r.text for r in records)
        assert "[MASKED-CREDIT_CARD" in text or "[MASKED-" in text
        page = driver.page_source.encode()
        assert not any(s in page for s in secrets)
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "debug-api-timeline.png"))
    finally:
        driver.quit()
        api.stop()
