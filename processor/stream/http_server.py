"""The HTTP endpoint of the supervisor: ``/metrics``, ``/healthz`` and ``/readyz``.

``/metrics`` merges the metric files of every worker process. ``/healthz`` answers 200
while every worker is alive and none is stalled (holding lag without committing for
``metrics.stall_after_s``); ``/readyz`` answers 200 once every worker has joined the group.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from processor.metrics import SUPERVISOR_REGISTRY, merged_registry

__all__ = ["HealthServer"]

log = logging.getLogger(__name__)


class HealthServer:
    """Serves the endpoints from a daemon thread of the supervisor."""

    def __init__(
        self,
        host: str,
        port: int,
        multiproc_dir: Path,
        healthy: Callable[[], bool],
        ready: Callable[[], bool],
    ) -> None:
        registry = merged_registry(multiproc_dir)

        class _Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # the name http.server dispatches to
                path = self.path.split("?", 1)[0]
                if path == "/metrics":
                    body = generate_latest(registry) + generate_latest(SUPERVISOR_REGISTRY)
                    self._send(200, body, CONTENT_TYPE_LATEST)
                elif path in ("/healthz", "/readyz"):
                    ok = healthy() if path == "/healthz" else ready()
                    self._send(200 if ok else 503, b"ok\n" if ok else b"not ready\n")
                else:
                    self._send(404, b"not found\n")

            def _send(self, status: int, body: bytes, ctype: str = "text/plain") -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return  # scrapes every few seconds would drown the log

        self._server = ThreadingHTTPServer((host, port), _Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        """The bound port (useful when 0 asked for an ephemeral one)."""
        return int(self._server.server_address[1])

    def start(self) -> None:
        """Start serving in the background."""
        self._thread.start()
        log.info("serving /metrics, /healthz and /readyz on port %d", self.port)

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()
