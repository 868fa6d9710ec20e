"""The access-monitor part of ``make demo``.

Starts ``logscrub monitor`` on the audit topic, and a local Prometheus and Alertmanager
(Debian's packages, when installed) that scrape the processor and the monitor with the
project's rules. With ``LOGSCRUB_DEMO_ATTACK=1`` one actor sends a burst of denied
requests: the monitor emits a burst event on ``logscrub.debug.alerts`` (printed as
``[ALERT]``) and ``LogscrubDebugAccessDeniedBurst`` fires about a minute later.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from confluent_kafka import KafkaException, Message, Producer
from confluent_kafka.admin import AdminClient, NewTopic

from scripts.access_events import access_message
from scripts.prometheus_stack import PrometheusStack, tools_available

ROOT = Path(__file__).resolve().parents[1]
ACCESS, ALERTS = "logscrub.debug.access", "logscrub.debug.alerts"
PROMETHEUS_PORT, ALERTMANAGER_PORT, MONITOR_PORT = 19090, 19093, 9401
#: One attacker name per run: windows are per actor, so a rerun within the window
#: crosses its own threshold again instead of adding to the previous run's count.
ATTACKER = f"mallory+{os.getpid()}@example.com"


def create_topics(bootstrap: str) -> None:
    """Create the audit and alerts topics (one partition each) when missing."""
    admin = AdminClient({"bootstrap.servers": bootstrap})
    for topic, future in admin.create_topics([NewTopic(ACCESS, 1, 1),
                                              NewTopic(ALERTS, 1, 1)]).items():
        try:
            future.result(30)
        except KafkaException as exc:
            if "TOPIC_ALREADY_EXISTS" not in str(exc):
                raise
        print(f"topic ready: {topic}")


def child_env() -> dict[str, str]:
    """The environment for logscrub itself: without the demo's own LOGSCRUB_DEMO_* switches
    (the settings object refuses unknown keys)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("LOGSCRUB_DEMO_")}


def start_monitor(bootstrap: str, port: int = MONITOR_PORT) -> subprocess.Popen[bytes]:
    """``logscrub monitor`` on the demo's audit topic, /metrics on ``port``."""
    return subprocess.Popen(
        [sys.executable, "-m", "processor.cli", "monitor", "--bootstrap-servers", bootstrap,
         "--access-topic", ACCESS, "--alerts-topic", ALERTS, "--metrics-port", str(port)],
        cwd=ROOT, env={**child_env(), "LOGSCRUB_LOG_LEVEL": "WARNING"},  # faust is chatty
    )  # fmt: skip


def start_prometheus(processor_port: int, monitor_port: int) -> PrometheusStack | None:
    """Prometheus (5 s scrape and evaluation) and Alertmanager, or None when not installed."""
    if not tools_available():
        print("Prometheus: not installed (make install adds Debian's prometheus packages)")
        return None
    stack = PrometheusStack(
        Path(tempfile.mkdtemp(prefix="logscrub-demo-prometheus-")),
        ROOT / "alerts" / "logscrub.rules.yml",
        {"logscrub": f"127.0.0.1:{processor_port}",
         "logscrub-monitor": f"127.0.0.1:{monitor_port}"},
        interval="5s", prom_port=PROMETHEUS_PORT, am_port=ALERTMANAGER_PORT,
    )  # fmt: skip
    try:
        stack.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        reason = str(exc).splitlines()[-1][:200] if str(exc) else type(exc).__name__
        print(f"Prometheus: could not start ({reason}); the demo goes on without it")
        stack.stop()
        return None
    print(f"Prometheus: http://127.0.0.1:{stack.prom_port}/alerts")
    print(f"Alertmanager: http://127.0.0.1:{stack.am_port}/#/alerts")
    return stack


def attack(bootstrap: str, debug_api_url: str | None = None, count: int = 8) -> None:
    """One actor's burst of denied requests.

    Sent to the debug API with a token it refuses when ``debug_api_url`` is given (the
    API audits each refusal); otherwise written straight to the audit topic in the
    debug API's event format.
    """
    if debug_api_url:
        url = f"{debug_api_url.rstrip('/')}/api/v1/records"
        for _ in range(count):
            req = urllib.request.Request(  # noqa: S310 - the demo's own local URL
                url, headers={"Authorization": "Bearer not-a-valid-token"})
            # A refusal (401/403) is the point: it is what the API audits as denied.
            with contextlib.suppress(urllib.error.URLError, OSError):
                urllib.request.urlopen(req, timeout=5).close()  # noqa: S310
        print(f"attack: {count} refused requests sent to the debug API")
        return
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
    for _ in range(count):
        key, value, headers = access_message(ATTACKER, decision="deny", operation="ViewRecords",
                                             groups=("support",))
        producer.produce(ACCESS, key=key, value=value, headers=headers)
    producer.flush(30)
    print(f"attack: {count} denied requests by {ATTACKER} written to {ACCESS}")


def describe_burst(msg: Message) -> str:
    """One line for a burst event read from the alerts topic."""
    try:
        data = json.loads(msg.value() or b"{}")
        return (f"[ALERT] burst {data['kind']} by {data['actor']}: {data['count']} "
                f"(threshold {data['threshold']}) in window {data['window']['start']}")
    except (ValueError, KeyError, TypeError):
        return "[ALERT] burst event (unreadable)"
