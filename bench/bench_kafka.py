"""``make bench-kafka``: ``logscrub run`` vs. an exactly-once passthrough, on one broker.

One run preloads M realistic log lines (generated records full of secrets, mixed with
the loghub samples read in place from ``../shared/data/loghub``) into a raw topic, then
measures records/s end to end through:

- (a) ``logscrub run`` as a subprocess (``--exit-when-idle``), W worker processes;
- (b) a plain consume -> produce passthrough, written below, with the same client
  settings (``processor.stream.config``), the same batch size, one transaction per batch
  with ``send_offsets_to_transaction``, also W processes in one consumer group.

The records are preloaded once every worker holds partitions (``/readyz`` for logscrub),
so no start-up rebalance disturbs either side, and the rate is taken between the first
and the last committed output record as a read_committed reader sees them. Each is run
``--runs`` times (median); the ratio (a)/(b) is printed last.
``--encodings json,otlp_proto,otlp_json`` runs (a) once per encoding on the same lines
(OTLP: one log record per Kafka record, the topic pinned to its encoding), so OTLP
records/s compare with JSON on the same broker in the same run.
The broker comes from ``KAFKA_BOOTSTRAP_SERVERS``, else 127.0.0.1:9092 (``make kafka-up``).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from bench._encodings import ENCODINGS, encode_lines
from processor.settings import KafkaSettings, load_settings
from processor.stream.config import consumer_config, producer_config, subscription

__all__ = ["main"]

REPO_ROOT = Path(__file__).resolve().parents[1]
LOGHUB = REPO_ROOT.parent / "shared" / "data" / "loghub"


def _lines(m: int) -> list[bytes]:
    """M log lines: generated records with secrets, mixed with loghub lines when present."""
    from bench.corpus import generate

    loghub: list[bytes] = []
    for path in sorted(LOGHUB.glob("*.log")):
        loghub += [ln for ln in path.read_bytes().splitlines() if ln.strip()]
    n_generated = m if not loghub else m // 2
    pool = min(n_generated, 10_000)  # generation is slow; repeat a pool (logs repeat too)
    generated = [r.line.encode("utf-8") for r in generate(pool, seed=11)]
    out = [generated[i % pool] for i in range(n_generated)]
    out += [loghub[i % len(loghub)] for i in range(m - n_generated)] if loghub else []
    return out


def _create(admin: AdminClient, name: str, partitions: int) -> None:
    topic = NewTopic(name, num_partitions=partitions, replication_factor=1)
    futures = admin.create_topics([topic])
    futures[name].result(30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        tmd = admin.list_topics(name, timeout=10).topics.get(name)
        if tmd and tmd.error is None and all(p.leader >= 0 for p in tmd.partitions.values()):
            return
        time.sleep(0.2)


def _preload(bootstrap: str, topic: str, lines: list[bytes]) -> None:
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 20,
                         "compression.type": "lz4"})
    for i, line in enumerate(lines):
        while True:
            try:
                producer.produce(topic, value=line, key=f"host-{i % 64}".encode())
                break
            except BufferError:
                producer.poll(0.05)
    assert producer.flush(120) == 0


def _observe(
    bootstrap: str, topic: str, m: int, timeout: float, alive: Callable[[], bool]
) -> float:
    """Records/s between the first and the M-th committed record of ``topic``."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"bench-obs-{uuid.uuid4()}",
                         "auto.offset.reset": "earliest", "isolation.level": "read_committed",
                         "enable.auto.commit": False})
    consumer.subscribe([topic])
    count, first_t, first_n = 0, 0.0, 0
    deadline = time.monotonic() + timeout
    try:
        while count < m:
            if time.monotonic() > deadline or not alive():
                raise SystemExit(f"only {count}/{m} records (timeout {timeout} s or exited)")
            batch = consumer.consume(10_000, 0.2)
            got = sum(1 for msg in batch if msg.error() is None)
            if got and not first_t:
                first_t, first_n = time.monotonic(), got
            count += got
        return (count - first_n) / max(1e-9, time.monotonic() - first_t)
    finally:
        consumer.close()


