"""The debug API's metrics, in a registry of their own, served on ``debug_api.metrics_port``.

Labels are fixed codes only (the HTTP status class); the actor, paths and ids never
become labels.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, start_http_server

__all__ = ["DebugApiMetrics", "serve_metrics"]

_STATUS_CLASSES = ("2xx", "3xx", "4xx", "5xx")


class DebugApiMetrics:
    """Requests by status class and audit events that could not be written."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "logscrub_debug_api_requests", "Debug API requests answered, by status class.",
            ["status_class"], registry=self.registry,
        )
        self.audit_write_failures = Counter(
            "logscrub_debug_audit_write_failures",
            "Requests refused (503) because their audit event was not acknowledged in time.",
            registry=self.registry,
        )
        for cls in _STATUS_CLASSES:
            self.requests.labels(cls)  # every label set exists at 0 from the start

    def answered(self, status: int) -> None:
        """Count one answered request."""
        cls = f"{min(max(status // 100, 2), 5)}xx"
        self.requests.labels(cls).inc()


def serve_metrics(metrics: DebugApiMetrics, host: str, port: int) -> None:
    """Serve ``/metrics`` of ``metrics`` on a thread of its own."""
    start_http_server(port, addr=host, registry=metrics.registry)
