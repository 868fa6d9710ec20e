"""Run ``logscrub monitor``: the metrics endpoint and the faust worker until a signal."""

from __future__ import annotations

import logging

import faust
from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient
from prometheus_client import start_http_server

from processor.errors import ConfigError, StreamError
from processor.monitor.app import AccessMonitor
from processor.monitor.client_props import plain_client_props
from processor.settings import Settings

__all__ = ["check_partitions", "run_monitor"]

log = logging.getLogger(__name__)


def check_partitions(settings: Settings, timeout_s: float = 30.0) -> None:
    """Refuse to start unless the access topic has ``monitor.partitions`` partitions.

    The table's changelog is created with that many partitions and must match the
    source's, or windows are restored into the wrong partitions after a rebalance.
    """
    topic = settings.monitor.access_topic
    admin = AdminClient({**plain_client_props(settings.kafka),
                         "bootstrap.servers": settings.kafka.bootstrap_servers})
    try:
        metadata = admin.list_topics(topic, timeout=timeout_s).topics.get(topic)
    except KafkaException as exc:
        raise StreamError(f"cannot read the metadata of {topic}: {exc.args[0].name()}") from None
    if metadata is None or metadata.error is not None:
        raise StreamError(f"access topic {topic} is missing")
    if len(metadata.partitions) != settings.monitor.partitions:
        raise ConfigError(
            f"access topic {topic} has {len(metadata.partitions)} partitions but "
            f"monitor.partitions is {settings.monitor.partitions}; they must be equal"
        )


def run_monitor(settings: Settings) -> int:
    """Serve /metrics on ``monitor.port`` and process access events until SIGTERM/SIGINT."""
    check_partitions(settings)
    monitor = AccessMonitor(settings)
    m = settings.monitor
    server, _thread = start_http_server(m.port, addr=m.host, registry=monitor.metrics.registry)
    log.info("monitor: /metrics on port %d, reading %s", server.server_port, m.access_topic)
    worker = faust.Worker(
        monitor.app,
        loglevel=settings.log_level,
        quiet=True,
        redirect_stdouts=False,
    )
    try:
        worker.execute_from_commandline()
    except SystemExit as exc:
        return int(exc.code or 0)
    finally:
        server.shutdown()
    return 0
