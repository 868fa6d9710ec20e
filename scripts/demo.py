"""The main job in one command: broker, topics, processor, a stream full of secrets.

``make demo`` runs this. It starts the local broker unless KAFKA_BOOTSTRAP_SERVERS is
set, creates the topics, starts ``logscrub run`` with the bundled rules, feeds it
realistic workflow and application logs, and prints the clean records and the hit
counts as they arrive. It also starts ``logscrub index`` and ``logscrub debug-api``
(local-dev mode with a fresh random token) and prints their URL and token, and the access
monitor and, when installed, a local Prometheus and Alertmanager
(``scripts/demo_monitor.py``); ``LOGSCRUB_DEMO_ATTACK=1`` drives a burst of denied debug
requests. Ctrl-C (or ``--duration``) stops everything cleanly.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from confluent_kafka import Consumer, KafkaException, Producer
from confluent_kafka.admin import AdminClient, NewTopic

from bench.corpus import generate
from scripts import demo_monitor

ROOT = Path(__file__).resolve().parents[1]
RAW, CLEAN, QUARANTINE = "demo.logs.raw", "demo.logs.clean", "demo.logs.quarantine"
AUDIT = "logscrub.debug.access"
SERVICES = ("checkout", "auth", "argo-workflows", "airflow", "billing", "api-gateway")


def _bootstrap() -> str:
    configured = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if configured:
        return configured
    env = {**os.environ, "PYTHON": sys.executable}
    subprocess.run(["bash", str(ROOT / "scripts/kafka/kafka.sh"), "up"], check=True, env=env)
    return f"127.0.0.1:{os.environ.get('KAFKA_PORT', '9092')}"


def _create_topics(bootstrap: str) -> None:
    admin = AdminClient({"bootstrap.servers": bootstrap})
    wanted = [NewTopic(RAW, 4, 1), NewTopic(CLEAN, 4, 1), NewTopic(QUARANTINE, 1, 1),
              NewTopic(AUDIT, 1, 1)]
    for topic, future in admin.create_topics(wanted).items():
        try:
            future.result(30)
        except KafkaException as exc:
            if "TOPIC_ALREADY_EXISTS" not in str(exc):
                raise
        print(f"topic ready: {topic}")


def _feed(bootstrap: str, rate: float, stop: threading.Event) -> None:
    """Produce corpus lines, keyed by service, plus an occasional undecodable record."""
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 20})
    rng = random.Random(4)
    seed = 100
    while not stop.is_set():
        for record in generate(200, seed=seed):
            if stop.is_set():
                break
            producer.produce(RAW, record.line.encode(), key=rng.choice(SERVICES).encode())
            if rng.random() < 0.01:
                producer.produce(RAW, b"\xff\xfe binary garbage \x00", key=b"legacy-agent")
            producer.poll(0)
            time.sleep(1.0 / rate)
        seed += 1
    producer.flush(10)


_FLOWS = (
    ("payments", "ChargeWorkflow", ("validate", "reserve", "charge", "receipt")),
    ("shipping", "ShipWorkflow", ("pick", "pack", "label", "handover")),
    ("billing", "InvoiceWorkflow", ("collect", "render", "send")),
)


def _workflow_events(rng: random.Random, n: int) -> list[tuple[float, dict[str, object]]]:
    """One workflow run as (delay, record) pairs: steps, a retry now and then, secrets."""
    service, wtype, steps = rng.choice(_FLOWS)
    base = {"workflow_id": f"{wtype.lower()[:-8]}-{1000 + n}", "run_id": f"run-{n:04d}",
            "service": service, "workflow_type": wtype}
    email = f"customer{n}@example.com"
    out: list[tuple[float, dict[str, object]]] = [
        (0.0, {**base, "event": "started", "msg": f"workflow started for {email}"})]
    failed = False
    for step in steps:
        attempts = 2 if rng.random() < 0.25 else 1
        for attempt in range(1, attempts + 1):
            out.append((rng.uniform(0.05, 0.3), {**base, "step": step, "attempt": attempt,
                                                 "event": "started"}))
            last = attempt == attempts
            outcome = "completed" if last else "failed"
            if last and rng.random() < 0.08:
                outcome, failed = "failed", True
            detail = ("card 4111 1111 1111 1111 declined" if outcome == "failed"
                      else f"notified {email}")
            out.append((rng.uniform(0.1, 0.8), {**base, "step": step, "attempt": attempt,
                                                "event": outcome, "msg": detail}))
            if failed:
                break
        if failed:
            break
    out.append((0.05, {**base, "event": "failed" if failed else "completed",
                       "msg": "workflow finished"}))
    return out


def _feed_workflows(bootstrap: str, stop: threading.Event) -> None:
    """Workflow runs for the debug API's timelines, a few running at a time."""
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 20})
    rng = random.Random(7)
    n = 0
    while not stop.is_set():
        for delay, record in _workflow_events(rng, n):
            if stop.wait(delay):
                break
            record["ts"] = datetime.now(UTC).isoformat()
            producer.produce(RAW, json.dumps(record).encode(), key=str(record["run_id"]).encode())
            producer.poll(0)
        n += 1
    producer.flush(10)


