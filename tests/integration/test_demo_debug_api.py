"""`make demo` also starts the indexer and the debug API, and prints their URL and token."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from debugapi_harness import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.integration
def test_demo__prints_url_and_token_that_open_timelines(tmp_path: Path) -> None:
    """The two lines appear, and the URL with the token lists runs and opens a timeline."""
    port = free_port()
    env = {**os.environ, "LOGSCRUB_WORKERS": "1", "PYTHONUNBUFFERED": "1"}
    out_path = tmp_path / "demo.out"
    with out_path.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "scripts.demo", "--duration", "40", "--rate", "20",
             "--metrics-port", str(free_port()), "--api-port", str(port)],
            cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT, env=env,
        )
    try:
        deadline = time.monotonic() + 150
        url = token = None
        while time.monotonic() < deadline and token is None:
            text = out_path.read_text(errors="replace")
            m_url = re.search(r"^Debug API: (http://127\.0\.0\.1:\d+/)$", text, re.M)
            m_tok = re.search(r"^Token: (\S+)$", text, re.M)
            if m_url and m_tok:
                url, token = m_url.group(1), m_tok.group(1)
            time.sleep(0.5)
        assert url == f"http://127.0.0.1:{port}/" and token, text[-3000:]
        runs: list[dict[str, object]] = []
        while time.monotonic() < deadline and not runs:
            req = urllib.request.Request(  # noqa: S310 - the local URL the demo printed
                url + "api/v1/workflows", headers={"Authorization": f"Bearer {token}"})
            with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 - as above
                runs = json.loads(resp.read())["runs"]
            time.sleep(1)
        assert runs, "no workflow run indexed"
        first = runs[0]
        req = urllib.request.Request(  # noqa: S310 - as above
            f"{url}api/v1/workflows/{first['workflow_id']}/runs/{first['run_id']}/timeline",
            headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 - as above
            assert json.loads(resp.read())["steps"]
        with urllib.request.urlopen(url, timeout=10) as resp:  # noqa: S310 - as above
            assert b"timeline.js" in resp.read()
        assert proc.wait(timeout=120) == 0, out_path.read_text(errors="replace")[-3000:]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
