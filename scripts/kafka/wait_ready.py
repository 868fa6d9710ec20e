#!/usr/bin/env python3
"""Readiness probe for the local Kafka broker.

Exits 0 as soon as a confluent_kafka AdminClient can list the cluster's topics
at ``--bootstrap`` within ``--timeout`` seconds, 1 otherwise (2 if
confluent_kafka cannot be imported). Used by ``scripts/kafka/kafka.sh up``.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time


def broker_answers(bootstrap: str, timeout: float) -> bool:
    """Return True if an AdminClient lists topics at ``bootstrap`` within ``timeout`` s."""
    from confluent_kafka.admin import AdminClient

    quiet = logging.getLogger("wait_ready.librdkafka")
    quiet.addHandler(logging.NullHandler())
    quiet.propagate = False
    admin = AdminClient(
        {
            "bootstrap.servers": bootstrap,
            "socket.connection.setup.timeout.ms": max(1000, int(timeout * 1000)),
            "logger": quiet,  # keep "connection refused" noise off stderr
        }
    )
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        try:
            admin.list_topics(timeout=max(0.5, remaining))
            return True
        except Exception:  # KafkaException on timeout / transport failure
            time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, probe the broker, and return the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap", default="127.0.0.1:9092", help="bootstrap servers")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds to keep trying")
    args = parser.parse_args(argv)
    try:
        import confluent_kafka  # noqa: F401
    except ImportError:
        print("wait_ready.py: confluent_kafka is not importable", file=sys.stderr)
        return 2
    return 0 if broker_answers(args.bootstrap, args.timeout) else 1


if __name__ == "__main__":
    sys.exit(main())