def _passthrough_worker(kafka: KafkaSettings, index: int, idle_s: float, ready: Any) -> None:
    """Consume a batch, produce it unchanged, commit records + offsets in one transaction."""
    producer = Producer(producer_config(kafka, index))
    producer.init_transactions(30)
    consumer = Consumer(consumer_config(kafka, index))
    consumer.subscribe(subscription(kafka))
    timeout = kafka.batch_timeout_ms / 1000
    last = time.monotonic()
    assigned = False
    while not assigned or time.monotonic() - last < idle_s:
        msgs = [m for m in consumer.consume(kafka.batch_size, timeout) if m.error() is None]
        producer.poll(0)
        if not assigned and consumer.assignment():
            assigned, last = True, time.monotonic()
            ready.release()
        if not msgs:
            continue
        last = time.monotonic()
        producer.begin_transaction()
        offsets: dict[tuple[str, int], int] = {}
        firsts: dict[tuple[str, int], int] = {}
        for msg in msgs:
            while True:
                try:
                    producer.produce(kafka.output, value=msg.value(), key=msg.key(),
                                     headers=msg.headers())
                    break
                except BufferError:
                    producer.poll(0.05)
            tp = (msg.topic() or "", msg.partition() or 0)
            firsts.setdefault(tp, msg.offset() or 0)
            offsets[tp] = (msg.offset() or 0) + 1
        try:
            producer.send_offsets_to_transaction(
                [TopicPartition(t, p, o) for (t, p), o in offsets.items()],
                consumer.consumer_group_metadata(), 30)
            producer.commit_transaction(30)
        except KafkaException as exc:
            if not exc.args[0].txn_requires_abort():
                raise SystemExit(f"passthrough transaction failed: {exc}") from None
            # Same recovery as logscrub: abort, rewind to the batch start, go on.
            producer.abort_transaction(30)
            for (t, p), o in firsts.items():
                consumer.seek(TopicPartition(t, p, o))
    consumer.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _readyz(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as resp:
            return bool(resp.status == 200)
    except OSError:
        return False


def _wait_ready(ready: Callable[[], bool], alive: Callable[[], bool]) -> None:
    """Wait until every worker holds partitions, so no rebalance disturbs the measurement."""
    deadline = time.monotonic() + 120
    while not ready():
        if not alive() or time.monotonic() > deadline:
            raise SystemExit("the consumer group never became ready")
        time.sleep(0.2)
    time.sleep(1.0)


def _run_once(
    kind: str, args: argparse.Namespace, lines: list[bytes], encoding: str = "json"
) -> float:
    uid = uuid.uuid4().hex[:8]
    raw, out, quarantine = f"bench-raw-{uid}", f"bench-out-{uid}", f"bench-q-{uid}"
    admin = AdminClient({"bootstrap.servers": args.bootstrap})
    for name, parts in ((raw, args.partitions), (out, args.partitions), (quarantine, 1)):
        _create(admin, name, parts)
    group = f"bench-{kind}-{uid}"
    port = _free_port()
    env = dict(os.environ, LOGSCRUB_SCRUB__NER_ENABLED="true" if args.ner else "false")
    if encoding != "json":
        env["LOGSCRUB_FORMATS__TOPICS"] = json.dumps({raw: encoding})
    if kind == "logscrub":
        cmd = [sys.executable, "-m", "processor.cli", "run", "--input", raw, "--output", out,
               "--quarantine", quarantine, "--bootstrap-servers", args.bootstrap,
               "--group-id", group, "--workers", str(args.workers), "--metrics-port", str(port),
               "--exit-when-idle", "5"]
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        _wait_ready(lambda: _readyz(port), lambda: proc.poll() is None)
        _preload(args.bootstrap, raw, lines)
        rate = _observe(args.bootstrap, out, len(lines), args.timeout,
                        lambda: proc.poll() is None)
        if proc.wait(120) != 0:
            raise SystemExit("logscrub run exited non-zero")
    else:
        settings = load_settings(overrides={"kafka": {
            "bootstrap_servers": args.bootstrap, "group_id": group, "inputs": [raw],
            "output": out, "instance_id": f"bench-{uid}"}}, environ={})
        ctx = multiprocessing.get_context("spawn")
        sem = ctx.Semaphore(0)
        procs = [ctx.Process(target=_passthrough_worker, args=(settings.kafka, i, 5.0, sem))
                 for i in range(args.workers)]
        for p in procs:
            p.start()
        _wait_ready(lambda: all(sem.acquire(timeout=60) for _ in procs),
                    lambda: all(p.is_alive() for p in procs))
        _preload(args.bootstrap, raw, lines)
        rate = _observe(args.bootstrap, out, len(lines), args.timeout,
                        lambda: any(p.is_alive() for p in procs))
        for p in procs:
            p.join(120)
    admin.delete_topics([raw, out, quarantine])
    return rate


def _engine_rate(lines: list[bytes], ner: bool, encoding: str = "json") -> float:
    """Records/s of the scrubber alone (as the workers wrap it), in this process, batches of 500."""
    from processor.formats.factory import build_format_scrubber
    from processor.pipeline import Scrubber
    from processor.settings import FormatSettings, ScrubSettings

    pins = {} if encoding == "json" else {"t": encoding}
    scrubber = build_format_scrubber(
        Scrubber.from_settings(ScrubSettings(ner_enabled=ner)), FormatSettings(topics=pins))
    scrubber.scrub_many_from(lines[:100], ["t"] * 100)
    started = time.perf_counter()
    for i in range(0, len(lines), 500):
        chunk = lines[i : i + 500]
        scrubber.scrub_many_from(chunk, ["t"] * len(chunk))
    return len(lines) / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print both rates and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--ner", action="store_true", help="keep NER on in logscrub run")
    parser.add_argument("--encodings", default=",".join(ENCODINGS),
                        help=f"comma-separated, of {', '.join(ENCODINGS)}")
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
                        or "127.0.0.1:9092")
    args = parser.parse_args(argv)
    encodings = [e for e in args.encodings.split(",") if e]
    if not encodings or set(encodings) - set(ENCODINGS):
        parser.error(f"--encodings takes {', '.join(ENCODINGS)}")
    lines = _lines(args.records)
    values = {e: encode_lines(lines, e) for e in encodings}
    size = sum(len(x) for x in lines) / len(lines)
    print(f"bench-kafka: {len(lines)} records (avg {size:.0f} B), {args.workers} workers, "
          f"{args.partitions} partitions, NER {'on' if args.ner else 'off'}, "
          f"{args.runs} runs, broker {args.bootstrap}", flush=True)
    kinds = [("passthrough", "json"), *(("logscrub" if e == "json" else f"logscrub {e}", e)
                                         for e in encodings)]
    rates: dict[str, list[float]] = {kind: [] for kind, _ in kinds}
    for run in range(args.runs):
        # the order alternates between repetitions, so that neither side always runs on
        # a broker warmed (or loaded) by the other
        for kind, encoding in (kinds if run % 2 == 0 else kinds[::-1]):
            rate = _run_once(kind.split()[0], args, values.get(encoding, lines), encoding)
            rates[kind].append(rate)
            print(f"  run {run + 1}: {kind:<20} {rate:>10,.0f} records/s", flush=True)
    med = {k: statistics.median(v) for k, v in rates.items()}
    # each repetition's own ratio: the broker's speed drifts between repetitions
    paired = {k: statistics.median(r / p for r, p in zip(v, rates["passthrough"], strict=True))
              for k, v in rates.items()}
    for encoding in encodings:
        engine = _engine_rate(values[encoding][:10_000], args.ner, encoding)
        print(f"engine alone ({encoding}, 1 process, no Kafka): {engine:,.0f} records/s "
              f"-> ceiling with {args.workers} workers ~{engine * args.workers:,.0f} records/s")
    print(f"passthrough (exactly-once) median: {med['passthrough']:,.0f} records/s")
    for kind in list(med)[1:]:
        print(f"{kind + ' run median:':<35}{med[kind]:,.0f} records/s "
              f"(ratio to passthrough {med[kind] / med['passthrough']:.2f}; "
              f"median of the repetitions' own ratios {paired[kind]:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