def _start_debug_api(
    bootstrap: str, port: int, workdir: Path
) -> tuple[list[subprocess.Popen[bytes]], str]:
    """Start ``logscrub index`` and ``logscrub debug-api`` (local-dev); return them, the token."""
    token = secrets.token_urlsafe(24)
    config = workdir / "debug-api.yaml"
    config.write_text(json.dumps({
        "scrub": {"ner_enabled": False},
        "kafka": {"bootstrap_servers": bootstrap, "output": CLEAN, "inputs": [RAW],
                  "group_id": "logscrub-demo"},
        "index": {"sqlite_path": str(workdir / "index.db"), "group_id": "logscrub-demo-index"},
        "debug_api": {"port": port, "audit_topic": AUDIT, "auth": {
            "mode": "local-dev",
            "static_tokens": [{"token": token, "sub": "demo-user",
                               "groups": ["platform", "security"]}]}},
    }))
    procs = [
        subprocess.Popen([sys.executable, "-m", "processor.cli", "--config", str(config), cmd],
                         cwd=ROOT, env={k: v for k, v in os.environ.items()
                                        if not k.startswith("LOGSCRUB_")})
        for cmd in ("index", "debug-api")
    ]
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            url = f"http://127.0.0.1:{port}/api/v1/openapi.json"
            with urllib.request.urlopen(url, timeout=2):
                break
        except (OSError, urllib.error.URLError):
            if any(p.poll() is not None for p in procs):
                break
            time.sleep(0.5)
    return procs, token


def _hit_rates(port: int) -> str:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as resp:
            text = resp.read().decode()
    except OSError:
        return "(metrics not up yet)"
    totals: Counter[str] = Counter()
    for line in text.splitlines():
        if line.startswith("logscrub_findings_total{"):
            entity = line.split('entity="', 1)[1].split('"', 1)[0]
            totals[entity] += int(float(line.rsplit(" ", 1)[1]))
    return ", ".join(f"{e}={n}" for e, n in totals.most_common(8)) or "(no findings yet)"


def main(argv: list[str] | None = None) -> int:
    """Run the demo until Ctrl-C or --duration seconds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=0, help="stop after N s (0: never)")
    parser.add_argument("--rate", type=float, default=50, help="records per second to feed")
    parser.add_argument("--metrics-port", type=int, default=9400)
    parser.add_argument("--api-port", type=int, default=8080, help="debug API port")
    parser.add_argument("--monitor-port", type=int, default=demo_monitor.MONITOR_PORT)
    args = parser.parse_args(argv)

    bootstrap = _bootstrap()
    _create_topics(bootstrap)
    processor = subprocess.Popen(
        [sys.executable, "-m", "processor.cli", "run", "--input", RAW, "--output", CLEAN,
         "--quarantine", QUARANTINE, "--bootstrap-servers", bootstrap,
         "--group-id", "logscrub-demo", "--metrics-port", str(args.metrics_port)],
        cwd=ROOT, env=demo_monitor.child_env(),
    )
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    feeder = threading.Thread(target=_feed, args=(bootstrap, args.rate, stop), daemon=True)
    feeder.start()
    flows = threading.Thread(target=_feed_workflows, args=(bootstrap, stop), daemon=True)
    flows.start()
    workdir = Path(tempfile.mkdtemp(prefix="logscrub-demo-"))
    api_procs, token = _start_debug_api(bootstrap, args.api_port, workdir)
    # One write for both lines: print() writes the text and its newline separately, and
    # a child's log line landing between them would break the lines apart.
    sys.stdout.write(f"Debug API: http://127.0.0.1:{args.api_port}/\nToken: {token}\n")
    sys.stdout.flush()

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"demo-viewer-{os.getpid()}",
                         "auto.offset.reset": "latest", "isolation.level": "read_committed"})
    demo_monitor.create_topics(bootstrap)
    monitor = demo_monitor.start_monitor(bootstrap, args.monitor_port)
    stack = demo_monitor.start_prometheus(args.metrics_port, args.monitor_port)
    if os.environ.get("LOGSCRUB_DEMO_ATTACK") == "1":
        demo_monitor.attack(bootstrap)
    consumer.subscribe([CLEAN, QUARANTINE, demo_monitor.ALERTS])
    started = time.monotonic()
    last_summary = 0.0
    shown = Counter[str]()
    try:
        while not stop.is_set():
            if args.duration and time.monotonic() - started > args.duration:
                break
            if processor.poll() is not None:
                print(f"processor exited with {processor.returncode}", file=sys.stderr)
                return 1
            msg = consumer.poll(0.5)
            if msg is not None and msg.error() is None and msg.topic() == demo_monitor.ALERTS:
                print(demo_monitor.describe_burst(msg))
            elif msg is not None and msg.error() is None:
                shown[msg.topic()] += 1
                tag = "QUARANTINE" if msg.topic() == QUARANTINE else "clean"
                value = (msg.value() or b"").decode("utf-8", "replace")
                print(f"[{tag}] {value[:160]}")
            if time.monotonic() - last_summary > 5:
                last_summary = time.monotonic()
                print(f"--- seen clean={shown[CLEAN]} quarantined={shown[QUARANTINE]} | "
                      f"hits: {_hit_rates(args.metrics_port)}")
    finally:
        stop.set()
        feeder.join(15)
        flows.join(15)
        consumer.close()
        for proc in api_procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in api_procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(workdir, ignore_errors=True)
        if processor.poll() is None:
            processor.send_signal(signal.SIGTERM)
        code = processor.wait(60)
        print(f"processor stopped (exit {code}); clean records seen: {shown[CLEAN]}")
        if monitor.poll() is None:
            monitor.send_signal(signal.SIGTERM)
        print(f"monitor stopped (exit {monitor.wait(60)})")
        if stack is not None:
            stack.stop()
    return 0 if code == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
