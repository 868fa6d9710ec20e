"""Run ``logscrub monitor``: the metrics endpoint and the faust worker until a signal."""

from __future__ import annotations

import logging

import faust
from prometheus_client import start_http_server

from processor.monitor.app import AccessMonitor
from processor.monitor.topics import check_partitions, ensure_changelog
from processor.settings import Settings

__all__ = ["run_monitor"]

log = logging.getLogger(__name__)


def run_monitor(settings: Settings) -> int:
    """Serve /metrics on ``monitor.port`` and process access events until SIGTERM/SIGINT."""
    check_partitions(settings)
    monitor = AccessMonitor(settings)
    ensure_changelog(settings, monitor.windows.table.changelog_topic)
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
