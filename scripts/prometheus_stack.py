"""A real Prometheus and Alertmanager (Debian's packages) for the demo and the live test.

Both run on 127.0.0.1 with free ports and a temporary directory, in process groups of
their own, and are killed on stop. History can be backfilled into Prometheus before it
starts (``promtool tsdb create-blocks-from openmetrics``), so that rules which look back
a week can be exercised without waiting a week.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_get(url: str) -> tuple[int, str]:
    """Status and body of a GET, 0 when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 - local URLs only
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""


def tools_available() -> bool:
    """True when promtool, prometheus and prometheus-alertmanager are on PATH."""
    return all(shutil.which(t) for t in ("promtool", "prometheus", "prometheus-alertmanager"))


@dataclass
class _Proc:
    proc: subprocess.Popen[bytes]
    log_path: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=20)


def _start(args: list[str], log_path: Path) -> _Proc:
    with log_path.open("wb") as log:
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip
    return _Proc(proc, log_path)


def _wait_ready(url: str, proc: _Proc, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.proc.poll() is not None:
            raise RuntimeError(f"{what} exited\n" + proc.log_path.read_text()[-3000:])
        if http_get(url)[0] == 200:
            return
        time.sleep(0.3)
    proc.stop()
    raise RuntimeError(f"{what} not ready after {timeout} s\n" + proc.log_path.read_text()[-3000:])


@dataclass
class PrometheusStack:
    """Prometheus scraping and evaluating ``rules`` every ``interval``, with Alertmanager."""

    workdir: Path
    rules: Path
    scrape_targets: dict[str, str]  # job name -> host:port
    backfill: str | None = None  # OpenMetrics text, ends with "# EOF"
    interval: str = "1s"
    prom_port: int = field(default_factory=free_port)
    am_port: int = field(default_factory=free_port)
    _procs: list[_Proc] = field(default_factory=list)

    def start(self) -> None:
        """Write the configs, backfill history, start Alertmanager then Prometheus."""
        am_dir = self.workdir / "alertmanager"
        prom_dir = self.workdir / "prometheus"
        am_dir.mkdir(parents=True, exist_ok=True)
        (prom_dir / "data").mkdir(parents=True, exist_ok=True)
        am_conf = {"route": {"receiver": "null", "group_wait": "1s", "group_interval": "1s"},
                   "receivers": [{"name": "null"}]}
        (am_dir / "alertmanager.yml").write_text(yaml.safe_dump(am_conf))
        prom_conf = {
            "global": {"scrape_interval": self.interval, "evaluation_interval": self.interval},
            "rule_files": [str(self.rules)],
            "alerting": {"alertmanagers": [
                {"static_configs": [{"targets": [f"127.0.0.1:{self.am_port}"]}]}]},
            "scrape_configs": [
                {"job_name": job, "static_configs": [{"targets": [target]}]}
                for job, target in self.scrape_targets.items()
            ],
        }
        (prom_dir / "prometheus.yml").write_text(yaml.safe_dump(prom_conf))
        if self.backfill:
            source = prom_dir / "backfill.om"
            source.write_text(self.backfill)
            subprocess.run(
                ["promtool", "tsdb", "create-blocks-from", "openmetrics", str(source),
                 str(prom_dir / "data")],
                check=True, capture_output=True, timeout=120,
            )  # fmt: skip
        am = _start([
            "prometheus-alertmanager",
            f"--config.file={am_dir / 'alertmanager.yml'}",
            f"--storage.path={am_dir / 'data'}",
            f"--web.listen-address=127.0.0.1:{self.am_port}",
            "--cluster.listen-address=",  # no gossip port: nothing to collide with
        ], am_dir / "alertmanager.log")  # fmt: skip
        self._procs.append(am)
        _wait_ready(f"http://127.0.0.1:{self.am_port}/-/ready", am, "alertmanager")
        prom = _start([
            "prometheus",
            f"--config.file={prom_dir / 'prometheus.yml'}",
            f"--storage.tsdb.path={prom_dir / 'data'}",
            f"--web.listen-address=127.0.0.1:{self.prom_port}",
        ], prom_dir / "prometheus.log")  # fmt: skip
        self._procs.append(prom)
        _wait_ready(f"http://127.0.0.1:{self.prom_port}/-/ready", prom, "prometheus")

    def query(self, expr: str) -> list[dict[str, Any]]:
        """The instant-query result of ``expr`` (empty when Prometheus does not answer)."""
        q = urllib.parse.urlencode({"query": expr})
        status, body = http_get(f"http://127.0.0.1:{self.prom_port}/api/v1/query?{q}")
        return list(json.loads(body)["data"]["result"]) if status == 200 else []

    def am_alerts(self) -> list[dict[str, Any]]:
        """The active alerts Alertmanager has received (its v2 API)."""
        status, body = http_get(f"http://127.0.0.1:{self.am_port}/api/v2/alerts")
        return list(json.loads(body)) if status == 200 else []

    def logs(self) -> str:
        """The tail of both servers' logs, for failure messages."""
        return "\n".join(p.log_path.read_text(errors="replace")[-2000:] for p in self._procs)

    def pids(self) -> list[int]:
        """Process ids of the running servers."""
        return [p.proc.pid for p in self._procs]

    def stop(self) -> None:
        """SIGTERM both process groups (SIGKILL after 20 s) and wait for them."""
        for p in reversed(self._procs):
            p.stop()
